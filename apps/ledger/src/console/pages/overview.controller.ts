import { Controller, Get, Inject, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import { OPERATIONS } from '@derbes/ledger';
import { codeLabel } from '@derbes/reports';
import type { Lang } from '@derbes/register';
import { Allow } from '../../auth/roles';
import { Clock } from '../../clock';
import { LEDGER_CONFIG } from '../../config/config.tokens';
import type { LedgerConfig } from '../../config/ledger-config';
import { ActorActivityReportQuery } from '../../reports/actor-activity.query';
import { SourceSystemsReportQuery } from '../../reports/source-systems.query';
import { SummaryReportQuery, type SummaryRow } from '../../reports/summary.query';
import { ViolationsReportQuery } from '../../reports/violations-report.query';
import { RequestQueueQuery } from '../../subject-requests/request-queue.query';
import { viewOf } from '../http/console-context';
import { ConsolePages } from '../http/console-pages.decorator';
import { daysBetween, lastDays } from '../http/periods';
import { t } from '../i18n/console-i18n';
import type { DailySeries } from '../views/chart';
import { overviewPage, type Ranked } from '../views/overview.page';

const TOP = 10;

/**
 * The overview: what the official looks at first. Every figure comes from the queries behind the API's reports
 * (summary, violations, actor activity, source systems, request queue); nothing here names a person, so nothing is
 * recorded in anyone's file.
 */
@ConsolePages()
@Allow(['official', 'auditor'])
@Controller('console')
export class OverviewController {
  constructor(
    private readonly queries: QueryBus,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get('overview')
  async overview(@Req() request: FastifyRequest): Promise<string> {
    const view = viewOf(request, this.config.utcOffsetMinutes);
    const offset = this.config.utcOffsetMinutes;
    const now = this.clock.now();
    const quarter = lastDays(now, offset, 90);
    const month = lastDays(now, offset, 30);
    const summary = (groupBy: ('day' | 'operation' | 'category' | 'purpose')[]) =>
      this.queries.execute(new SummaryReportQuery(quarter.period, groupBy, view.lang, undefined, offset));
    const [perDay, categories, purposes, violations, activity, systems, dueToday, overdue] = await Promise.all([
      summary(['day', 'operation']),
      summary(['category']),
      summary(['purpose']),
      this.queries.execute(new ViolationsReportQuery({ from: quarter.period.from.toISOString(), to: quarter.period.to.toISOString() }, null, 1, undefined)),
      this.queries.execute(new ActorActivityReportQuery({ from: month.from, to: month.to }, view.lang, undefined)),
      this.queries.execute(new SourceSystemsReportQuery(undefined, undefined)),
      this.queries.execute(new RequestQueueQuery('open', 'today', null, 500, undefined)),
      this.queries.execute(new RequestQueueQuery('open', 'overdue', null, 500, undefined)),
    ]);
    return overviewPage(view, {
      perDay: this.perDay(perDay.rows, quarter.from, quarter.to, view.lang),
      topCategories: top(categories.rows, 'category', 'categoryName'),
      topPurposes: top(purposes.rows, 'purpose', 'purposeName'),
      violations, unusual: activity.unusual, systems: systems.systems, dueToday: dueToday.items, overdue: overdue.items,
    });
  }

  /** Records per day and operation, one series per operation that occurred, zero on days without records. */
  private perDay(rows: readonly SummaryRow[], from: string, to: string, lang: Lang): DailySeries {
    const days = daysBetween(from, to);
    const index = new Map(days.map((d, i) => [d, i]));
    const counts = new Map<string, number[]>();
    for (const row of rows) {
      const values = counts.get(String(row.operation)) ?? counts.set(String(row.operation), days.map(() => 0)).get(String(row.operation)) as number[];
      const i = index.get(String(row.day));
      if (i !== undefined) values[i] = row.records;
    }
    return {
      id: 'per-day', label: t(lang, 'overview.perDay'), xLabel: t(lang, 'overview.day'), yLabel: t(lang, 'overview.records'), days,
      series: OPERATIONS.filter((op) => counts.has(op)).map((op) => ({ label: codeLabel(lang, 'op', op), values: counts.get(op) as number[] })),
    };
  }
}

function top(rows: readonly SummaryRow[], key: 'category' | 'purpose', name: 'categoryName' | 'purposeName'): Ranked[] {
  return [...rows].sort((a, b) => b.records - a.records).slice(0, TOP)
    .map((r) => ({ code: String(r[key]), name: String(r[name] ?? ''), records: r.records }));
}
