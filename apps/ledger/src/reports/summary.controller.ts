import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse, ApiConflictResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SUMMARY_GROUP_KEYS, type SummaryGroupKey } from '@derbes/projections';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { LedgerError, type FieldError } from '../ledger-errors';
import { parseReportPeriod } from './report-period';
import { summaryCsv } from './summary-csv';
import { SummaryQueryDto, SummaryReportDto } from './summary.dto';
import { SummaryReportQuery, type SummaryReport } from './summary.query';
import { Allow } from '../auth/roles';

function parseGroupBy(text: string | undefined, errors: FieldError[]): SummaryGroupKey[] {
  const keys: SummaryGroupKey[] = [];
  for (const part of text === undefined || text === '' ? [] : text.split(',')) {
    const key = part.trim();
    if (!(SUMMARY_GROUP_KEYS as readonly string[]).includes(key)) {
      errors.push({ field: 'groupBy', reason: `unknown key ${JSON.stringify(key)}: use ${SUMMARY_GROUP_KEYS.join(', ')}` });
    } else if (keys.includes(key as SummaryGroupKey)) {
      errors.push({ field: 'groupBy', reason: `${key} is listed twice` });
    } else keys.push(key as SummaryGroupKey);
  }
  return keys;
}

@ApiTags('reports')
@Allow(['official', 'auditor'])
@Controller('v1/reports')
export class SummaryController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get('summary')
  @ApiOperation({
    summary: 'Processing summary for a period',
    description: 'Records and distinct subjects, grouped by any of category, purpose, operation, unit, system, actor, day, month. ' +
      'An aggregate that names no person: not audited per subject.',
  })
  @ApiExtraModels(SummaryReportDto)
  @ApiOkResponse({
    description: 'JSON, or with format=csv the rows as a CSV attachment: a header row of the row keys, then one line per group ' +
      '(header x-derbes-truncated: true when cut at 10,000 groups)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(SummaryReportDto) } },
      'text/csv': { schema: { type: 'string', example: 'category,categoryName,month,records,subjects\r\n1,"Тегі, аты, әкесінің аты (болған жағдайда)",2026-03,12,9\r\n' } },
    },
  })
  @ApiBadRequestResponse({ description: 'A missing, reversed or over-two-year period, an unknown or repeated groupBy key, a bad format or lang' })
  @ApiConflictResponse({ description: 'projection_behind: the report has not reached `position` within 2 s; retry' })
  @ApiServiceUnavailableResponse({ description: 'projection_building: the read model is being built; retry' })
  async summary(@Query() query: SummaryQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<SummaryReport | string> {
    const offset = this.config.utcOffsetMinutes;
    const period = parseReportPeriod(query.from, query.to, offset);
    const errors: FieldError[] = Array.isArray(period) ? [...period] : [];
    const groupBy = parseGroupBy(query.groupBy, errors);
    if (Array.isArray(period) || errors.length > 0) throw LedgerError.invalid(errors);

    const position = query.position === undefined ? undefined : Number(query.position);
    const report = await this.queries.execute(new SummaryReportQuery(period, groupBy, query.lang ?? 'kk', position, offset));
    if (report.truncated) void reply.header('x-derbes-truncated', 'true');
    if (query.format !== 'csv') return report;
    const day = (iso: string) => new Date(Date.parse(iso) + offset * 60_000).toISOString().slice(0, 10);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="processing-summary-${day(report.from)}-${day(report.to)}.csv"`);
    return summaryCsv(report);
  }
}
