import type { RecordedEvent } from '@derbes/event-store';
import { readSourceSystemEvent, upcastSubjectEvent } from '@derbes/ledger';
import { canonicalInstant } from '../event-values';
import type { Projection, ReadModelTables } from '../projection';
import { cachedStatement } from '../statement-cache';

export const SOURCE_SYSTEMS = 'source-systems';

/**
 * Per source system: one row of counters and of the last heartbeat, its missing numbers as ranges, and the
 * numbers that came twice. A system whose numbers all arrived is one row, however many records it sent.
 * `covered` is the highest number received or announced by a heartbeat: every number from 1 to it was either
 * received or is in a gap, so a number at or below it that is in no gap was received before (a duplicate).
 */
function createTables(tables: ReadModelTables): void {
  tables.db.exec(`
    CREATE TABLE "${tables.table('systems')}" (
      system TEXT PRIMARY KEY,
      records INTEGER NOT NULL DEFAULT 0,
      unsequenced INTEGER NOT NULL DEFAULT 0,
      highest INTEGER NOT NULL DEFAULT 0,
      covered INTEGER NOT NULL DEFAULT 0,
      first_numbered_position INTEGER,
      first_recorded_at TEXT,
      last_recorded_at TEXT,
      heartbeats INTEGER NOT NULL DEFAULT 0,
      heartbeat_received_at TEXT,
      heartbeat_sent_at TEXT,
      heartbeat_last_sequence INTEGER
    );
    CREATE TABLE "${tables.table('gaps')}" (
      system TEXT NOT NULL,
      first INTEGER NOT NULL,
      last INTEGER NOT NULL,
      PRIMARY KEY (system, first)
    ) WITHOUT ROWID;
    CREATE TABLE "${tables.table('duplicates')}" (
      system TEXT NOT NULL,
      sequence INTEGER NOT NULL,
      record_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      PRIMARY KEY (system, position)
    ) WITHOUT ROWID;
  `);
}

interface Numbering {
  readonly highest: number;
  readonly covered: number;
}

function ensureSystem(tables: ReadModelTables, system: string): void {
  cachedStatement(tables, `INSERT INTO "${tables.table('systems')}" (system) VALUES (@system) ON CONFLICT (system) DO NOTHING`).run({ system });
}

function numbering(tables: ReadModelTables, system: string): Numbering {
  return cachedStatement<Numbering>(tables, `SELECT highest, covered FROM "${tables.table('systems')}" WHERE system = @system`).get({ system }) as Numbering;
}

/** Marks from..to missing, joined to a gap that ends just before it (a heartbeat's gap followed by a record's). */
function addGap(tables: ReadModelTables, system: string, from: number, to: number): void {
  if (from > to) return;
  const gaps = tables.table('gaps');
  const joined = cachedStatement(tables, `UPDATE "${gaps}" SET last = @to WHERE system = @system AND last = @before`).run({ system, to, before: from - 1 });
  if (joined.changes === 0) cachedStatement(tables, `INSERT INTO "${gaps}" (system, first, last) VALUES (@system, @from, @to)`).run({ system, from, to });
}

/** Takes a late number out of its gap; false when no gap holds it (it was received before). */
function fillGap(tables: ReadModelTables, system: string, n: number): boolean {
  const gaps = tables.table('gaps');
  const gap = cachedStatement<{ first: number; last: number }>(
    tables, `SELECT first, last FROM "${gaps}" WHERE system = @system AND first <= @n ORDER BY first DESC LIMIT 1`,
  ).get({ system, n });
  if (!gap || gap.last < n) return false;
  if (gap.first === n) cachedStatement(tables, `DELETE FROM "${gaps}" WHERE system = @system AND first = @first`).run({ system, first: gap.first });
  else cachedStatement(tables, `UPDATE "${gaps}" SET last = @last WHERE system = @system AND first = @first`).run({ system, first: gap.first, last: n - 1 });
  if (n < gap.last) cachedStatement(tables, `INSERT INTO "${gaps}" (system, first, last) VALUES (@system, @first, @last)`).run({ system, first: n + 1, last: gap.last });
  return true;
}

function applyNumber(tables: ReadModelTables, system: string, n: number, stored: RecordedEvent, recordId: string, recordedAt: string): void {
  const { highest, covered } = numbering(tables, system);
  const systems = tables.table('systems');
  if (n > covered) {
    addGap(tables, system, covered + 1, n - 1);
  } else if (!fillGap(tables, system, n)) {
    cachedStatement(tables, `INSERT INTO "${tables.table('duplicates')}" (system, sequence, record_id, position, recorded_at)
      VALUES (@system, @n, @recordId, @position, @recordedAt)`).run({ system, n, recordId, position: stored.position, recordedAt });
  }
  cachedStatement(tables, `UPDATE "${systems}" SET highest = @highest, covered = @covered,
      first_numbered_position = coalesce(first_numbered_position, @position) WHERE system = @system`)
    .run({ system, highest: Math.max(highest, n), covered: Math.max(covered, n), position: stored.position });
}

/** What a batch's records add to one system's counters. */
interface Counted {
  records: number;
  unsequenced: number;
  firstAt: string;
  lastAt: string;
}

/**
 * Applies a batch in log order, adding each system's records up in memory and updating its counters once at the end
 * (they are sums, a minimum and a maximum, which nothing in the batch reads): one statement per system and batch
 * instead of two per record, 3.9 -> ~0.5 µs an event in a rebuild of 200,000 (measured). Numbers and heartbeats are
 * applied one by one as before, since each reads what the one before left.
 */
function applyAll(tables: ReadModelTables, events: readonly RecordedEvent[]): void {
  const counted = new Map<string, Counted>();
  for (const stored of events) {
    const heartbeat = readSourceSystemEvent(stored.type, stored.data, stored.metadata);
    if (heartbeat) {
      const { system, lastSequence, sentAt, receivedAt } = heartbeat.data;
      ensureSystem(tables, system);
      const { covered } = numbering(tables, system);
      // "Everything up to lastSequence was sent": what of it never arrived is missing.
      addGap(tables, system, covered + 1, lastSequence);
      cachedStatement(tables, `UPDATE "${tables.table('systems')}" SET heartbeats = heartbeats + 1, heartbeat_received_at = @receivedAt,
          heartbeat_sent_at = @sentAt, heartbeat_last_sequence = @lastSequence, covered = max(covered, @lastSequence) WHERE system = @system`)
        .run({ system, lastSequence, sentAt: canonicalInstant(sentAt), receivedAt: canonicalInstant(receivedAt) });
      continue;
    }
    // Throws on a schema version this build cannot read: skipping it would hide a number.
    const event = upcastSubjectEvent(stored.type, stored.data, stored.metadata);
    // Records the ledger makes itself (carrying out a subject's request) come from no source system.
    if (!event || event.type !== 'ProcessingRecorded' || event.data.requestId !== null) continue;
    const { system, sourceSequence, recordId } = event.data;
    const at = stored.metadata.recordedAt;
    if (typeof at !== 'string') throw new TypeError(`event at position ${stored.position}: no recordedAt in its metadata`);
    const recordedAt = canonicalInstant(at);
    const counts = counted.get(system);
    if (counts) {
      counts.records++;
      if (sourceSequence === null) counts.unsequenced++;
      if (recordedAt < counts.firstAt) counts.firstAt = recordedAt;
      if (recordedAt > counts.lastAt) counts.lastAt = recordedAt;
    } else {
      // The system's row is made where it is first named, as when each record was applied alone.
      ensureSystem(tables, system);
      counted.set(system, { records: 1, unsequenced: sourceSequence === null ? 1 : 0, firstAt: recordedAt, lastAt: recordedAt });
    }
    if (sourceSequence !== null) applyNumber(tables, system, sourceSequence, stored, recordId, recordedAt);
  }
  for (const [system, c] of counted) {
    cachedStatement(tables, `UPDATE "${tables.table('systems')}" SET records = records + @records, unsequenced = unsequenced + @unsequenced,
        first_recorded_at = min(coalesce(first_recorded_at, @firstAt), @firstAt), last_recorded_at = max(coalesce(last_recorded_at, @lastAt), @lastAt)
        WHERE system = @system`).run({ system, ...c });
  }
}

/**
 * What each source system has sent: records, their numbers (missing ranges, numbers used twice), records without
 * a number, heartbeats. Silence is not stored: it depends on the time of asking (source-system-alerts.ts).
 */
export const sourceSystemsProjection: Projection = {
  name: SOURCE_SYSTEMS,
  version: 1,
  setup: createTables,
  apply: (tables, event) => applyAll(tables, [event]),
  applyAll,
};
