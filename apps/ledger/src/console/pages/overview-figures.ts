import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { PROCESSING_SUMMARY, ProjectionRunner } from '@derbes/projections';
import { QueryBus, type IQuery } from '@nestjs/cqrs';
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

/** How old the overview's aggregates may get before a load has fresh ones made for the next. */
export const OVERVIEW_TTL_MS = 30_000;
/** The DI token of the timer that ages them (Date.now unless a test gives one). */
export const OVERVIEW_TIMER = 'OVERVIEW_TIMER';
/**
 * A quarter with fewer records than this is cheap to count (well under 100 ms): its figures are made anew for every
 * load after a change. Decided on the ledger's size, not on a measured time, so that a loaded machine does not
 * change what a page shows.
 */
export const CHEAP_RECORDS = 20_000;
const LANGS: readonly Lang[] = ['kk', 'ru', 'en'];
/** Start-up figures are tried again every WARM_UP_RETRY_MS for up to an hour: a rebuild of the read models takes minutes. */
const WARM_UP_TRIES = 720;
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
 * models, on this thread (about 0.85 s in all on a 1,000,000-event ledger). How a load gets them:
 * - nothing recorded since they were made (the read model's position): the ones made;
 * - they are cheap to make (under CHEAP_RECORDS records in the quarter): made anew for this load;
 * - else the last ones at once, and when those are older than OVERVIEW_TTL_MS fresh ones are made after the answer,
 *   one query per turn of the event loop so that other requests wait for one query at most.
 * Each language's are made once at start-up (tried again while the read models are still being built), so that the
 * first load after a restart does not wait on a large ledger either. The page says as of when. Requests and silent
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
    /** Where the summary read model is: figures made at this position are current. */
    @Optional() private readonly projections?: ProjectionRunner,
    /** A technical timer (the age of the figures, not a fact of the ledger); tests give their own. */
    @Optional() @Inject(OVERVIEW_TIMER) private readonly timer: () => number = Date.now,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.runProjections) for (const lang of LANGS) this.warmUp(lang, WARM_UP_TRIES);
  }

  async get(lang: Lang): Promise<OverviewAggregates> {
    const cached = this.cache.get(lang);
    const figures = cached?.figures ?? (await this.refresh(lang));
    if (this.isCurrent(figures)) return figures;
    if (figures.perDay.totals.records < CHEAP_RECORDS) {
      // Made anew for this load; one that was being made from before the latest record is waited for, then redone.
      const fresh = await this.refresh(lang);
      return this.isCurrent(fresh) ? fresh : this.refresh(lang);
    }
    if (cached && this.timer() - cached.madeAt >= OVERVIEW_TTL_MS && !this.computing.has(lang)) {
      setImmediate(() => void this.refresh(lang).catch(() => undefined));
    }
    return figures;
  }

  /**
   * Made today (the local day: the windows of 90 and 30 days end on it), with nothing recorded since (or no read
   * model to ask, outside the app). Past midnight the windows move though nothing was recorded.
   */
  private isCurrent(figures: OverviewAggregates): boolean {
    if (figures.to !== lastDays(this.clock.now(), this.config.utcOffsetMinutes, 1).to) return false;
    return !this.projections || figures.perDay.position === this.projections.position(PROCESSING_SUMMARY);
  }

  /** Read models still being built at start-up refuse the queries: try again a little later, a few times, quietly. */
  private warmUp(lang: Lang, tries: number): void {
    if (this.cache.has(lang)) return;
    this.refresh(lang).catch(() => {
      if (tries > 1) setTimeout(() => this.warmUp(lang, tries - 1), WARM_UP_RETRY_MS).unref();
    });
  }

  /** One making per language at a time; its result replaces the cached figures. */
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
      this.logger.debug(`the overview's figures could not be made: ${String(error)}`);
    });
    return run;
  }

  /** Computes them now (the cost of a load that finds none to reuse). */
  async compute(lang: Lang): Promise<OverviewAggregates> {
    const offset = this.config.utcOffsetMinutes;
    const now = this.clock.now();
    const quarter = lastDays(now, offset, 90);
    const month = lastDays(now, offset, 30);
    // One query per turn of the event loop: each runs synchronously on this thread's read connection.
    const next = <T>(query: IQuery): Promise<T> => new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.queries.execute<IQuery, T>(query));
    const summary = (groupBy: ('day' | 'operation' | 'category' | 'purpose')[]) =>
      next<SummaryReport>(new SummaryReportQuery(quarter.period, groupBy, lang, undefined, offset));
    const perDay = await summary(['day', 'operation']);
    const categories = await summary(['category']);
    const purposes = await summary(['purpose']);
    const violations = await next<ViolationsReportDto>(new ViolationsReportQuery({ from: quarter.period.from.toISOString(), to: quarter.period.to.toISOString() }, null, 1, undefined, lang));
    const activity = await next<ActorActivityReportDto>(new ActorActivityReportQuery({ from: month.from, to: month.to }, lang, undefined));
    return { from: quarter.from, to: quarter.to, perDay, categories, purposes, violations, activity, asOf: now.toISOString() };
  }
}
