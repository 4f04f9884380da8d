import { canonicalInstant } from '../event-values';
import type { ReadModelTables } from '../projection';
import { cachedStatement } from '../statement-cache';
import { decodeViolationsCursor, encodeViolationsCursor } from './violations-cursor';

/** Filters of the violations report; all optional, combined with AND. */
export interface ViolationsFilter {
  /** A violation code, e.g. category-destroyed. */
  readonly code?: string;
  readonly unit?: string;
  readonly system?: string;
  readonly actorId?: string;
  /** Inclusive bounds on occurredAt, ISO 8601 instants in any zone. */
  readonly from?: string;
  readonly to?: string;
}

/** One reason a record was flagged. The subject is named only by their pseudonymous id. */
export interface ViolationItem {
  readonly position: number;
  readonly recordId: string;
  readonly subjectId: string;
  /** Canonical UTC ISO text. */
  readonly occurredAt: string;
  readonly operation: string;
  readonly purpose: string;
  readonly code: string;
  /** The category the reason is about, where the rule is about one. */
  readonly category: { readonly number: number; readonly code: string | null } | null;
  /** The reason in English, as the rules wrote it when recording. */
  readonly detail: string;
  /** When the category was destroyed, depersonalized or blocked (state reasons; null when not recorded); else null. */
  readonly since: string | null;
  /** The approved list in force when the record happened, null when there was none. */
  readonly register: { readonly id: string; readonly version: number } | null;
  /** The recipient's country, for a transfer. */
  readonly country: string | null;
  readonly actor: { readonly id: string; readonly role: string; readonly unit: string };
  readonly system: string;
  /** The local date (YYYY-MM-DD) until which the subject's own report withholds the record; null when it has no embargo. */
  readonly embargoUntil: string | null;
}

/** Counts over everything the filter matches, not only the page. */
export interface ViolationCounts {
  /** Reasons (rows) matched. */
  readonly reasons: number;
  /** Distinct flagged records matched. */
  readonly records: number;
  /** Reasons per violation code. */
  readonly byReason: Record<string, number>;
  /** Flagged records per actor's unit. */
  readonly byUnit: Record<string, number>;
}

export interface ViolationsPage {
  /** Newest first: by occurredAt, then log position, then the reason's order in the record. */
  readonly items: ViolationItem[];
  readonly counts: ViolationCounts;
  /** Pass as `cursor` for the next page; null when this page is the last. */
  readonly nextCursor: string | null;
}

type Params = Record<string, string | number>;

interface Row {
  readonly position: number;
  readonly seq: number;
  readonly record_id: string;
  readonly subject_id: string;
  readonly occurred_at: string;
  readonly operation: string;
  readonly purpose: string;
  readonly code: string;
  readonly category: number | null;
  readonly category_slug: string | null;
  readonly detail: string;
  readonly since: string | null;
  readonly register_id: string | null;
  readonly register_version: number | null;
  readonly country: string | null;
  readonly actor_id: string;
  readonly actor_role: string;
  readonly unit: string;
  readonly system: string;
  /** Absent from the rows of a generation before version 3, which answers while version 3 is built. */
  readonly embargo_until?: string | null;
}

function whereOf(filter: ViolationsFilter): { where: string[]; params: Params } {
  const where: string[] = [];
  const params: Params = {};
  const equal = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = @${column}`);
    params[column] = value;
  };
  equal('code', filter.code);
  equal('unit', filter.unit);
  equal('system', filter.system);
  equal('actor_id', filter.actorId);
  if (filter.from !== undefined) {
    where.push('occurred_at >= @from');
    params.from = canonicalInstant(filter.from);
  }
  if (filter.to !== undefined) {
    where.push('occurred_at <= @to');
    params.to = canonicalInstant(filter.to);
  }
  return { where, params };
}

const clause = (where: readonly string[]) => (where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`);

function all<T>(tables: ReadModelTables, sql: string, params: Params): T[] {
  return cachedStatement<T>(tables, sql).all(params);
}

/**
 * One page of flagged records' reasons, newest first, continuing strictly after `cursor` (keyset pagination, so
 * records flagged meanwhile never shift a page), with counts over the whole filter. Throws RangeError on a cursor
 * this module did not make or a bound that is not an instant: callers validate their input first.
 */
export function violationsPage(tables: ReadModelTables, filter: ViolationsFilter, cursor: string | null, limit: number): ViolationsPage {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number from 1, got ${limit}`);
  const after = cursor === null ? null : decodeViolationsCursor(cursor);
  if (cursor !== null && !after) throw new RangeError('not a violations cursor');
  const reasons = `"${tables.table('reasons')}"`;
  const { where, params } = whereOf(filter);
  const pageWhere = after ? [...where, '(occurred_at, position, seq) < (@afterAt, @afterPosition, @afterSeq)'] : where;
  const pageParams: Params = after ? { ...params, afterAt: after.occurredAt, afterPosition: after.position, afterSeq: after.seq } : params;
  // One row more than asked tells whether another page follows.
  const rows = all<Row>(tables, `SELECT * FROM ${reasons} ${clause(pageWhere)}
    ORDER BY occurred_at DESC, position DESC, seq DESC LIMIT @limit`, { ...pageParams, limit: limit + 1 });
  const byReason = all<{ key: string; n: number }>(tables, `SELECT code AS key, COUNT(*) AS n FROM ${reasons} ${clause(where)} GROUP BY code ORDER BY code`, params);
  const byUnit = all<{ key: string; n: number }>(
    tables, `SELECT unit AS key, COUNT(DISTINCT position) AS n FROM ${reasons} ${clause(where)} GROUP BY unit ORDER BY unit`, params,
  );
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map(toItem),
    counts: {
      reasons: byReason.reduce((sum, r) => sum + r.n, 0),
      // Every reason of a record shares its unit, so records per unit add up to the records matched.
      records: byUnit.reduce((sum, r) => sum + r.n, 0),
      byReason: Object.fromEntries(byReason.map((r) => [r.key, r.n])),
      byUnit: Object.fromEntries(byUnit.map((r) => [r.key, r.n])),
    },
    nextCursor: more && last ? encodeViolationsCursor({ occurredAt: last.occurred_at, position: last.position, seq: last.seq }) : null,
  };
}

function toItem(row: Row): ViolationItem {
  return {
    position: row.position,
    recordId: row.record_id,
    subjectId: row.subject_id,
    occurredAt: row.occurred_at,
    operation: row.operation,
    purpose: row.purpose,
    code: row.code,
    category: row.category === null ? null : { number: row.category, code: row.category_slug },
    detail: row.detail,
    since: row.since,
    register: row.register_id === null || row.register_version === null ? null : { id: row.register_id, version: row.register_version },
    country: row.country,
    actor: { id: row.actor_id, role: row.actor_role, unit: row.unit },
    system: row.system,
    // Version 2's rows, which answer while version 3 is built, have no embargo column: none is shown until the swap.
    embargoUntil: row.embargo_until ?? null,
  };
}
