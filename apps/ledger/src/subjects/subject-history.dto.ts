import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { OPERATIONS, RECIPIENT_KINDS, SOURCE_KINDS } from '@derbes/ledger';
import { LANGS, type Lang } from '@derbes/register';
import { SHREDDED_DESCRIPTION, ShreddedDto } from '../data-keys/shredded.dto';
import { ViolationDto } from '../processing-records/record-outcome.dto';
import { SubjectPageQueryDto } from './subject-events.dto';
import { CODE } from '../http/text-patterns';

const SYSTEM = /^[a-z0-9][a-z0-9._-]*$/;
/** A history shows the records' operations and `read`: somebody read the file through the ledger. */
export const HISTORY_OPERATIONS = [...OPERATIONS, 'read'] as const;

/**
 * Query parameters of GET /v1/subjects/{subjectId}/history: those of /events (operation, category, purpose, from,
 * to, limit, cursor; operation also `read`, purpose also the ledger's own) and more; all strings as they come from the URL.
 */
export class SubjectHistoryQueryDto extends SubjectPageQueryDto {
  @ApiPropertyOptional({ enum: HISTORY_OPERATIONS, description: 'read: reads of this file through the ledger' }) @IsOptional() @IsIn(HISTORY_OPERATIONS)
  operation?: (typeof HISTORY_OPERATIONS)[number];

  @ApiPropertyOptional({ enum: LANGS, description: "Language of category and purpose names (default kk, the order's language)" })
  @IsOptional() @IsIn(LANGS)
  lang?: Lang;

  @ApiPropertyOptional({ description: 'Actor id', example: 'hr-17' })
  @IsOptional() @IsString() @Length(1, 100) @Matches(CODE, { message: 'actor must be a code: letters, digits and . _ : @ / -' })
  actor?: string;

  @ApiPropertyOptional({ description: "The actor's unit", example: 'personnel-management' })
  @IsOptional() @IsString() @Length(1, 200) @Matches(CODE, { message: 'unit must be a code: letters, digits and . _ : @ / -' })
  unit?: string;

  @ApiPropertyOptional({ description: 'The reporting system', example: 'hr-portal' })
  @IsOptional() @IsString() @Length(1, 64) @Matches(SYSTEM, { message: 'system must be a lowercase code: a-z, 0-9, . _ -' })
  system?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only records the approved list flagged' })
  @IsOptional() @IsIn(['true', 'false'])
  violations?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'Position of your last write: the answer waits (up to 2 s) until the history includes it, else 409 projection_behind' })
  @IsOptional() @Matches(/^\d{1,15}$/, { message: 'position must be a whole number of at most 15 digits' })
  position?: string;
}

export class HistoryCategoryDto {
  @ApiProperty({ description: "The order's category number" }) number: number;
  @ApiProperty({ description: 'The category code (slug)', example: 'medical-results' }) code: string;
  @ApiProperty({ type: String, nullable: true, description: 'Name in the language asked for, from the register version the record was checked against' })
  name: string | null;
}

export class HistoryPurposeDto {
  @ApiProperty({ example: 'P01' }) code: string;
  @ApiProperty({ type: Number, nullable: true, description: "The order's purpose clause; null when no register was in force" }) clause: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Name in the language asked for' }) name: string | null;
}

export class HistoryActorDto {
  @ApiProperty() id: string;
  @ApiProperty() role: string;
  @ApiProperty() unit: string;
}

export class HistorySourceDto {
  @ApiProperty({ enum: SOURCE_KINDS }) kind: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: "null when the subject's data key was destroyed (a third party's name is sealed)" })
  name?: string | null;
}

export class HistoryRecipientDto {
  @ApiProperty({ type: String, nullable: true, description: "null when the subject's data key was destroyed (a person's name is sealed)" })
  name: string | null;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2' }) country: string;
  @ApiProperty({ enum: RECIPIENT_KINDS, description: 'organization for records made before the kind was recorded' }) kind: string;
}

export class SubjectHistoryEntryDto {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ description: 'Position in the global log' }) position: number;
  @ApiProperty({ description: "0-based revision in the subject's stream" }) revision: number;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ enum: [...OPERATIONS, 'read'], description: 'read: somebody read this file through the ledger' }) operation: string;
  @ApiProperty({ type: [HistoryCategoryDto] }) categories: HistoryCategoryDto[];
  @ApiProperty({ type: HistoryPurposeDto }) purpose: HistoryPurposeDto;
  @ApiProperty({ type: HistoryActorDto }) actor: HistoryActorDto;
  @ApiProperty() system: string;
  @ApiProperty({ type: HistorySourceDto, nullable: true, description: 'Where collected data came from (collect only)' }) source: HistorySourceDto | null;
  @ApiProperty({ type: HistoryRecipientDto, nullable: true, description: 'Who received it (transfer only)' }) recipient: HistoryRecipientDto | null;
  @ApiProperty() crossBorder: boolean;
  @ApiProperty({ type: String, nullable: true, description: "Free text; null when none, or when the subject's data key was destroyed (see shredded)" })
  note: string | null;
  @ApiProperty({ type: String, nullable: true, description: "Until this local date the subject's own report does not show the entry" }) embargoUntil: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The subject request this record carried out' }) requestId: string | null;
  @ApiProperty({ type: [ViolationDto], description: 'Empty when the approved list allowed the record' }) violations: ViolationDto[];
  @ApiProperty() correlationId: string;
  @ApiPropertyOptional({ type: ShreddedDto, description: SHREDDED_DESCRIPTION }) shredded?: ShreddedDto;
}

export class SubjectHistoryDto {
  @ApiProperty() subjectId: string;
  @ApiProperty({ enum: LANGS }) lang: string;
  @ApiProperty({ type: [SubjectHistoryEntryDto], description: 'Newest first (occurredAt, then position)' }) items: SubjectHistoryEntryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor: string | null;
  @ApiProperty({ description: 'Position in the log the history reflects' }) position: number;
}
