import type { Operation, ProcessingRecordedData } from '@derbes/ledger';

/** An entry's data: a processing record's, or a read of the file in the same shape with operation `read`. */
export type HistoryEntryData = Omit<ProcessingRecordedData, 'operation'> & { readonly operation: Operation | 'read' };
import { canonicalInstant } from '../event-values';
import type { ReadModelTables } from '../projection';
import { cachedStatement } from '../statement-cache';
import { existingSubjectKey } from '../subject-keys';
import { decodeHistoryCursor, encodeHistoryCursor, type SubjectHistoryCursorKey } from './subject-history-cursor';
import { categoriesText } from './subject-history.projection';

/** Filters of a subject's history; all optional, combined with AND. */
export interface SubjectHistoryFilter {
  readonly operation?: string;
  /** The order's category number. */
  readonly category?: number;
  /** Purpose code, e.g. P01. */
  readonly purpose?: string;
  readonly actorId?: string;
  readonly unit?: string;
  readonly system?: string;
  /** Inclusive bounds on occurredAt, ISO 8601 instants in any zone. */
  readonly from?: string;
  readonly to?: string;
  /** Only entries the approved list flagged. */
  readonly violationsOnly?: boolean;
}

/** One entry of a subject's history: the event's data with where it sits in the log. */
export interface SubjectHistoryEntry {
  readonly position: number;
  readonly revision: number;
  readonly eventId: string;
  /** Canonical UTC ISO text, e.g. 2026-11-20T09:30:00.000Z. */
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly data: HistoryEntryData;
}

export interface SubjectHistoryPage {
  /** Newest first: by occurredAt, then by position. */
  readonly items: SubjectHistoryEntry[];
  /** Pass as `cursor` for the next page; null when this page is the last. */
  readonly nextCursor: string | null;
}

interface Row {
  readonly position: number;
  readonly revision: number;
  readonly event_id: string;
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly correlation_id: string;
  readonly data: string;
}

type Params = Record<string, string | number>;

/** The SQL of one filter combination and its named parameters. Exported for the query-plan test. */
export function subjectHistorySql(
  tables: ReadModelTables,
  subjectKey: number,
  filter: SubjectHistoryFilter,
  after: SubjectHistoryCursorKey | null,
  limit: number,
): { sql: string; params: Params } {
  // Every filter is tested in the one index, walked newest first (subject-history.projection.ts, createIndexes).
  const where = ['e.subject_key = @subjectKey'];
  const params: Params = { subjectKey, limit };
  const add = (condition: string, name: string, value: string | number | undefined) => {
    if (value === undefined) return;
    where.push(condition);
    params[name] = value;
  };
  add('instr(e.categories, @category) > 0', 'category', filter.category === undefined ? undefined : categoriesText([filter.category]));
  add('e.operation = @operation', 'operation', filter.operation);
  add('e.purpose_code = @purpose', 'purpose', filter.purpose);
  add('e.actor_id = @actorId', 'actorId', filter.actorId);
  add('e.actor_unit = @unit', 'unit', filter.unit);
  add('e.system = @system', 'system', filter.system);
  if (filter.violationsOnly) where.push('e.has_violations = 1');
  add('e.occurred_at >= @from', 'from', filter.from === undefined ? undefined : canonicalInstant(filter.from));
  add('e.occurred_at <= @to', 'to', filter.to === undefined ? undefined : canonicalInstant(filter.to));
  if (after) {
    where.push('(e.occurred_at, e.position) < (@afterAt, @afterPosition)');
    params.afterAt = after.occurredAt;
    params.afterPosition = after.position;
  }
  const sql = `SELECT e.position, e.revision, e.event_id, e.occurred_at, e.recorded_at, e.correlation_id, e.data
    FROM "${tables.table('entries')}" e WHERE ${where.join(' AND ')}
    ORDER BY e.occurred_at DESC, e.position DESC LIMIT @limit`;
  return { sql, params };
}

/**
 * One page of a subject's history, newest first, continuing strictly after `cursor` (keyset pagination on
 * (occurredAt, position), so entries recorded meanwhile never shift a page). Empty for an unknown subject. Throws
 * RangeError on a cursor this module did not make, a bound that is not an instant, or a limit below 1: callers
 * validate their input first.
 */
export function subjectHistoryPage(
  tables: ReadModelTables,
  subjectId: string,
  filter: SubjectHistoryFilter,
  cursor: string | null,
  limit: number,
): SubjectHistoryPage {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number from 1, got ${limit}`);
  const after = cursor === null ? null : decodeHistoryCursor(cursor);
  if (cursor !== null && !after) throw new RangeError('not a subject-history cursor');
  const key = existingSubjectKey(tables, subjectId);
  if (key === undefined) return { items: [], nextCursor: null };
  // One row more than asked tells whether another page follows.
  const { sql, params } = subjectHistorySql(tables, key, filter, after, limit + 1);
  const rows = cachedStatement<Row>(tables, sql).all(params);
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map(toEntry);
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeHistoryCursor(last) : null };
}

/** Whether the read model holds any entry about the subject (tells an unknown subject from a filter that matched nothing). */
export function subjectHasHistory(tables: ReadModelTables, subjectId: string): boolean {
  return existingSubjectKey(tables, subjectId) !== undefined;
}

function toEntry(row: Row): SubjectHistoryEntry {
  return {
    position: row.position,
    revision: row.revision,
    eventId: row.event_id,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    correlationId: row.correlation_id,
    data: JSON.parse(row.data) as HistoryEntryData,
  };
}
