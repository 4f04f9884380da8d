import type { RecordedEvent } from '@derbes/event-store';
import { upcastSubjectEvent } from '@derbes/ledger';
import { occurredAtOf } from '../event-values';
import type { Projection, ReadModelTables } from '../projection';
import { cachedStatement } from '../statement-cache';

export const VIOLATIONS = 'violations';

/** Columns the report filters on; each leads an index ending in the page order, so a filtered page is an index walk. */
const VIOLATION_FILTER_COLUMNS = ['code', 'unit', 'system', 'actor_id'] as const;

function createTables(tables: ReadModelTables): void {
  const reasons = tables.table('reasons');
  const byFilter = VIOLATION_FILTER_COLUMNS.map(
    (column) => `CREATE INDEX "${reasons}_by_${column}" ON "${reasons}"(${column}, occurred_at, position, seq);`,
  );
  tables.db.exec(`
    CREATE TABLE "${reasons}" (
      position INTEGER NOT NULL,
      seq INTEGER NOT NULL, -- the reason's index in the event's violations
      record_id TEXT NOT NULL,
      subject_id TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      operation TEXT NOT NULL,
      purpose TEXT NOT NULL,
      code TEXT NOT NULL,
      category INTEGER,
      category_slug TEXT,
      detail TEXT NOT NULL, -- in English, as the rules wrote it; reports word the facts in the reader's language
      since TEXT, -- when the category was destroyed, depersonalized or blocked (state reasons)
      register_id TEXT, -- the approved list in force at occurred_at, null when none was
      register_version INTEGER,
      country TEXT, -- the recipient's country of a transfer
      actor_id TEXT NOT NULL,
      actor_role TEXT NOT NULL,
      unit TEXT NOT NULL,
      system TEXT NOT NULL,
      embargo_until TEXT, -- the local date until which the subject's own report withholds the record; null: no embargo
      PRIMARY KEY (position, seq)
    ) WITHOUT ROWID;
    CREATE INDEX "${reasons}_by_time" ON "${reasons}"(occurred_at, position, seq);
    ${byFilter.join('\n    ')}
  `);
}

function apply(tables: ReadModelTables, stored: RecordedEvent): void {
  // Throws on a schema version this build cannot read: skipping it could hide a violation.
  const event = upcastSubjectEvent(stored.type, stored.data, stored.metadata);
  if (!event || event.type !== 'ProcessingRecorded' || event.data.violations.length === 0) return;
  const { data } = event;
  const occurredAt = occurredAtOf(data.occurredAt, stored.position);
  const insert = cachedStatement(
    tables,
    `INSERT INTO "${tables.table('reasons')}" (position, seq, record_id, subject_id, occurred_at, operation, purpose, code,
       category, category_slug, detail, since, register_id, register_version, country, actor_id, actor_role, unit, system, embargo_until)
     VALUES (@position, @seq, @recordId, @subjectId, @occurredAt, @operation, @purpose, @code,
       @category, @slug, @detail, @since, @registerId, @registerVersion, @country, @actorId, @actorRole, @unit, @system, @embargoUntil)`,
  );
  data.violations.forEach((violation, seq) => {
    const category = violation.category ?? null;
    const slug = category === null ? null : (data.categories.find((c) => c.number === category)?.slug ?? null);
    insert.run({
      position: stored.position, seq, recordId: data.recordId, subjectId: data.subjectId, occurredAt, operation: data.operation,
      purpose: data.purpose.code, code: violation.code, category, slug, detail: violation.detail, since: violation.since ?? null,
      registerId: data.register?.id ?? null, registerVersion: data.register?.version ?? null, country: data.recipient?.country ?? null,
      actorId: data.actor.id,
      actorRole: data.actor.role, unit: data.actor.unit, system: data.system, embargoUntil: data.embargoUntil ?? null,
    });
  });
}

/**
 * One row per reason of each flagged ProcessingRecorded event (an event with three reasons gives three rows), with
 * the columns the violations report filters and counts on. Queries: violations.queries.ts.
 */
export const violationsProjection: Projection = {
  name: VIOLATIONS,
  // 2: the facts a reason is worded from in the reader's language (since, register, country) beside the English detail.
  // 3: the record's embargo, so that officials see a flagged record its subject is not shown.
  version: 3,
  setup: createTables,
  apply,
};
