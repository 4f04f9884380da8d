import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { RECIPIENT_KINDS } from '@derbes/ledger';
import { LANGS, type Lang } from '@derbes/register';

const PERIOD = 'ISO 8601 date-time with a time zone, or a date YYYY-MM-DD (a calendar day at UTC+5)';

/** Query parameters of GET /v1/reports/transfers; all strings as they come from the URL. */
export class TransfersQueryDto {
  @ApiProperty({ description: `Start of the period, inclusive: ${PERIOD}. Required.`, example: '2026-01-01' })
  @IsOptional() @IsString() @MaxLength(40)
  from?: string;

  @ApiProperty({ description: `End of the period, inclusive: ${PERIOD}. Required; at most two years after from.`, example: '2026-12-31' })
  @IsOptional() @IsString() @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only transfers abroad (true) or within Kazakhstan (false)' })
  @IsOptional() @IsIn(['true', 'false'])
  crossBorder?: 'true' | 'false';

  @ApiPropertyOptional({ description: "Recipient's country, ISO 3166-1 alpha-2", example: 'KZ' })
  @IsOptional() @Matches(/^[A-Za-z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code, e.g. KZ' })
  country?: string;

  @ApiPropertyOptional({ description: "Recipient's name exactly as recorded (as in totals.byRecipient); persons' names are encrypted per subject and cannot be filtered on" })
  @IsOptional() @IsString() @MaxLength(300)
  recipient?: string;

  @ApiPropertyOptional({ description: 'Page size, 1 to 500 (default 100)' })
  @IsOptional() @Matches(/^\d{1,3}$/, { message: 'limit must be a whole number from 1 to 500' })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (with the same filters)' })
  @IsOptional() @IsString() @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ enum: LANGS, description: "Language of category and purpose names (default kk, the order's language)" })
  @IsOptional() @IsIn(LANGS)
  lang?: Lang;

  @ApiPropertyOptional({ description: 'Position of your last write: the answer waits (up to 2 s) until the report includes it, else 409 projection_behind' })
  @IsOptional() @Matches(/^\d{1,15}$/, { message: 'position must be a whole number of at most 15 digits' })
  position?: string;
}

class TransferRecipientDto {
  @ApiProperty({ type: String, nullable: true, description: "An organization's name; null for a person, whose name is sealed and shown only in the subject's history (a recorded read)" }) name: string | null;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2' }) country: string;
  @ApiProperty({ enum: RECIPIENT_KINDS }) kind: string;
}

class TransferItemGroundDto {
  @ApiProperty({ enum: ['consent', 'treaty'] }) kind: string;
  @ApiProperty({ type: String, nullable: true, description: "Always null here: the reference names the person; it is shown only in the subject's history (a recorded read)" }) reference: string | null;
}

class TransferSealedDto {
  @ApiProperty({
    enum: ['recipient.name', 'transferGround.reference'], isArray: true,
    description: "The fields shown as null because they name a person: sealed with the subject's data key, they are opened only where the subject's file is read (history, events, inventory, access report), and that read is recorded",
  })
  fields: string[];
}

class TransferCategoryDto {
  @ApiProperty() number: number;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
}

class TransferPurposeDto {
  @ApiProperty() code: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
}

class TransferActorDto {
  @ApiProperty() id: string;
  @ApiProperty() role: string;
  @ApiProperty() unit: string;
}

export class TransferItemDto {
  @ApiProperty({ description: 'Position in the global log' }) position: number;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ description: "The subject's pseudonymous id" }) subjectId: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ type: TransferRecipientDto }) recipient: TransferRecipientDto;
  @ApiProperty() crossBorder: boolean;
  @ApiProperty({ type: TransferItemGroundDto, nullable: true }) transferGround: TransferItemGroundDto | null;
  @ApiProperty({ type: [TransferCategoryDto] }) categories: TransferCategoryDto[];
  @ApiProperty({ type: TransferPurposeDto }) purpose: TransferPurposeDto;
  @ApiProperty({ type: TransferActorDto }) actor: TransferActorDto;
  @ApiProperty() system: string;
  @ApiProperty({ type: [String], description: 'Violation codes; empty when the approved list allowed it' }) violations: string[];
  @ApiProperty({
    type: String, nullable: true, format: 'date', example: '2027-03-01',
    description: "The record's embargo: the local date until which the data subject's own access report leaves the record out (withheld from them); null when it has none. A date already past no longer withholds it",
  })
  embargoUntil: string | null;
  @ApiPropertyOptional({ type: TransferSealedDto, description: "Present when the entry has texts naming a person (a person recipient's name, a ground's reference): this report, which records no read, never shows them" }) sealed?: TransferSealedDto;
}

class TransfersTotalsDto {
  @ApiProperty({ description: 'Transfers matching the filters (all pages)' }) transfers: number;
  @ApiProperty({ description: 'Of which abroad' }) crossBorder: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { KZ: 12, DE: 2 } }) byCountry: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'The 1,000 most frequent recipients that are organizations' }) byRecipient: Record<string, number>;
  @ApiProperty({ description: "Transfers to persons: their names are encrypted with each subject's own key, so they are counted here and not by name" }) toPersons: number;
  @ApiProperty({ description: 'True when there were more than 1,000 recipients' }) recipientsTruncated: boolean;
}

export class TransfersReportDto {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ type: [TransferItemDto], description: 'Newest first' }) items: TransferItemDto[];
  @ApiProperty({ type: TransfersTotalsDto }) totals: TransfersTotalsDto;
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last' }) nextCursor: string | null;
  @ApiProperty({ description: 'Position in the log the report reflects' }) position: number;
}
