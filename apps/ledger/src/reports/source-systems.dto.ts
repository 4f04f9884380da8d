import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { LANGS, type Lang } from '@derbes/register';

/** Query parameters of GET /v1/reports/source-systems. */
export class SourceSystemsQueryDto {
  @ApiPropertyOptional({ description: 'Only this system', example: 'hr-portal' })
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'system must be a lowercase code: a-z, 0-9, . _ -' })
  system?: string;

  @ApiPropertyOptional({ enum: LANGS, description: "Language of the alerts' detail (default kk, the order's language)" })
  @IsOptional() @IsIn(LANGS)
  lang?: Lang;

  @ApiPropertyOptional({ description: 'Position of your last write: the answer waits (up to 2 s) until the report includes it, else 409 projection_behind' })
  @IsOptional() @Matches(/^\d{1,15}$/, { message: 'position must be a whole number of at most 15 digits' })
  position?: string;
}

class RangeDto {
  @ApiProperty() from: number;
  @ApiProperty() to: number;
}

class RepeatedNumberDto {
  @ApiProperty() sequence: number;
  @ApiProperty({ format: 'uuid', description: 'The record that used the number again' }) recordId: string;
  @ApiProperty() position: number;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

class HeartbeatSeenDto {
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiProperty({ format: 'date-time' }) sentAt: string;
  @ApiProperty() lastSequence: number;
}

class SourceSystemStateDto {
  @ApiProperty({ description: 'Records received, numbered or not' }) records: number;
  @ApiProperty({ description: 'Records that came without a sourceSequence' }) unsequenced: number;
  @ApiProperty({ type: Number, nullable: true }) highestSequence: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) firstRecordAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastRecordAt: string | null;
  @ApiProperty() heartbeats: number;
  @ApiProperty({ type: HeartbeatSeenDto, nullable: true }) lastHeartbeat: HeartbeatSeenDto | null;
  @ApiProperty({ type: [RangeDto], description: 'Missing numbers as ranges, lowest first (at most 100 listed)' }) missing: RangeDto[];
  @ApiProperty({ description: 'How many ranges are missing in all' }) missingRanges: number;
  @ApiProperty({ description: 'How many numbers the missing ranges hold' }) missingNumbers: number;
  @ApiProperty({ type: [RepeatedNumberDto], description: 'Numbers received again on another record, in log order (at most 100 listed)' }) duplicates: RepeatedNumberDto[];
  @ApiProperty() duplicateCount: number;
}

class HeartbeatClaimDto {
  @ApiProperty({ description: 'The last number the heartbeat said was sent' }) lastSequence: number;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
}

class SourceSystemAlertDto {
  @ApiProperty({ enum: ['gap', 'duplicate', 'silent', 'never-reported'] }) kind: string;
  @ApiProperty({ description: 'The alert in plain words of `lang`, with its numbers, records and times (ISO 8601)' }) detail: string;
  @ApiPropertyOptional({ type: RangeDto, description: 'gap: the numbers never received' }) missing?: RangeDto;
  @ApiPropertyOptional({ description: 'gap: the highest number received' }) highest?: number;
  @ApiPropertyOptional({ type: HeartbeatClaimDto, description: 'gap: the last heartbeat, when the gap reaches past the highest number received' }) heartbeat?: HeartbeatClaimDto;
  @ApiPropertyOptional({ description: 'duplicate: the number used twice' }) sequence?: number;
  @ApiPropertyOptional({ type: 'array', items: { type: 'string', nullable: true }, description: 'duplicate: the first record to carry the number (null if not found), then the one that repeated it' }) recordIds?: (string | null)[];
  @ApiPropertyOptional({ format: 'date-time', description: 'duplicate: when the repeat was recorded' }) recordedAt?: string;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time', description: 'silent: the last record or heartbeat; never-reported: null' }) since?: string | null;
  @ApiPropertyOptional({ description: 'silent: seconds from since to the time of the report (at)' }) silentSeconds?: number;
}

class SourceSystemReportDto {
  @ApiProperty() system: string;
  @ApiProperty({ description: 'Named in DERBES_SOURCE_SYSTEMS' }) expected: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'The longest silence allowed, in seconds; null: never flagged' }) maxSilenceSeconds: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'The last record or heartbeat received' }) lastSeenAt: string | null;
  @ApiProperty({ type: SourceSystemStateDto, nullable: true, description: 'null for an expected system never heard from' }) state: SourceSystemStateDto | null;
  @ApiProperty({ type: [SourceSystemAlertDto] }) alerts: SourceSystemAlertDto[];
}

export class SourceSystemsReportDto {
  @ApiProperty({ format: 'date-time', description: 'The time silence was judged at' }) at: string;
  @ApiProperty({ type: [SourceSystemReportDto], description: 'By system code' }) systems: SourceSystemReportDto[];
  @ApiProperty() alertCount: number;
  @ApiProperty({ description: 'The log position the report includes' }) position: number;
}
