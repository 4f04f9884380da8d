import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsSequenceNumber } from '../processing-records/processing-record.dto';

/** The body of POST /v1/systems/{system}/heartbeats. */
export class HeartbeatDto {
  @ApiProperty({
    type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, example: 1042,
    description: 'Every record numbered up to this one has been sent (acknowledged, or refused for good): a number at or below it that the ledger never received is reported missing. 0 before any record.',
  })
  @IsSequenceNumber(0)
  lastSequence: number;

  @ApiProperty({ description: "The system's clock when it sent the heartbeat: ISO 8601 with a time zone", example: '2026-11-25T12:00:00Z' })
  @IsString() @MaxLength(40)
  sentAt: string;
}

export class HeartbeatOutcomeDto {
  @ApiProperty({ example: 'hr-portal' }) system: string;
  @ApiProperty() lastSequence: number;
  @ApiProperty({ format: 'date-time', description: 'As sent, in UTC' }) sentAt: string;
  @ApiProperty({ format: 'date-time', description: "The ledger's clock when it took the heartbeat" }) receivedAt: string;
  @ApiProperty({ format: 'uuid', description: 'The SourceSystemHeartbeat event' }) eventId: string;
  @ApiProperty({ description: 'Its position in the log: pass as `position` to GET /v1/reports/source-systems to read it back' }) position: number;
}
