import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
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

/** How old the overview's aggregates may get before a load starts computing them again. */
export const OVERVIEW_TTL_MS = 30_000;
/** The DI token of the timer that ages them (Date.now unless a test gives one). */
export const OVERVIEW_TIMER = 'OVERVIEW_TIMER';
/** How long a load waits for fresh figures before it takes the last ones. */
export const FRESH_WAIT_MS = 100;
const LANGS: readonly Lang[] = ['kk', 'ru', 'en'];
const WARM_UP_TRIES = 12;
const WARM_UP_RETRY_MS = 5_000;

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
 * models (about a second on a 1,000,000-event ledger). They are reused for OVERVIEW_TTL_MS. A load that finds them
 * older starts computing fresh ones and waits for them at most FRESH_WAIT_MS: a small ledger gets fresh figures,
 * a large one gets the last figures at once while the fresh ones are made for the next load. The page says as of
 * when. At start-up each language's figures are computed once in the background, as a fallback only (older than
 * any TTL), so that the first load after a restart does not wait for a large ledger either. Requests and silent
 * systems are read fresh on every load (they are cheap and they are what must not be late).
 */
@Injectable()
export class OverviewFigures implements OnApplicationBootstrap {
  private readonly cache = new Map<Lang, { readonly madeAt: number; readonly figures: OverviewAggregates }>();
  private readonly computing = new Map<Lang, Promise<OverviewAggregates>>();
  private readonly logger = new Logger('console');

  constructor(
    private readonly queries: QueryBus,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    /** A technical timer (the age of a cache entry, not a fact of the ledger); tests give their own. */
    @Optional() @Inject(OVERVIEW_TIMER) private readonly timer: () => number = Date.now,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.runProjections) for (const lang of LANGS) this.warmUp(lang, WARM_UP_TRIES);
  }

  /** Read models still being built at start-up refuse the queries: try again a little later, a few times, quietly. */
  private warmUp(lang: Lang, tries: number): void {
    this.compute(lang).then(
      (figures) => { if (!this.cache.has(lang)) this.cache.set(lang, { madeAt: -Infinity, figures }); },
      (error: unknown) => {
        if (tries > 1) setTimeout(() => this.warmUp(lang, tries - 1), WARM_UP_RETRY_MS).unref();
        else this.logger.debug(`the overview's start-up figures were not made: ${String(error)}`);
      },
    );
  }

  get(lang: Lang): Promise<OverviewAggregates> {
    const cached = this.cache.get(lang);
    if (cached && this.timer() - cached.madeAt < OVERVIEW_TTL_MS) return Promise.resolve(cached.figures);
    const fresh = this.refresh(lang);
    if (!cached) return fresh;
    const last = cached.figures;
    return Promise.race([fresh.catch(() => last), new Promise<OverviewAggregates>((resolve) => setTimeout(resolve, FRESH_WAIT_MS, last).unref())]);
  }

  /** One computation per language at a time; its result replaces the cached figures. */
  private refresh(lang: Lang): Promise<OverviewAggregates> {
    const running = this.computing.get(lang);
    if (running) return running;
    const run = this.compute(lang).then((figures) => {
      this.cache.set(lang, { madeAt: this.timer(), figures });
      return figures;
    });
    this.computing.set(lang, run);
    run.then(() => this.computing.delete(lang), (error: unknown) => {
      this.computing.delete(lang);
      this.logger.warn(`the overview's figures could not be computed: ${String(error)}`);
    });
    return run;
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
