import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Lang } from '@derbes/register';
import { Clock } from '../../clock';
import { LEDGER_CONFIG } from '../../config/config.tokens';
import type { LedgerConfig } from '../../config/ledger-config';
import type { ActorActivityReportDto } from '../../reports/actor-activity.dto';
import { ActorActivityReportQuery } from '../../reports/actor-activity.query';
import { SummaryReportQuery, type SummaryReport } from '../../reports/summary.query';
import type { ViolationsReportDto } from '../../reports/violations.dto';
import { ViolationsReportQuery } from '../../reports/violations-report.query';
import { lastDays } from '../http/periods';

/** How long the overview's aggregates are reused before they are computed again. */
export const OVERVIEW_TTL_MS = 30_000;

export interface OverviewAggregates {
  readonly from: string;
  readonly to: string;
  readonly perDay: SummaryReport;
  readonly categories: SummaryReport;
  readonly purposes: SummaryReport;
  readonly violations: ViolationsReportDto;
  readonly activity: ActorActivityReportDto;
  /** When they were computed (the ledger's clock). */
  readonly asOf: string;
}

/**
 * The overview's aggregates over 90 (and 30) days: five queries that each scan a quarter of the ledger's read
 * models. Reused for OVERVIEW_TTL_MS per language, so that the page everyone opens first does not rescan a
 * million-event ledger on every load; the page says as of when. Requests and silent systems are read fresh each
 * time (they are cheap and they are what must not be late).
 */
@Injectable()
export class OverviewFigures {
  private readonly cache = new Map<Lang, { readonly madeAt: number; readonly figures: Promise<OverviewAggregates> }>();

  constructor(private readonly queries: QueryBus, private readonly clock: Clock, @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig) {}

  get(lang: Lang): Promise<OverviewAggregates> {
    // A technical timer, not the ledger's clock: the age of a cache entry, not a fact of the ledger.
    const now = Date.now();
    const cached = this.cache.get(lang);
    if (cached && now - cached.madeAt < OVERVIEW_TTL_MS) return cached.figures;
    const figures = this.compute(lang);
    this.cache.set(lang, { madeAt: now, figures });
    figures.catch(() => this.cache.delete(lang));
    return figures;
  }

  /** Computes them now (the cost of a load that finds none to reuse). */
  async compute(lang: Lang): Promise<OverviewAggregates> {
    const offset = this.config.utcOffsetMinutes;
    const now = this.clock.now();
    const quarter = lastDays(now, offset, 90);
    const month = lastDays(now, offset, 30);
    const summary = (groupBy: ('day' | 'operation' | 'category' | 'purpose')[]) =>
      this.queries.execute(new SummaryReportQuery(quarter.period, groupBy, lang, undefined, offset));
    const [perDay, categories, purposes, violations, activity] = await Promise.all([
      summary(['day', 'operation']),
      summary(['category']),
      summary(['purpose']),
      this.queries.execute(new ViolationsReportQuery({ from: quarter.period.from.toISOString(), to: quarter.period.to.toISOString() }, null, 1, undefined)),
      this.queries.execute(new ActorActivityReportQuery({ from: month.from, to: month.to }, lang, undefined)),
    ]);
    return { from: quarter.from, to: quarter.to, perDay, categories, purposes, violations, activity, asOf: now.toISOString() };
  }
}
