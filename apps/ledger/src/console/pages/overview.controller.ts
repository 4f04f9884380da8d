import { Controller, Get, Inject, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import { OPERATIONS } from '@derbes/ledger';
import { codeLabel } from '@derbes/reports';
import type { Lang } from '@derbes/register';
import { CodeNames } from '@derbes/register';
import { Allow } from '../../auth/roles';
import { LEDGER_CONFIG } from '../../config/config.tokens';
import type { LedgerConfig } from '../../config/ledger-config';
import { SourceSystemsReportQuery } from '../../reports/source-systems.query';
import type { SummaryRow } from '../../reports/summary.query';
import { RequestQueueQuery } from '../../subject-requests/request-queue.query';
import { viewOf } from '../http/console-context';
import { ConsolePages } from '../http/console-pages.decorator';
import { daysBetween } from '../http/periods';
import { t } from '../i18n/console-i18n';
import type { DailySeries } from '../views/chart';
import { overviewPage, type Ranked } from '../views/overview.page';
import { OVERVIEW_TTL_MS, OverviewFigures } from './overview-figures';

const TOP = 10;

/**
 * The overview: what the official looks at first. Every figure comes from the queries behind the API's reports
 * (summary, violations, actor activity, source systems, request queue), the heavy ones reused for a while
 * (OverviewFigures); nothing here names a person, so nothing is recorded in anyone's file.
 */
@ConsolePages()
@Allow(['official', 'auditor'])
@Controller('console')
export class OverviewController {
  constructor(
    private readonly names: CodeNames,
    private readonly queries: QueryBus,
    private readonly figures: OverviewFigures,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get('overview')
  async overview(@Req() request: FastifyRequest): Promise<string> {
    const view = viewOf(request, this.config.utcOffsetMinutes, this.names);
    const [aggregates, systems, dueToday, overdue] = await Promise.all([
      this.figures.get(view.lang),
      this.queries.execute(new SourceSystemsReportQuery(undefined, undefined, view.lang)),
      // Open requests only: no refusal reasons to open.
      this.queries.execute(new RequestQueueQuery('open', 'today', null, 500, undefined, false)),
      this.queries.execute(new RequestQueueQuery('open', 'overdue', null, 500, undefined, false)),
    ]);
    return overviewPage(view, {
      perDay: this.perDay(aggregates.perDay.rows, aggregates.from, aggregates.to, view.lang),
      topCategories: top(aggregates.categories.rows, 'category', 'categoryName'),
      topPurposes: top(aggregates.purposes.rows, 'purpose', 'purposeName'),
      violations: aggregates.violations, unusual: aggregates.activity.unusual, systems: systems.systems, systemsAt: systems.at, dueToday: dueToday.items, overdue: overdue.items,
      asOf: aggregates.asOf, refreshSeconds: OVERVIEW_TTL_MS / 1000,
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
