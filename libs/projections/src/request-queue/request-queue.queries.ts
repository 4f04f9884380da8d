import type { DeadlineFirstDay } from '@derbes/ledger';
import { KeysetCursor } from '../keyset-cursor';
import type { ReadModelTables } from '../projection';
import { cachedStatement } from '../statement-cache';

/** A subject request as the official's queue shows it. */
export interface QueuedRequest {
  readonly requestId: string;
  readonly subjectId: string;
  readonly kind: string;
  readonly channel: string;
  readonly receivedAt: string;
  readonly registeredUnit: string;
  readonly categories: readonly { readonly number: number; readonly slug: string }[];
  readonly workingDays: number;
  /** Where its working days started (the rule at receipt): a re-timing counts with it again. */
  readonly firstDay: DeadlineFirstDay;
  /** Last working day to answer, local date. */
  readonly deadline: string;
  readonly deadlineCoverage: string;
  readonly calendarFingerprint: string;
  /** How often a calendar correction moved the deadline. */
  readonly retimed: number;
  readonly status: 'open' | 'answered' | 'refused';
  readonly closedAt: string | null;
  readonly late: boolean | null;
  readonly workingDaysLate: number | null;
  readonly reasons: readonly string[];
}

interface Row {
  request_id: string; subject_id: string; kind: string; channel: string; received_at: string; registered_unit: string;
  categories: string; working_days: number;
  /** Absent from a version 1 generation's rows, which answer while version 2 is rebuilt after an upgrade. */
  first_day?: DeadlineFirstDay;
  deadline: string; deadline_coverage: string; calendar_fingerprint: string;
  retimed: number; status: QueuedRequest['status']; closed_at: string | null; closed_position: number | null;
  late: number | null; working_days_late: number | null; reasons: string | null;
}

const CLOSED_CURSOR = new KeysetCursor('rq');

function toRequest(row: Row): QueuedRequest {
  return {
    requestId: row.request_id, subjectId: row.subject_id, kind: row.kind, channel: row.channel, receivedAt: row.received_at,
    registeredUnit: row.registered_unit, categories: JSON.parse(row.categories), workingDays: row.working_days,
    // Version 1 had every request counted from the day after receipt, the only rule then.
    firstDay: row.first_day ?? 'after-receipt',
    deadline: row.deadline, deadlineCoverage: row.deadline_coverage, calendarFingerprint: row.calendar_fingerprint,
    retimed: row.retimed, status: row.status, closedAt: row.closed_at, late: row.late === null ? null : row.late === 1,
    workingDaysLate: row.working_days_late, reasons: row.reasons ? JSON.parse(row.reasons) : [],
  };
}

/** Open requests by deadline (earliest first), optionally only those due on or before a local date. */
export function openRequests(tables: ReadModelTables, dueBy?: string): QueuedRequest[] {
  const sql = `SELECT * FROM "${tables.table('requests')}" WHERE status = 'open' AND deadline <= @dueBy ORDER BY deadline, received_at, request_id`;
  return cachedStatement<Row>(tables, sql).all({ dueBy: dueBy ?? '9999-12-31' }).map(toRequest);
}

/** Answered and refused requests, the most recently closed first, one page. */
export function closedRequests(
  tables: ReadModelTables, status: 'answered' | 'refused' | 'closed', cursor: string | null, limit: number,
): { items: QueuedRequest[]; nextCursor: string | null } {
  const after = cursor ? CLOSED_CURSOR.decode(cursor) : null;
  const statuses = status === 'closed' ? "('answered', 'refused')" : `('${status}')`;
  const sql = `SELECT * FROM "${tables.table('requests')}" WHERE status IN ${statuses}
    AND (closed_at < @at OR (closed_at = @at AND closed_position < @position))
    ORDER BY closed_at DESC, closed_position DESC LIMIT @limit`;
  const rows = cachedStatement<Row>(tables, sql).all({
    at: after?.occurredAt ?? '9999-12-31T23:59:59.999Z', position: after?.position ?? Number.MAX_SAFE_INTEGER, limit: limit + 1,
  });
  const items = rows.slice(0, limit).map(toRequest);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { items, nextCursor: last ? CLOSED_CURSOR.encode({ occurredAt: last.closed_at as string, position: last.closed_position as number }) : null };
}

/** Whether a cursor is one the closed listing returned. */
export function isClosedRequestsCursor(cursor: string): boolean {
  return CLOSED_CURSOR.decode(cursor) !== null;
}

/** One request by id, open or closed; null when the queue has none. */
export function queuedRequest(tables: ReadModelTables, requestId: string): QueuedRequest | null {
  const row = cachedStatement<Row>(tables, `SELECT * FROM "${tables.table('requests')}" WHERE request_id = @requestId`).get({ requestId });
  return row ? toRequest(row) : null;
}
