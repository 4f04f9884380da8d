import type { RecordedEvent } from '@derbes/event-store';
import { upcastSubjectEvent } from '@derbes/ledger';
import { occurredAtOf } from '../event-values';
import type { Projection, ReadModelTables } from '../projection';
import { cachedStatement } from '../statement-cache';

export const TRANSFERS = 'transfers';

/** Each filter gets an index ending in (occurred_at, position): a page newest first is a backward index scan. */
const FILTER_COLUMNS = ['cross_border', 'recipient_country', 'recipient_name'] as const;

function createTables(tables: ReadModelTables): void {
  const transfers = tables.table('transfers');
  const byFilter = FILTER_COLUMNS.map(
    (column) => `CREATE INDEX "${transfers}_by_${column}" ON "${transfers}"(${column}, occurred_at, position);`,
  );
  tables.db.exec(`
    CREATE TABLE "${transfers}" (
      position INTEGER PRIMARY KEY,
      event_id TEXT NOT NULL,
      subject_id TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      recipient_name TEXT NOT NULL,
      recipient_country TEXT NOT NULL,
      cross_border INTEGER NOT NULL CHECK (cross_border IN (0, 1)),
      ground_kind TEXT,
      ground_reference TEXT,
      categories TEXT NOT NULL,
      purpose_code TEXT NOT NULL,
      actor_id TEXT NOT NULL,
      actor_role TEXT NOT NULL,
      actor_unit TEXT NOT NULL,
      system TEXT NOT NULL,
      violations TEXT NOT NULL,
      embargo_until TEXT -- the local date until which the subject's own report withholds the record; null: no embargo
    );
    CREATE INDEX "${transfers}_by_time" ON "${transfers}"(occurred_at, position);
    ${byFilter.join('\n    ')}
  `);
}

function apply(tables: ReadModelTables, stored: RecordedEvent): void {
  // Throws on a schema version this build cannot read: skipping it would hide a transfer.
  const event = upcastSubjectEvent(stored.type, stored.data, stored.metadata);
  if (!event || event.type !== 'ProcessingRecorded' || event.data.operation !== 'transfer') return;
  const { data } = event;
  const { position } = stored;
  if (!data.recipient) throw new TypeError(`event at position ${position}: a transfer without a recipient`);
  cachedStatement(
    tables,
    `INSERT INTO "${tables.table('transfers')}" (position, event_id, subject_id, occurred_at, recipient_name, recipient_country,
       cross_border, ground_kind, ground_reference, categories, purpose_code, actor_id, actor_role, actor_unit, system, violations, embargo_until)
     VALUES (@position, @eventId, @subjectId, @occurredAt, @recipientName, @recipientCountry, @crossBorder, @groundKind,
       @groundReference, @categories, @purpose, @actorId, @actorRole, @actorUnit, @system, @violations, @embargoUntil)`,
  ).run({
    position,
    eventId: stored.id,
    subjectId: data.subjectId,
    occurredAt: occurredAtOf(data.occurredAt, position),
    recipientName: data.recipient.name,
    recipientCountry: data.recipient.country,
    crossBorder: data.crossBorder ? 1 : 0,
    groundKind: data.transferGround?.kind ?? null,
    groundReference: data.transferGround?.reference ?? null,
    categories: JSON.stringify(data.categories.map((c) => c.number)),
    purpose: data.purpose.code,
    actorId: data.actor.id,
    actorRole: data.actor.role,
    actorUnit: data.actor.unit,
    system: data.system,
    violations: JSON.stringify(data.violations.map((v) => v.code)),
    embargoUntil: data.embargoUntil ?? null,
  });
}

/**
 * One row per transfer record (ProcessingRecorded with operation `transfer`): recipient, country, whether it
 * crossed the border and on what ground, and what was transferred by whom. Queries: transfers.queries.ts.
 */
export const transfersProjection: Projection = {
  name: TRANSFERS,
  // 2: the record's embargo, so that officials see a transfer its subject is not shown.
  version: 2,
  setup: createTables,
  apply,
};
