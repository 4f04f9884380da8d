import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { LANGS, type Lang } from '@derbes/register';
import { CODE } from '../http/text-patterns';

const DAY = 'a calendar day YYYY-MM-DD in Kazakhstan (UTC+5)';

/** Query parameters of GET /v1/reports/actor-activity; all strings as they come from the URL. */
export class ActorActivityQueryDto {
  @ApiProperty({ description: `First day of the period, inclusive: ${DAY}. Required.`, example: '2026-11-01' })
  @IsOptional() @IsString() @Length(0, 10, { message: '$property must be a calendar day YYYY-MM-DD (an instant is not taken here)' })
  from?: string;

  @ApiProperty({ description: `Last day of the period, inclusive: ${DAY}. Required; at most 731 days after from.`, example: '2026-11-30' })
  @IsOptional() @IsString() @Length(0, 10, { message: '$property must be a calendar day YYYY-MM-DD (an instant is not taken here)' })
  to?: string;

  @ApiPropertyOptional({ description: "Only the days on which the actor's latest record named this unit", example: 'personnel-management' })
  @IsOptional() @IsString() @Length(1, 200) @Matches(CODE, { message: 'unit must be a code: letters, digits and . _ : @ / -' })
  unit?: string;

  @ApiPropertyOptional({ description: 'Only this actor', example: 'hr-17' })
  @IsOptional() @IsString() @Length(1, 100) @Matches(CODE, { message: 'actor must be a code: letters, digits and . _ : @ / -' })
  actor?: string;

  @ApiPropertyOptional({ enum: LANGS, description: "Language of category names and of the reasons (default kk, the order's language)" })
  @IsOptional() @IsIn(LANGS)
  lang?: Lang;

  @ApiPropertyOptional({ description: 'Position of your last write: the answer waits (up to 2 s) until the report includes it, else 409 projection_behind' })
  @IsOptional() @Matches(/^\d{1,15}$/, { message: 'position must be a whole number of at most 15 digits' })
  position?: string;
}

export class OperationCountsDto {
  @ApiProperty() collect: number;
  @ApiProperty() access: number;
  @ApiProperty() change: number;
  @ApiProperty() transfer: number;
  @ApiProperty() block: number;
  @ApiProperty() unblock: number;
  @ApiProperty() depersonalize: number;
  @ApiProperty() destroy: number;
  @ApiProperty({ description: "Reads of subjects' files through the ledger (history, inventory, events, access report)" }) read: number;
}

export class SensitiveCategoryActivityDto {
  @ApiProperty({ description: "The order's category number" }) number: number;
  @ApiProperty({ description: 'The category code', example: 'medical-results' }) code: string;
  @ApiProperty({ description: 'Name in the language asked for' }) name: string;
  @ApiProperty({ description: 'Records touching this category' }) records: number;
}

export class ActorActivityDto {
  @ApiProperty() actorId: string;
  @ApiProperty({ description: "Role on the actor's latest day in the period" }) role: string;
  @ApiProperty({ description: "Unit on the actor's latest day in the period" }) unit: string;
  @ApiProperty({ description: 'Distinct subjects whose data the actor processed, or whose file they read through the ledger, in the period' }) subjects: number;
  @ApiProperty({ description: 'Processing records and file reads' }) records: number;
  @ApiProperty({ type: OperationCountsDto }) recordsByOperation: OperationCountsDto;
  @ApiProperty({ type: [SensitiveCategoryActivityDto], description: 'Sensitive categories touched, by number' }) sensitiveCategories: SensitiveCategoryActivityDto[];
  @ApiProperty({ description: 'Records of any operation touching at least one sensitive category, each once' }) sensitiveAccesses: number;
}

export class UnusualActivityDto {
  @ApiProperty() actorId: string;
  @ApiProperty({ description: "The actor's unit on that day" }) unit: string;
  @ApiProperty({ description: 'YYYY-MM-DD at UTC+5' }) day: string;
  @ApiProperty({ enum: ['subjects', 'sensitive'], description: 'Distinct subjects, or sensitive accesses' }) kind: string;
  @ApiProperty({ description: "The day's count" }) count: number;
  @ApiProperty({ description: 'The minimum for this kind' }) minimum: number;
  @ApiProperty({ description: "Median of the actor's counts on the 30 calendar days before (0 for a day without records)" }) ownBaseline: number;
  @ApiProperty({ description: "Median of the unit's other actors' counts on their active days among those 30" }) unitUsual: number;
  @ApiProperty({ description: "Median of the unit's other actors' counts on the day itself" }) unitSameDay: number;
  @ApiProperty({ description: 'The higher of unitUsual and unitSameDay' }) unitBaseline: number;
  @ApiProperty() factor: number;
  @ApiProperty() windowDays: number;
  @ApiProperty({ description: 'The rule applied, in a sentence with these numbers' }) reason: string;
}

export class UnusualActivityRuleDto {
  @ApiProperty() minSubjects: number;
  @ApiProperty() minSensitive: number;
  @ApiProperty() factor: number;
  @ApiProperty() windowDays: number;
}

export class ActorActivityReportDto {
  @ApiProperty({ description: 'YYYY-MM-DD' }) from: string;
  @ApiProperty({ description: 'YYYY-MM-DD' }) to: string;
  @ApiProperty({ enum: LANGS }) lang: string;
  @ApiProperty({ type: UnusualActivityRuleDto, description: 'The thresholds of the unusual-activity rule (README, "Unusual activity")' }) rule: UnusualActivityRuleDto;
  @ApiProperty({ type: [ActorActivityDto], description: 'By actor id' }) actors: ActorActivityDto[];
  @ApiProperty({ type: [UnusualActivityDto], description: 'By day, actor, then kind' }) unusual: UnusualActivityDto[];
  @ApiProperty({ description: 'Position in the log the report reflects' }) position: number;
}
