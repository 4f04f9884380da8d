import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OPERATIONS, type Operation } from '@derbes/ledger';

/** Query parameters a subject's pages share (/events and /history); all strings as they come from the URL. */
export abstract class SubjectPageQueryDto {
  @ApiPropertyOptional({ description: 'Category number or code' }) @IsOptional() @IsString() @MaxLength(64)
  category?: string;

  @ApiPropertyOptional({ description: 'Purpose code or slug' }) @IsOptional() @IsString() @MaxLength(100)
  purpose?: string;

  @ApiPropertyOptional({ description: 'occurredAt at or after this ISO 8601 instant' }) @IsOptional() @IsString() @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ description: 'occurredAt at or before this ISO 8601 instant' }) @IsOptional() @IsString() @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({ description: 'Page size, 1 to 500 (default 100)' }) @IsOptional() @Matches(/^\d{1,3}$/, { message: 'limit must be a whole number from 1 to 500' })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(100)
  cursor?: string;
}

/** Query parameters of GET /v1/subjects/{subjectId}/events. */
export class SubjectEventsQueryDto extends SubjectPageQueryDto {
  @ApiPropertyOptional({ enum: OPERATIONS }) @IsOptional() @IsIn(OPERATIONS)
  operation?: Operation;
}
