import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { CodeNames } from '@derbes/register';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VIOLATION_CODES, localDate } from '@derbes/ledger';
import { SUMMARY_GROUP_KEYS, daysInPeriod, decodeTransfersCursor, decodeViolationsCursor, isCalendarDay, type SummaryGroupKey } from '@derbes/projections';
import { formatDateTime } from '@derbes/reports';
import { Allow } from '../../auth/roles';
import { Clock } from '../../clock';
import { LEDGER_CONFIG } from '../../config/config.tokens';
import type { LedgerConfig } from '../../config/ledger-config';
import { CODE } from '../../http/text-patterns';
import { LedgerError, type FieldError } from '../../ledger-errors';
import { ActorActivityReportQuery } from '../../reports/actor-activity.query';
import { MAX_PERIOD_DAYS, parseReportPeriod } from '../../reports/report-period';
import { summaryCsv } from '../../reports/summary-csv';
import { SummaryReportQuery } from '../../reports/summary.query';
import { TransfersReportQuery } from '../../reports/transfers.query';
import { ViolationsReportQuery } from '../../reports/violations-report.query';
import { viewOf } from '../http/console-context';
import { ConsolePages } from '../http/console-pages.decorator';
import { dayBound } from '../http/days';
import { fieldsOf, given, listOf, type Fields } from '../http/fields';
import { lastDays } from '../http/periods';
import { activityPage } from '../views/activity.page';
import { summaryPage } from '../views/summary.page';
import { transfersPage } from '../views/transfers.page';
import { violationsPage } from '../views/violations.page';

const PAGE = 50;

/**
 * The aggregate reports, as pages: violations, actor activity, transfers and the processing summary (with its CSV),
 * each from the query behind the API's report of the same name, with the API's rules for its filters. None names a
 * person but by pseudonym, so none is recorded in anyone's file.
 */
@ConsolePages()
@Allow(['official', 'auditor'])
@Controller('console')
export class ReportsController {
  constructor(private readonly queries: QueryBus, private readonly clock: Clock, @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig, private readonly names: CodeNames) {}

  @Get('violations')
  async violations(@Req() request: FastifyRequest): Promise<string> {
    const q = fieldsOf(request.query);
    const errors: FieldError[] = [];
    const code = given(q, 'code');
    if (code !== undefined && !(VIOLATION_CODES as readonly string[]).includes(code)) errors.push({ field: 'code', reason: 'is not a violation code' });
    const from = dayBound('from', given(q, 'from'), this.offset, errors);
    const to = dayBound('to', given(q, 'to'), this.offset, errors);
    if (from && to && from.getTime() > to.getTime()) errors.push({ field: 'to', reason: 'is before from' });
    checkCodes(q, ['unit', 'system', 'actor'], errors);
    const cursor = given(q, 'cursor') ?? null;
    if (cursor !== null && !decodeViolationsCursor(cursor)) errors.push({ field: 'cursor', reason: 'is not a cursor this report returned' });
    if (errors.length > 0) throw LedgerError.invalid(errors);
    const filter = {
      ...(code !== undefined ? { code } : {}), ...(given(q, 'unit') ? { unit: given(q, 'unit') } : {}), ...(given(q, 'system') ? { system: given(q, 'system') } : {}),
      ...(given(q, 'actor') ? { actorId: given(q, 'actor') } : {}), ...(from ? { from: from.toISOString() } : {}), ...(to ? { to: to.toISOString() } : {}),
    };
    const view = this.view(request);
    const time = (iso: string) => formatDateTime(iso, view.lang, view.utcOffsetMinutes);
    const report = await this.queries.execute(new ViolationsReportQuery(filter, cursor, PAGE, undefined, view.lang, time));
    return violationsPage(view, report, q, localDate(this.clock.now(), this.offset));
  }

  @Get('activity')
  async activity(@Req() request: FastifyRequest): Promise<string> {
    const q = fieldsOf(request.query);
    const month = lastDays(this.clock.now(), this.offset, 30);
    const from = given(q, 'from') ?? month.from;
    const to = given(q, 'to') ?? month.to;
    const errors: FieldError[] = [];
    for (const [field, day] of [['from', from], ['to', to]] as const) if (!isCalendarDay(day)) errors.push({ field, reason: 'must be a date YYYY-MM-DD' });
    if (errors.length === 0 && daysInPeriod(from, to) < 1) errors.push({ field: 'to', reason: 'is before from' });
    else if (errors.length === 0 && daysInPeriod(from, to) > MAX_PERIOD_DAYS) errors.push({ field: 'to', reason: `the period is longer than ${MAX_PERIOD_DAYS} days` });
    checkCodes(q, ['unit', 'actor'], errors);
    if (errors.length > 0) throw LedgerError.invalid(errors);
    const scope = { from, to, ...(given(q, 'unit') ? { unit: given(q, 'unit') } : {}), ...(given(q, 'actor') ? { actorId: given(q, 'actor') } : {}) };
    const report = await this.queries.execute(new ActorActivityReportQuery(scope, this.view(request).lang, undefined));
    return activityPage(this.view(request), report, { ...q, from, to });
  }

  @Get('transfers')
  async transfers(@Req() request: FastifyRequest): Promise<string> {
    const q = fieldsOf(request.query);
    const { from, to, period } = this.period(q, 90);
    const cursor = given(q, 'cursor') ?? null;
    if (cursor !== null && !decodeTransfersCursor(cursor)) throw LedgerError.invalid([{ field: 'cursor', reason: 'is not a cursor this report returned' }]);
    const crossBorder = q.crossBorder === 'true' ? { crossBorder: true } : q.crossBorder === 'false' ? { crossBorder: false } : {};
    const filter = { ...crossBorder, ...(given(q, 'country') ? { country: (given(q, 'country') as string).toUpperCase() } : {}) };
    const report = await this.queries.execute(new TransfersReportQuery(period, filter, cursor, PAGE, this.view(request).lang, undefined));
    return transfersPage(this.view(request), report, { ...q, from, to }, localDate(this.clock.now(), this.offset));
  }

  @Get('summary')
  async summary(@Req() request: FastifyRequest): Promise<string> {
    const { report, from, to, groupBy } = await this.summaryReport(request);
    return summaryPage(this.view(request), report, { from, to, groupBy });
  }

  @Get('summary.csv')
  async summaryCsv(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { report, from, to } = await this.summaryReport(request);
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="processing-summary-${from}-${to}.csv"`);
    return summaryCsv(report);
  }

  private async summaryReport(request: FastifyRequest) {
    const q = fieldsOf(request.query);
    const { from, to, period } = this.period(q, 30);
    const asked = listOf(request.query, 'groupBy');
    const bad = asked.find((key) => !(SUMMARY_GROUP_KEYS as readonly string[]).includes(key));
    if (bad !== undefined) throw LedgerError.invalid([{ field: 'groupBy', reason: `unknown key ${JSON.stringify(bad)}: use ${SUMMARY_GROUP_KEYS.join(', ')}` }]);
    const groupBy = [...new Set(asked.length > 0 ? asked : ['category'])] as SummaryGroupKey[];
    const report = await this.queries.execute(new SummaryReportQuery(period, groupBy, this.view(request).lang, undefined, this.offset));
    return { report, from, to, groupBy };
  }

  /** The form's period (days), or the last `days` days; the API's limits (two years at most). */
  private period(q: Readonly<Record<string, string>>, days: number) {
    const fallback = lastDays(this.clock.now(), this.offset, days);
    const from = given(q, 'from') ?? fallback.from;
    const to = given(q, 'to') ?? fallback.to;
    const period = parseReportPeriod(from, to, this.offset);
    if (Array.isArray(period)) throw LedgerError.invalid(period);
    return { from, to, period };
  }

  private get offset(): number {
    return this.config.utcOffsetMinutes;
  }

  private view(request: FastifyRequest) {
    return viewOf(request, this.offset, this.names);
  }
}

/** Filters that name an actor, a unit or a system are codes, as the API's reports take them: anything else matches nothing. */
function checkCodes(q: Fields, fields: readonly string[], errors: FieldError[]): void {
  for (const field of fields) {
    const value = given(q, field);
    if (value !== undefined && !CODE.test(value)) errors.push({ field, reason: 'must be a code: letters, digits and . _ : @ / -' });
  }
}
