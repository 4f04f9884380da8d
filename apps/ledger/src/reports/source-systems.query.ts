import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import {
  ProjectionRunner, SOURCE_SYSTEMS, findFirstHolders, sourceSystemReports, sourceSystemStates, type SourceSystemAlert,
  type SourceSystemReport,
} from '@derbes/projections';
import type { Lang } from '@derbes/register';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { readModel } from './read-model';
import { sourceSystemAlertText } from './source-system-alert.text';

/** Gaps and repeats listed per system; the counts give the rest. */
const LISTED_PER_SYSTEM = 100;

/** An alert with its facts and the same in plain words (`detail`, in the language asked for). */
export type DescribedAlert = SourceSystemAlert & { readonly detail: string };

export interface DescribedSystemReport extends Omit<SourceSystemReport, 'alerts'> {
  readonly alerts: DescribedAlert[];
}

export interface SourceSystemsReport {
  /** The time silence was judged at. */
  readonly at: string;
  readonly systems: DescribedSystemReport[];
  /** Alerts over all systems listed. */
  readonly alertCount: number;
  /** The log position the read model had applied when the report was read. */
  readonly position: number;
}

/** Every source system heard from or expected, with its alerts as of now. */
export class SourceSystemsReportQuery extends Query<SourceSystemsReport> {
  constructor(
    readonly system: string | undefined,
    /** The client's last write: wait until the read model has applied it. */
    readonly position: number | undefined,
    /** The language of each alert's detail. */
    readonly lang: Lang,
  ) {
    super();
  }
}

@QueryHandler(SourceSystemsReportQuery)
export class SourceSystemsReportHandler implements IQueryHandler<SourceSystemsReportQuery> {
  /** First holders of repeated numbers found in the log so far: the log never changes, so neither do they. */
  private readonly firstHolders = new Map<string, string>();

  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly clock: Clock,
  ) {}

  async execute(query: SourceSystemsReportQuery): Promise<SourceSystemsReport> {
    // States and position in one read transaction, so they agree.
    const { states, position } = await readModel(this.runner, SOURCE_SYSTEMS, query.position, (tables, at) => ({
      states: sourceSystemStates(tables, { ...(query.system === undefined ? {} : { system: query.system }), limit: LISTED_PER_SYSTEM }), position: at,
    }));
    const holders = await findFirstHolders(this.store, states, this.firstHolders);
    const now = this.clock.now();
    const at = now.toISOString();
    const systems = sourceSystemReports(states, this.config.sourceSystems, now, holders, query.system).map((report) => ({
      ...report,
      alerts: report.alerts.map((alert) => ({ ...alert, detail: sourceSystemAlertText(report, alert, at, query.lang) })),
    }));
    return { at, systems, alertCount: systems.reduce((n, s) => n + s.alerts.length, 0), position };
  }
}
