import type { RecordedEvent } from '@derbes/event-store';
import { upcastSubjectEvent } from '@derbes/ledger';
import type { Projection, ReadModelTables } from '../projection';
import { cachedStatement } from '../statement-cache';

export const REQUEST_QUEUE = 'request-queue';

function createTables(tables: ReadModelTables): void {
  const requests = tables.table('requests');
  tables.db.exec(`
    CREATE TABLE "${requests}" (
      request_id TEXT PRIMARY KEY,
      subject_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      channel TEXT NOT NULL,
      received_at TEXT NOT NULL,
      registered_unit TEXT NOT NULL,
      categories TEXT NOT NULL,           -- JSON [{number, slug}]
      working_days INTEGER NOT NULL,
      first_day TEXT NOT NULL,            -- where the working days started: after-receipt | receipt
      deadline TEXT NOT NULL,             -- local date YYYY-MM-DD
      deadline_coverage TEXT NOT NULL,
      calendar_fingerprint TEXT NOT NULL,
      retimed INTEGER NOT NULL DEFAULT 0, -- how often a calendar correction moved the deadline
      status TEXT NOT NULL,               -- open | answered | refused
      closed_at TEXT,
      closed_position INTEGER,
      late INTEGER,
      working_days_late INTEGER,
      reasons TEXT                        -- JSON, for a refusal
    ) WITHOUT ROWID;
    CREATE INDEX "${requests}_open" ON "${requests}"(status, deadline, received_at);
    CREATE INDEX "${requests}_closed" ON "${requests}"(status, closed_at, closed_position);
  `);
}

function apply(tables: ReadModelTables, stored: RecordedEvent): void {
  const event = upcastSubjectEvent(stored.type, stored.data, stored.metadata);
  if (!event) return;
  const requests = tables.table('requests');
  switch (event.type) {
    case 'SubjectRequestReceived': {
      const d = event.data;
      cachedStatement(tables, `INSERT INTO "${requests}" (request_id, subject_id, kind, channel, received_at, registered_unit,
          categories, working_days, first_day, deadline, deadline_coverage, calendar_fingerprint, status)
        VALUES (@requestId, @subjectId, @kind, @channel, @receivedAt, @unit, @categories, @workingDays, @firstDay, @deadline, @coverage, @fingerprint, 'open')`)
        .run({
          requestId: d.requestId, subjectId: d.subjectId, kind: d.kind, channel: d.channel, receivedAt: d.receivedAt,
          unit: d.registeredBy.unit, categories: JSON.stringify(d.categories), workingDays: d.deadline.workingDays,
          firstDay: d.deadline.firstDay, deadline: d.deadline.date, coverage: d.deadline.coverage, fingerprint: d.deadline.calendar.fingerprint,
        });
      return;
    }
    case 'SubjectRequestRetimed': {
      const d = event.data;
      cachedStatement(tables, `UPDATE "${requests}" SET deadline = @deadline, first_day = @firstDay, deadline_coverage = @coverage,
          calendar_fingerprint = @fingerprint, retimed = retimed + 1 WHERE request_id = @requestId`)
        .run({
          requestId: d.requestId, deadline: d.deadline.date, firstDay: d.deadline.firstDay, coverage: d.deadline.coverage,
          fingerprint: d.deadline.calendar.fingerprint,
        });
      return;
    }
    case 'SubjectRequestAnswered':
    case 'SubjectRequestRefused': {
      const d = event.data;
      const refused = event.type === 'SubjectRequestRefused';
      cachedStatement(tables, `UPDATE "${requests}" SET status = @status, closed_at = @closedAt, closed_position = @position,
          late = @late, working_days_late = @workingDaysLate, reasons = @reasons WHERE request_id = @requestId`)
        .run({
          requestId: d.requestId, status: refused ? 'refused' : 'answered', position: stored.position,
          closedAt: refused ? event.data.refusedAt : event.data.answeredAt, late: d.late ? 1 : 0,
          workingDaysLate: d.workingDaysLate, reasons: refused ? JSON.stringify(event.data.reasons) : null,
        });
      return;
    }
    default:
      return;
  }
}

/**
 * One row per subject request: open ones by deadline for the official's queue, closed ones by when they were
 * closed for the history, each with whether the answer was late. Queries: request-queue.queries.ts. It computes no
 * deadline (each is read from its event, with the first day it was counted from: version 2), so no setting of the
 * counting rule goes into it: a re-timing re-counts with the first day recorded here.
 */
export const requestQueueProjection: Projection = {
  name: REQUEST_QUEUE,
  version: 2,
  setup: createTables,
  apply,
};
