import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import {
  OPERATIONS, RECIPIENT_KINDS, RESERVED_UUID_REASON, SOURCE_KINDS, TRANSFER_GROUND_KINDS, isDerivedUuidVersion,
  type Operation, type RecipientKind, type SourceKind, type TransferGroundKind,
} from '@derbes/ledger';
import { CODE_RULE, IsUnambiguousCode } from '../http/look-alike-codes';
import { IsUnambiguousName, NAME_RULE } from '../http/look-alike-names';
import { CODE, NOT_BLANK, TEXT } from '../http/text-patterns';


/** A source system's record number: a whole number from `min` to 2^53-1 (JSON numbers beyond it are not exact). */
export function IsSequenceNumber(min: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSequenceNumber',
      validator: {
        validate: (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a whole number from ${min} to ${Number.MAX_SAFE_INTEGER}`,
      },
    },
    options,
  );
}

/**
 * Not of the UUID version the ledger derives its own events' ids in (derived-uuid.ts): a client's id becomes an event
 * id, unique across the store, and could otherwise take one the ledger needs later. Anything else passes (IsUUID judges it).
 */
export function IsNotLedgerUuid(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotLedgerUuid',
      validator: {
        validate: (v: unknown) => typeof v !== 'string' || !isDerivedUuidVersion(v),
        defaultMessage: () => RESERVED_UUID_REASON,
      },
    },
    options,
  );
}

/** A category as the order numbers it (1-30) or by its code ("medical-results"). */
function IsCategoryRef(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCategoryRef',
      validator: {
        validate: (v: unknown) =>
          (typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 1000) ||
          (typeof v === 'string' && /^[a-z0-9][a-z0-9-]{0,63}$/.test(v)),
        defaultMessage: () => 'each value in categories must be a category number (whole number) or a category code',
      },
    },
    options,
  );
}

export class SubjectRefDto {
  @ApiProperty({ description: "The subject's IIN (12 digits, as a string). Only its keyed pseudonym is stored.", example: '791028302728' })
  @IsString()
  iin: string;
}

export class ActorDto {
  @ApiProperty({ example: 'hr-17', description: `Who did it. ${CODE_RULE} Not data-subject or derbes, in any case: the ledger's own.` })
  @IsString() @Length(1, 100) @Matches(CODE, { message: 'id must be a code: letters, digits and . _ : @ / -' }) @IsUnambiguousCode()
  id: string;

  @ApiProperty({ example: 'hr-specialist', description: `Their role. ${CODE_RULE} Not data-subject, in any case: the ledger's own.` })
  @IsString() @Length(1, 100) @Matches(CODE, { message: 'role must be a code: letters, digits and . _ : @ / -' }) @IsUnambiguousCode()
  role: string;

  @ApiProperty({ example: 'personnel-management', description: `Their unit. ${CODE_RULE} Not self or derbes, in any case: the ledger's own.` })
  @IsString() @Length(1, 200) @Matches(CODE, { message: 'unit must be a code: letters, digits and . _ : @ / -' }) @IsUnambiguousCode()
  unit: string;
}

export class SourceDto {
  @ApiProperty({ enum: SOURCE_KINDS }) @IsIn(SOURCE_KINDS)
  kind: SourceKind;

  @ApiPropertyOptional({ description: `Which state database or third party. ${NAME_RULE}`, example: 'State database "Individuals"' })
  @IsOptional() @IsString() @Length(1, 300) @Matches(TEXT, { message: 'name must not contain control characters or bidirectional overrides' })
  @Matches(NOT_BLANK, { message: 'name must contain a visible character, not only spaces' }) @IsUnambiguousName()
  name?: string;
}

export class RecipientDto {
  @ApiProperty({ example: 'Unified accumulative pension fund', description: `The organisation or person. ${NAME_RULE}` })
  @IsString() @Length(1, 300) @Matches(TEXT, { message: 'name must not contain control characters or bidirectional overrides' })
  @Matches(NOT_BLANK, { message: 'name must contain a visible character, not only spaces' }) @IsUnambiguousName()
  name: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2; any other than KZ makes the transfer cross-border', example: 'KZ' })
  @IsString() @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code in capitals, e.g. KZ' })
  country: string;
  @ApiPropertyOptional({
    enum: RECIPIENT_KINDS, default: 'organization',
    description: "A person's name is personal data: it is stored encrypted with the subject's data key and becomes unreadable when that key is destroyed",
  })
  @IsOptional() @IsIn(RECIPIENT_KINDS)
  kind?: RecipientKind;
}

export class TransferGroundDto {
  @ApiProperty({ enum: TRANSFER_GROUND_KINDS, description: 'Ground for a transfer abroad (Law 94-V, Art. 16)' })
  @IsIn(TRANSFER_GROUND_KINDS)
  kind: TransferGroundKind;

  @ApiProperty({ description: 'Consent id or treaty reference', example: 'consent 2026-118' })
  @IsString() @Length(1, 300) @Matches(TEXT, { message: 'reference must not contain control characters or bidirectional overrides' })
  @Matches(NOT_BLANK, { message: 'reference must contain a visible character, not only spaces' })
  reference: string;
}

export class ProcessingRecordDto {
  @ApiProperty({ format: 'uuid', description: "Chosen by the client, any version but 8 (the ledger's own); sending it again returns the first result" })
  @IsUUID('all') @IsNotLedgerUuid()
  recordId: string;

  @ApiProperty({ enum: OPERATIONS }) @IsIn(OPERATIONS)
  operation: Operation;

  @ApiProperty({ type: SubjectRefDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => SubjectRefDto)
  subject: SubjectRefDto;

  @ApiProperty({ description: "Order numbers (1-30) or codes", example: [1, 2, 'medical-results'], type: 'array', items: { oneOf: [{ type: 'integer' }, { type: 'string' }] } })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsCategoryRef({ each: true })
  categories: (number | string)[];

  @ApiProperty({ description: 'Purpose code P01-P12 or its slug', example: 'P01' })
  @IsString() @Length(1, 100)
  purpose: string;

  @ApiProperty({ type: ActorDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => ActorDto)
  actor: ActorDto;

  @ApiProperty({ description: 'The reporting source system', example: 'hr-portal' })
  @IsString() @Length(1, 64) @Matches(/^[a-z0-9][a-z0-9._-]*$/, { message: 'system must be a lowercase code: a-z, 0-9, . _ -' })
  system: string;

  @ApiProperty({ description: 'When the processing happened, ISO 8601 with a time zone', example: '2026-11-20T09:30:00Z' })
  @IsString() @MaxLength(40)
  occurredAt: string;

  @ApiPropertyOptional({ type: SourceDto, description: 'Required with collect, not allowed otherwise' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SourceDto)
  source?: SourceDto;

  @ApiPropertyOptional({ type: RecipientDto, description: 'Required with transfer, not allowed otherwise' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => RecipientDto)
  recipient?: RecipientDto;

  @ApiPropertyOptional({ type: TransferGroundDto, description: 'Only with transfer' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => TransferGroundDto)
  transferGround?: TransferGroundDto;

  @ApiPropertyOptional({ description: 'Free text; must not contain an IIN', example: 'competition file' })
  @IsOptional() @IsString() @MaxLength(2000) @Matches(TEXT, { message: 'note must not contain control characters or bidirectional overrides' })
  note?: string;

  @ApiPropertyOptional({
    description: "A local date (YYYY-MM-DD): until then the subject's own access report does not show this record (an ongoing official investigation). " +
      'Officials see it, and that it is withheld (history, violations report, console). From the day after the local date of occurredAt to at most DERBES_EMBARGO_MAX_DAYS (default 366; 0: none taken) days after it, else a 400.',
    example: '2027-03-01',
  })
  @IsOptional() @IsString() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'embargoUntil must be a date YYYY-MM-DD' })
  embargoUntil?: string;

  @ApiPropertyOptional({
    type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, example: 1042,
    description: "The source system's own number of the record: consecutive per system from 1, so that the ledger sees gaps and repeats (GET /v1/reports/source-systems). Part of the record's content: a repeat of the recordId must carry the same number.",
  })
  @IsOptional()
  @IsSequenceNumber(1)
  sourceSequence?: number;
}

export const MAX_BATCH = 1000;

/** The batch envelope. Its records are validated one by one as ProcessingRecordDto (record-dto.validation.ts). */
export class ProcessingRecordBatchDto {
  @ApiProperty({ type: [ProcessingRecordDto], description: `1 to ${MAX_BATCH} records, validated as a whole` })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BATCH, { message: `records must hold at most ${MAX_BATCH} records` })
  records: ProcessingRecordDto[];
}
