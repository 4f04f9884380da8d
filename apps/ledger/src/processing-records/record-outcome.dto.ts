import { ApiProperty } from '@nestjs/swagger';
import { VIOLATION_CODES } from '@derbes/ledger';

export class ViolationDto {
  @ApiProperty({ enum: VIOLATION_CODES }) code: string;
  @ApiProperty({ required: false, description: 'Order number of the category concerned' }) category?: number;
  @ApiProperty({ required: false, format: 'date-time', description: 'When the category was destroyed, depersonalised or blocked, for those reasons (null when not recorded)' })
  since?: string | null;
  @ApiProperty({ description: "The reason with its facts in plain words: English, as recorded, in a record's answer; in `lang` in a subject's history" })
  detail: string;
}

export class RecordOutcomeDto {
  @ApiProperty({ format: 'uuid' }) recordId: string;
  @ApiProperty({ enum: ['created', 'duplicate'] }) status: string;
  @ApiProperty({ description: "The subject's pseudonymous id" }) subjectId: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ description: "0-based revision in the subject's stream" }) streamRevision: number;
  @ApiProperty({ description: 'Position in the global log' }) position: number;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ type: [ViolationDto], description: 'Empty when the approved list allows the record' }) violations: ViolationDto[];
}

export class BatchOutcomeDto {
  @ApiProperty({ type: [RecordOutcomeDto], description: 'One per record, in request order' }) results: RecordOutcomeDto[];
  @ApiProperty() created: number;
  @ApiProperty() duplicates: number;
}
