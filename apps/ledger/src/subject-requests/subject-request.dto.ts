import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { REQUEST_CHANNELS, REQUEST_KINDS, type RequestChannel, type RequestKind } from '@derbes/ledger';
import { REPORT_LANGUAGES, type ReportLanguage } from '@derbes/reports';
import { TEXT } from '../http/text-patterns';
import { IsNotLedgerUuid } from '../processing-records/processing-record.dto';


export class RequestSubjectDto {
  @ApiProperty({ example: '791028302728', description: "The subject's IIN: turned into their pseudonym at once, never stored" })
  @IsString() @Length(1, 32)
  iin: string;
}

/** POST /v1/subject-requests: a request of a data subject under Law 94-V, Art. 24, as the body received it. */
export class NewSubjectRequestDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Chosen by the client for safe retries, any version but 8 (the ledger's own); generated when absent" })
  @IsOptional() @IsUUID('all') @IsNotLedgerUuid()
  requestId?: string;

  @ApiProperty({ type: RequestSubjectDto })
  @IsObject() @ValidateNested() @Type(() => RequestSubjectDto)
  subject: RequestSubjectDto;

  @ApiProperty({ enum: REQUEST_KINDS }) @IsIn(REQUEST_KINDS)
  kind: RequestKind;

  @ApiProperty({ enum: REQUEST_CHANNELS }) @IsIn(REQUEST_CHANNELS)
  channel: RequestChannel;

  @ApiProperty({ example: '2026-11-24T10:15:00+05:00', description: 'When the body received it (ISO 8601 with zone); the deadline counts from the next working day' })
  @IsString() @MaxLength(40)
  receivedAt: string;

  @ApiPropertyOptional({
    type: [String], example: [13, 'disability'],
    description: 'For change, blocking, unblocking and destruction: the categories concerned (number or code). Not for the other kinds.',
  })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100)
  categories?: (number | string)[];

  @ApiPropertyOptional({ description: 'What the subject asks, in short; must not contain an IIN' })
  @IsOptional() @IsString() @Length(1, 2000) @Matches(TEXT, { message: 'detail must not contain control characters or bidirectional overrides' })
  detail?: string;
}

export class AnswerSubjectRequestDto {
  @ApiPropertyOptional({ enum: REPORT_LANGUAGES, default: 'kk', description: 'For an information request: the language of the access report given' })
  @IsOptional() @IsIn(REPORT_LANGUAGES)
  language?: ReportLanguage;

  @ApiPropertyOptional({ description: 'A note on the answer; must not contain an IIN' })
  @IsOptional() @IsString() @Length(1, 2000) @Matches(TEXT, { message: 'note must not contain control characters or bidirectional overrides' })
  note?: string;
}

export class RefuseSubjectRequestDto {
  @ApiProperty({ type: [String], description: 'The reasons for refusing (required by Art. 25): 1 to 20, none empty' })
  @IsArray() @ArrayMinSize(1, { message: 'reasons must give at least one reason' }) @ArrayMaxSize(20)
  @IsString({ each: true }) @Length(1, 2000, { each: true }) @Matches(TEXT, { each: true, message: 'each reason must be text without control characters or bidirectional overrides' })
  reasons: string[];
}

export const QUEUE_STATUSES = ['open', 'answered', 'refused', 'closed'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export class SubjectRequestsQueryDto {
  @ApiPropertyOptional({ enum: QUEUE_STATUSES, default: 'open', description: 'open: the queue by deadline; answered/refused/closed: the history, most recent first' })
  @IsOptional() @IsIn(QUEUE_STATUSES)
  status?: QueueStatus;

  @ApiPropertyOptional({ enum: ['today', 'overdue'], description: 'With status=open: only those due today, or only those overdue' })
  @IsOptional() @IsIn(['today', 'overdue'])
  due?: 'today' | 'overdue';

  @ApiPropertyOptional({ description: 'Page size of the history, 1 to 500 (default 100)' })
  @IsOptional() @Matches(/^\d{1,3}$/, { message: 'limit must be a whole number from 1 to 500' })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page of the history' }) @IsOptional() @IsString() @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Position of your last write: waits (up to 2 s) until the queue includes it, else 409 projection_behind' })
  @IsOptional() @Matches(/^\d{1,15}$/, { message: 'position must be a whole number of at most 15 digits' })
  position?: string;
}
