import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { PROCESSING_SUMMARY, ProjectionRunner, processingSummary, type SummaryGroup, type SummaryGroupKey } from '@derbes/projections';
import { RegisterCatalog, type Lang } from '@derbes/register';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { readModel } from './read-model';
import { registerNames, type RegisterNames } from './register-names';
import type { ReportPeriod } from './report-period';

/** A column of the summary: a group key, a name beside the category or purpose code, or a count. */
export type SummaryColumn = SummaryGroupKey | 'categoryName' | 'purposeName' | 'records' | 'subjects';

/** One row: the columns of summaryColumns(groupBy), in that order. */
export type SummaryRow = Partial<Record<SummaryColumn, string | number | null>> & { readonly records: number; readonly subjects: number };

export interface SummaryReport {
  readonly from: string;
  readonly to: string;
  readonly utcOffsetMinutes: number;
  readonly groupBy: readonly SummaryGroupKey[];
  readonly lang: Lang;
  readonly rows: SummaryRow[];
  readonly totals: { readonly records: number; readonly subjects: number };
  readonly truncated: boolean;
  /** The log position the read model had applied when the report was read. */
  readonly position: number;
}

/** The columns of a summary grouped by `groupBy`: each key (with its name after a category or purpose), then the counts. */
export function summaryColumns(groupBy: readonly SummaryGroupKey[]): SummaryColumn[] {
  const keys = groupBy.flatMap((key): SummaryColumn[] =>
    key === 'category' ? ['category', 'categoryName'] : key === 'purpose' ? ['purpose', 'purposeName'] : [key],
  );
  return [...keys, 'records', 'subjects'];
}

/** Counts of records and distinct subjects over a period, grouped by any of the summary's keys. */
export class SummaryReportQuery extends Query<SummaryReport> {
  constructor(
    readonly period: ReportPeriod,
    readonly groupBy: readonly SummaryGroupKey[],
    readonly lang: Lang,
    /** The client's last write: wait until the read model has applied it. */
    readonly position: number | undefined,
    /** Minutes east of UTC of the calendar of `day` and `month`. */
    readonly utcOffsetMinutes = 300,
  ) {
    super();
  }
}

@QueryHandler(SummaryReportQuery)
export class SummaryReportHandler implements IQueryHandler<SummaryReportQuery> {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly catalog: RegisterCatalog,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute(query: SummaryReportQuery): Promise<SummaryReport> {
    const period = { from: query.period.from.toISOString(), to: query.period.to.toISOString() };
    // Rows, totals and position in one read transaction: the projections thread commits batches meanwhile.
    const { result, position } = await readModel(this.runner, PROCESSING_SUMMARY, query.position, (tables, at) => ({
      result: processingSummary(tables, { ...period, groupBy: query.groupBy, utcOffsetMinutes: query.utcOffsetMinutes }),
      position: at,
    }));
    const names = registerNames(this.catalog, this.config.owner, query.lang);
    const columns = summaryColumns(query.groupBy);
    return {
      ...period,
      utcOffsetMinutes: query.utcOffsetMinutes,
      groupBy: query.groupBy,
      lang: query.lang,
      rows: result.rows.map((group) => toRow(group, columns, names)),
      totals: result.totals,
      truncated: result.truncated,
      position,
    };
  }
}

function toRow(group: SummaryGroup, columns: readonly SummaryColumn[], names: RegisterNames): SummaryRow {
  const value = (column: SummaryColumn): string | number | null => {
    if (column === 'categoryName') return group.category === undefined ? null : names.category(group.category);
    if (column === 'purposeName') return group.purpose === undefined ? null : names.purpose(group.purpose);
    return group[column] ?? null;
  };
  return Object.fromEntries(columns.map((column) => [column, value(column)])) as SummaryRow;
}
