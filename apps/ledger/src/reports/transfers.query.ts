import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  ProjectionRunner, TRANSFERS, transfersPage, transfersTotals, type TransferEntry, type TransfersFilter, type TransfersTotals,
} from '@derbes/projections';
import { RegisterCatalog, type Lang } from '@derbes/register';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { readModel } from './read-model';
import { registerNames } from './register-names';
import type { ReportPeriod } from './report-period';

/** A transfer with the names of what was transferred, in the language asked. */
export interface TransferItem extends Omit<TransferEntry, 'categories' | 'purpose'> {
  readonly categories: { readonly number: number; readonly name: string | null }[];
  readonly purpose: { readonly code: string; readonly name: string | null };
}

export interface TransfersReport {
  readonly from: string;
  readonly to: string;
  readonly items: TransferItem[];
  readonly totals: TransfersTotals;
  readonly nextCursor: string | null;
  /** The log position the read model had applied when the report was read. */
  readonly position: number;
}

/** Transfers to third parties and abroad over a period, one page newest first, with totals over every page. */
export class TransfersReportQuery extends Query<TransfersReport> {
  constructor(
    readonly period: ReportPeriod,
    readonly filter: Omit<TransfersFilter, 'from' | 'to'>,
    /** From the previous page's nextCursor, already checked with decodeTransfersCursor. */
    readonly cursor: string | null,
    readonly limit: number,
    readonly lang: Lang,
    /** The client's last write: wait until the read model has applied it. */
    readonly position: number | undefined,
  ) {
    super();
  }
}

@QueryHandler(TransfersReportQuery)
export class TransfersReportHandler implements IQueryHandler<TransfersReportQuery> {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly catalog: RegisterCatalog,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute(query: TransfersReportQuery): Promise<TransfersReport> {
    const tables = await readModel(this.runner, TRANSFERS, query.position);
    // Page, totals and position are read in one turn: the runner applies events between turns, so they agree.
    const position = this.runner.position(TRANSFERS);
    const period = { from: query.period.from.toISOString(), to: query.period.to.toISOString() };
    const filter = { ...query.filter, ...period };
    const page = transfersPage(tables, filter, query.cursor, query.limit);
    const totals = transfersTotals(tables, filter);
    const names = registerNames(this.catalog, this.config.owner, query.lang);
    const items = page.items.map((entry) => ({
      ...entry,
      categories: entry.categories.map((number) => ({ number, name: names.category(number) })),
      purpose: { code: entry.purpose, name: names.purpose(entry.purpose) },
    }));
    return { ...period, items, totals, nextCursor: page.nextCursor, position };
  }
}
