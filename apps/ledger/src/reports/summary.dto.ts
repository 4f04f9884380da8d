import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SUMMARY_GROUP_KEYS } from '@derbes/projections';
import { LANGS, type Lang } from '@derbes/register';

const PERIOD = 'ISO 8601 date-time with a time zone, or a date YYYY-MM-DD (a calendar day at UTC+5)';

/** Query parameters of GET /v1/reports/summary; all strings as they come from the URL. */
export class SummaryQueryDto {
  @ApiProperty({ description: `Start of the period, inclusive: ${PERIOD}. Required.`, example: '2026-01-01' })
  @IsOptional() @IsString() @MaxLength(40)
  from?: string;

  @ApiProperty({ description: `End of the period, inclusive (a date: through its last moment): ${PERIOD}. Required; at most two years after from.`, example: '2026-12-31' })
  @IsOptional() @IsString() @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({
    description: `Comma list of keys, each at most once: ${SUMMARY_GROUP_KEYS.join(', ')}. day and month are calendar days at UTC+5. ` +
      'Grouped by category, a record with three categories counts once in each of their groups (so the groups add up to more than the total). ' +
      'Empty or absent: one group of everything.',
    example: 'category,operation,month',
  })
  @IsOptional() @IsString() @MaxLength(200)
  groupBy?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'json (default) or csv (UTF-8 with a BOM, RFC 4180, as an attachment)' })
  @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  @ApiPropertyOptional({ enum: LANGS, description: 'Language of category and purpose names (default kk, the order\'s language)' })
  @IsOptional() @IsIn(LANGS)
  lang?: Lang;

  @ApiPropertyOptional({ description: 'Position of your last write: the answer waits (up to 2 s) until the report includes it, else 409 projection_behind' })
  @IsOptional() @Matches(/^\d{1,15}$/, { message: 'position must be a whole number of at most 15 digits' })
  position?: string;
}

export class SummaryRowDto {
  @ApiPropertyOptional({ description: "The order's category number" }) category?: number;
  @ApiPropertyOptional() categoryName?: string;
  @ApiPropertyOptional({ description: 'Purpose code, e.g. P01' }) purpose?: string;
  @ApiPropertyOptional() purposeName?: string;
  @ApiPropertyOptional() operation?: string;
  @ApiPropertyOptional({ description: "The actor's unit" }) unit?: string;
  @ApiPropertyOptional() system?: string;
  @ApiPropertyOptional({ description: "The actor's id" }) actor?: string;
  @ApiPropertyOptional({ description: 'YYYY-MM-DD at UTC+5' }) day?: string;
  @ApiPropertyOptional({ description: 'YYYY-MM at UTC+5' }) month?: string;
  @ApiProperty({ description: 'Distinct records in the group' }) records: number;
  @ApiProperty({ description: 'Distinct subjects in the group' }) subjects: number;
}

export class SummaryTotalsDto {
  @ApiProperty({ description: 'Records in the period, each once' }) records: number;
  @ApiProperty({ description: 'Distinct subjects in the period' }) subjects: number;
}

export class SummaryReportDto {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ description: 'Offset of the calendar of day and month, minutes east of UTC' }) utcOffsetMinutes: number;
  @ApiProperty({ enum: SUMMARY_GROUP_KEYS, isArray: true }) groupBy: string[];
  @ApiProperty({ enum: LANGS }) lang: string;
  @ApiProperty({ type: [SummaryRowDto], description: 'Sorted by the groupBy keys in order; at most 10,000' }) rows: SummaryRowDto[];
  @ApiProperty({ type: SummaryTotalsDto }) totals: SummaryTotalsDto;
  @ApiProperty({ description: 'True when there were more than 10,000 groups and only the first are in rows (CSV: header x-derbes-truncated)' }) truncated: boolean;
  @ApiProperty({ description: 'Position in the log the report reflects' }) position: number;
}
