import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { VIOLATION_CODES, type ViolationCode } from '@derbes/ledger';
import { LANGS, type Lang } from '@derbes/register';
import { CODE } from '../http/text-patterns';

const codeMessage = (field: string) => `${field} must be a code: letters, digits and . _ : @ / -`;

/** Query parameters of GET /v1/reports/violations; all strings as they come from the URL. */
export class ViolationsQueryDto {
  @ApiPropertyOptional({ enum: VIOLATION_CODES, description: 'Only this reason' }) @IsOptional() @IsIn(VIOLATION_CODES)
  code?: ViolationCode;

  @ApiPropertyOptional({ description: "The actor's unit" }) @IsOptional() @IsString() @Length(1, 200) @Matches(CODE, { message: codeMessage('unit') })
  unit?: string;

  @ApiPropertyOptional({ description: 'The reporting system' }) @IsOptional() @IsString() @Length(1, 100) @Matches(CODE, { message: codeMessage('system') })
  system?: string;

  @ApiPropertyOptional({ description: "The actor's id" }) @IsOptional() @IsString() @Length(1, 100) @Matches(CODE, { message: codeMessage('actor') })
  actor?: string;

  @ApiPropertyOptional({ description: 'occurredAt at or after this ISO 8601 instant' }) @IsOptional() @IsString() @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ description: 'occurredAt at or before this ISO 8601 instant' }) @IsOptional() @IsString() @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({ enum: LANGS, description: "Language of each reason's detail and of the names in it (default kk, the order's language)" })
  @IsOptional() @IsIn(LANGS)
  lang?: Lang;

  @ApiPropertyOptional({ description: 'Page size, 1 to 500 (default 100)' })
  @IsOptional() @Matches(/^\d{1,3}$/, { message: 'limit must be a whole number from 1 to 500' })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (with the same filters)' }) @IsOptional() @IsString() @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Position of your last write: the answer waits (up to 2 s) until the report includes it, else 409 projection_behind' })
  @IsOptional() @Matches(/^\d{1,15}$/, { message: 'position must be a whole number of at most 15 digits' })
  position?: string;
}

export class ViolationCategoryDto {
  @ApiProperty() number: number;
  @ApiProperty({ type: String, nullable: true, description: 'The category code (slug)' }) code: string | null;
}

export class ViolationRegisterDto {
  @ApiProperty() id: string;
  @ApiProperty() version: number;
}

export class ViolationActorDto {
  @ApiProperty() id: string;
  @ApiProperty() role: string;
  @ApiProperty() unit: string;
}

export class ViolationItemDto {
  @ApiProperty({ description: "The flagged record's position in the log" }) position: number;
  @ApiProperty() recordId: string;
  @ApiProperty({ description: "The subject's pseudonymous id (never the IIN)" }) subjectId: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty() operation: string;
  @ApiProperty({ description: 'Purpose code, e.g. P01' }) purpose: string;
  @ApiProperty({ enum: VIOLATION_CODES }) code: string;
  @ApiProperty({ type: ViolationCategoryDto, nullable: true, description: 'The category the reason is about, where the rule is about one' })
  category: ViolationCategoryDto | null;
  @ApiProperty({ description: 'The reason with its facts in plain words of `lang`: the category and purpose named, times in ISO 8601 as recorded' })
  detail: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'For category-destroyed, category-depersonalized and blocked-data-processed: when the category was destroyed, depersonalised or blocked (null when the record did not say); else null' })
  since: string | null;
  @ApiProperty({ type: ViolationRegisterDto, nullable: true, description: 'The approved list in force when the record happened; null when none was' })
  register: ViolationRegisterDto | null;
  @ApiProperty({ type: String, nullable: true, description: "The recipient's country (ISO 3166-1 alpha-2) of a transfer; else null" })
  country: string | null;
  @ApiProperty({ type: ViolationActorDto }) actor: ViolationActorDto;
  @ApiProperty() system: string;
  @ApiProperty({
    type: String, nullable: true, format: 'date', example: '2027-03-01',
    description: "The record's embargo: the local date until which the data subject's own access report leaves the record out (withheld from them); null when it has none. A date already past no longer withholds it",
  })
  embargoUntil: string | null;
}

export class ViolationCountsDto {
  @ApiProperty({ description: 'Reasons matched by the filter (a record may have several)' }) reasons: number;
  @ApiProperty({ description: 'Distinct flagged records matched by the filter' }) records: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Reasons per violation code, over the whole filter' })
  byReason: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: "Flagged records per actor's unit, over the whole filter" })
  byUnit: Record<string, number>;
}

export class ViolationsReportDto {
  @ApiProperty({ type: [ViolationItemDto], description: 'One item per reason, newest first (occurredAt, then log position)' })
  items: ViolationItemDto[];
  @ApiProperty({ type: ViolationCountsDto }) counts: ViolationCountsDto;
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor: string | null;
  @ApiProperty({ description: 'Position in the log the report reflects' }) position: number;
}
