import type { Statement } from 'better-sqlite3';
import { storedTextOf, type RecordedEvent } from '@derbes/event-store';
import { upcastSubjectEvent, type SubjectFileReadData } from '@derbes/ledger';
import { occurredAtOf } from '../event-values';
import type { Projection, ReadModelTables } from '../projection';
import { createSubjectsTable, subjectKeyFor } from '../subject-keys';
import type { HistoryEntryData } from './subject-history.queries';

export const SUBJECT_HISTORY = 'subject-history';

/** The system a read of the file through the ledger is shown as coming from. */
export const LEDGER_SYSTEM = 'derbes';
/** How a read of the file is noted in the history: this, then the view it was read through (the route or command). */
export const READ_NOTE_PREFIX = 'read through ';

/**
 * A read of the file shown as a history entry: operation `read`, by the reader, for the purpose they stated, over
 * the categories the answer mentioned. The shape is a processing record's, so that every entry renders alike.
 */
export function readAsEntry(read: SubjectFileReadData): HistoryEntryData {
  return {
    recordId: read.readId, subjectId: read.subjectId, operation: 'read', categories: read.categories,
    purpose: { code: read.purpose.code, slug: read.purpose.slug, clause: null }, register: null, legalBasis: [],
    actor: read.actor, system: LEDGER_SYSTEM, occurredAt: read.occurredAt, source: null, recipient: null,
    crossBorder: false, transferGround: null, note: `${READ_NOTE_PREFIX}${read.view}`, violations: [],
    embargoUntil: null, subjectMask: null, requestId: null, sourceSequence: null,
  };
}

/** The columns a subject's history is filtered on, held in its one index (createIndexes). */
const FILTER_COLUMNS = ['operation', 'purpose_code', 'actor_id', 'actor_unit', 'system', 'has_violations', 'categories'] as const;

/** An entry's categories as the `categories` column holds them: their numbers between commas, `,1,10,`. */
export const categoriesText = (numbers: readonly number[]): string => `,${numbers.join(',')},`;

function createTables(tables: ReadModelTables): void {
  const entries = tables.table('entries');
  createSubjectsTable(tables);
  tables.db.exec(`
    CREATE TABLE "${entries}" (
      position INTEGER PRIMARY KEY,
      subject_key INTEGER NOT NULL,
      revision INTEGER NOT NULL,
      event_id TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      operation TEXT NOT NULL,
      purpose_code TEXT NOT NULL,
      actor_id TEXT NOT NULL,
      actor_role TEXT NOT NULL,
      actor_unit TEXT NOT NULL,
      system TEXT NOT NULL,
      has_violations INTEGER NOT NULL CHECK (has_violations IN (0, 1)),
      correlation_id TEXT NOT NULL,
      categories TEXT NOT NULL,
      data TEXT NOT NULL
    );
  `);
}

/**
 * One index for every filter: led by the subject, in (occurred_at, position) order, and holding the filtered columns
 * (FILTER_COLUMNS). "One subject's entries newest first" with any of those filters is then a backward walk of this
 * index that tests each entry in the index itself and reads the table only for the entries of the page. One index
 * instead of seven (one per filter, one for flagged entries), and the categories in it instead of a table of a row
 * per category: each event inserted touches one place in it rather than seven, or than one and one per category,
 * which is what a subject's event costs the live read model.
 */
function createIndexes(tables: ReadModelTables): void {
  const entries = tables.table('entries');
  tables.db.exec(`
    CREATE INDEX "${entries}_by_subject" ON "${entries}"(subject_key, occurred_at, position, ${FILTER_COLUMNS.join(', ')});
  `);
}

interface Statements {
  readonly insertEntry: Statement;
}

// Prepared once per generation's tables, with positional parameters: binding an object per row is measurably slower
// on the rebuild path (target 30,000 events/s), which is why this does not use the shared named-parameter cache.
const statements = new WeakMap<ReadModelTables, Statements>();

function statementsFor(tables: ReadModelTables): Statements {
  let prepared = statements.get(tables);
  if (!prepared) {
    prepared = {
      insertEntry: tables.db.prepare(
        `INSERT INTO "${tables.table('entries')}" (position, subject_key, revision, event_id, occurred_at, recorded_at,
           operation, purpose_code, actor_id, actor_role, actor_unit, system, has_violations, correlation_id, categories, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
    statements.set(tables, prepared);
  }
  return prepared;
}

function text(value: unknown, what: string, position: number): string {
  if (typeof value !== 'string') throw new TypeError(`event at position ${position}: ${what} is not a string`);
  return value;
}

function apply(tables: ReadModelTables, stored: RecordedEvent): void {
  // Throws on a schema version this build cannot read: skipping it would leave a hole in a subject's history.
  const event = upcastSubjectEvent(stored.type, stored.data, stored.metadata);
  // Requests are not processing of the data: they are in the request queue and the subject's report.
  if (!event || (event.type !== 'ProcessingRecorded' && event.type !== 'SubjectFileRead')) return;
  const data: HistoryEntryData = event.type === 'ProcessingRecorded' ? event.data : readAsEntry(event.data);
  const { position } = stored;
  // Everything is read before anything is written, so that a malformed event names its fault and writes nothing.
  const occurredAt = occurredAtOf(data.occurredAt, position);
  const subjectId = text(data.subjectId, 'subjectId', position);
  const recordedAt = text(stored.metadata.recordedAt, 'metadata.recordedAt', position);
  const correlationId = text(stored.metadata.correlationId, 'metadata.correlationId', position);
  // An entry that is the stored data itself (a record not upcast) keeps the text the store read it from: the same
  // JSON as writing the object again (canonical: members in key order), without the 5 µs an event JSON.stringify took.
  const dataText = (data as object) === stored.data ? storedTextOf(stored)?.data : undefined;
  const categories = categoriesText(data.categories.map((c) => c.number));
  const { insertEntry } = statementsFor(tables);
  const key = subjectKeyFor(tables, subjectId, position);
  insertEntry.run(
    position,
    key,
    stored.revision,
    stored.id,
    occurredAt,
    recordedAt,
    data.operation,
    data.purpose.code,
    data.actor.id,
    data.actor.role,
    data.actor.unit,
    data.system,
    data.violations.length > 0 ? 1 : 0,
    correlationId,
    categories,
    dataText ?? JSON.stringify(data),
  );
}

/**
 * One row per ProcessingRecorded or SubjectFileRead event, keyed by its global position, with the columns a subject's
 * history is filtered on (its categories among them) and the event's data as JSON to render the entry; and the
 * subjects, each with a small integer key. Queries: subject-history.queries.ts.
 */
export const subjectHistoryProjection: Projection = {
  name: SUBJECT_HISTORY,
  // 2: one index holding every filtered column instead of seven (createIndexes). 3: entries keep the data in the
  // event's v5 shape, whose state violations say from when (`since`), so that their words can name it. 4: the
  // categories in a column of the entries, held in the index, instead of a table of a row per category.
  version: 4,
  setup: createTables,
  indexes: createIndexes,
  apply,
};
