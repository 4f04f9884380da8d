import { canonicalInstant } from '../event-values';
import type { ReadModelTables } from '../projection';
import { cachedStatement } from '../statement-cache';

/** What a summary can be grouped by, in any combination. */
export const SUMMARY_GROUP_KEYS = ['category', 'purpose', 'operation', 'unit', 'system', 'actor', 'day', 'month'] as const;
export type SummaryGroupKey = (typeof SUMMARY_GROUP_KEYS)[number];

/** Groups a summary returns at most by default; beyond it the answer says it is truncated. */
export const MAX_SUMMARY_GROUPS = 10_000;

export interface SummaryQuery {
  /** Inclusive bounds on occurredAt, ISO 8601 instants in any zone. */
  readonly from: string;
  readonly to: string;
  /** Each key at most once; the order is the order of the columns and of the sort. Empty: one group of everything. */
  readonly groupBy: readonly SummaryGroupKey[];
  /** The calendar `day` and `month` are taken in: minutes east of UTC, default 300 (Kazakhstan, UTC+5). */
  readonly utcOffsetMinutes?: number;
  readonly maxGroups?: number;
}

/** One group: its keys (those asked for) and its counts. */
export interface SummaryGroup {
  /** The order's category number. */
  readonly category?: number;
  /** Purpose code, e.g. P01. */
  readonly purpose?: string;
  readonly operation?: string;
  /** The actor's unit. */
  readonly unit?: string;
  readonly system?: string;
  /** The actor's id. */
  readonly actor?: string;
  /** YYYY-MM-DD at the query's offset. */
  readonly day?: string;
  /** YYYY-MM at the query's offset. */
  readonly month?: string;
  /** Distinct records (events) in the group: a record with three categories counts once in each of their groups. */
  readonly records: number;
  /** Distinct subjects in the group. */
  readonly subjects: number;
}

export interface SummaryResult {
  /** Sorted by the keys in groupBy order. */
  readonly rows: SummaryGroup[];
  /** Over the whole period, each record and subject once. */
  readonly totals: { readonly records: number; readonly subjects: number };
  /** True when there were more than maxGroups groups and only the first maxGroups are in `rows`. */
  readonly truncated: boolean;
}

const DAY_SECONDS = 86_400;
// Bound numbers arrive as REAL: the CAST keeps the arithmetic on integers, so a day number divides exactly.
const LOCAL_SECONDS = 'occurred_ms / 1000 + CAST(@shift AS INTEGER)';

const COLUMNS: Record<SummaryGroupKey, string> = {
  category: 'category',
  purpose: 'purpose_code',
  operation: 'operation',
  unit: 'actor_unit',
  system: 'system',
  actor: 'actor_id',
  // A day number (days since 1970-01-01 on the local calendar) groups and sorts cheaper than date text.
  day: `(${LOCAL_SECONDS}) / ${DAY_SECONDS}`,
  month: `strftime('%Y-%m', ${LOCAL_SECONDS}, 'unixepoch')`,
};

/** The SQL of one grouping, exported for query-plan tests. */
export function summarySql(tables: ReadModelTables, groupBy: readonly SummaryGroupKey[]): string {
  // Only a grouping by category needs a row per (event, category); without one, a row per event counts each once.
  const source = tables.table(groupBy.includes('category') ? 'facts' : 'events');
  const keys = groupBy.map((key) => `${COLUMNS[key]} AS "${key}"`);
  const names = groupBy.map((key) => `"${key}"`).join(', ');
  // COUNT(*) counts distinct records: in the events table one row is one event, and in the facts table the
  // grouping includes the category, so an event appears at most once in any group.
  return `SELECT ${[...keys, 'COUNT(*) AS records', 'COUNT(DISTINCT subject_key) AS subjects'].join(', ')}
    FROM "${source}" WHERE occurred_ms >= @from AND occurred_ms <= @to
    ${groupBy.length > 0 ? `GROUP BY ${names} ORDER BY ${names}` : ''} LIMIT @limit`;
}

/**
 * Counts of records and distinct subjects over a period, grouped by any combination of keys. Throws RangeError on
 * a repeated or unknown key, a bound that is not an instant, or an offset outside +-14 h: callers validate first.
 */
export function processingSummary(tables: ReadModelTables, query: SummaryQuery): SummaryResult {
  const offset = query.utcOffsetMinutes ?? 300;
  if (!Number.isInteger(offset) || Math.abs(offset) > 840) throw new RangeError(`utcOffsetMinutes out of range: ${offset}`);
  if (new Set(query.groupBy).size !== query.groupBy.length) throw new RangeError('a groupBy key is repeated');
  for (const key of query.groupBy) if (!(key in COLUMNS)) throw new RangeError(`unknown groupBy key ${JSON.stringify(key)}`);
  const maxGroups = query.maxGroups ?? MAX_SUMMARY_GROUPS;
  const period = { from: Date.parse(canonicalInstant(query.from)), to: Date.parse(canonicalInstant(query.to)) };
  const params = { ...period, limit: maxGroups + 1, shift: offset * 60 };
  const rows = cachedStatement<SummaryGroup>(tables, summarySql(tables, query.groupBy)).all(params);
  const totals = cachedStatement<{ records: number; subjects: number }>(
    tables,
    `SELECT COUNT(*) AS records, COUNT(DISTINCT subject_key) AS subjects FROM "${tables.table('events')}"
     WHERE occurred_ms >= @from AND occurred_ms <= @to`,
  ).get(period) as { records: number; subjects: number };
  const truncated = rows.length > maxGroups;
  return { rows: (truncated ? rows.slice(0, maxGroups) : rows).map(withDayText), totals: { ...totals }, truncated };
}

function withDayText(row: SummaryGroup): SummaryGroup {
  if (row.day === undefined) return row;
  return { ...row, day: new Date(Number(row.day) * DAY_SECONDS * 1000).toISOString().slice(0, 10) };
}
