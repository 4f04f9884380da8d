import type { Statement } from 'better-sqlite3';
import type { RecordedEvent } from '@derbes/event-store';
import { isSubjectRightsRecord, upcastSubjectEvent, type Operation } from '@derbes/ledger';
import { occurredAtOf } from '../event-values';
import type { Projection, ReadModelTables } from '../projection';
import { createSubjectsTable, subjectKeyFor } from '../subject-keys';
import { evolveCategoryInventory } from './category-inventory.evolve';

export const SUBJECT_INVENTORY = 'subject-inventory';

function createTables(tables: ReadModelTables): void {
  // Sources and recipients keep the position that first named them, so that they list in the order they appeared.
  createSubjectsTable(tables);
  tables.db.exec(`
    CREATE TABLE "${tables.table('categories')}" (
      subject_key INTEGER NOT NULL,
      category INTEGER NOT NULL,
      slug TEXT NOT NULL,
      held INTEGER NOT NULL CHECK (held IN (0, 1)),
      held_at TEXT NOT NULL,
      held_position INTEGER NOT NULL,
      emitted INTEGER NOT NULL CHECK (emitted IN (0, 1)),
      first_at TEXT NOT NULL,
      last_at TEXT NOT NULL,
      changed_at TEXT,
      collected_at TEXT,
      collected_position INTEGER,
      PRIMARY KEY (subject_key, category)
    ) WITHOUT ROWID;
    CREATE TABLE "${tables.table('marks')}" (
      subject_key INTEGER NOT NULL,
      category INTEGER NOT NULL,
      at TEXT NOT NULL,
      position INTEGER NOT NULL,
      operation TEXT NOT NULL CHECK (operation IN ('block', 'unblock', 'destroy', 'depersonalize')),
      PRIMARY KEY (subject_key, category, at, position)
    ) WITHOUT ROWID;
    CREATE TABLE "${tables.table('sources')}" (
      subject_key INTEGER NOT NULL,
      category INTEGER NOT NULL,
      kind TEXT NOT NULL,
      name TEXT NOT NULL, -- '' when the record named none (a given name is never empty)
      position INTEGER NOT NULL,
      PRIMARY KEY (subject_key, category, kind, name)
    ) WITHOUT ROWID;
    CREATE TABLE "${tables.table('recipients')}" (
      subject_key INTEGER NOT NULL,
      category INTEGER NOT NULL,
      name TEXT NOT NULL,
      country TEXT NOT NULL,
      position INTEGER NOT NULL,
      PRIMARY KEY (subject_key, category, name, country)
    ) WITHOUT ROWID;
  `);
}

/** A row of the categories table as SQLite returns it. */
export interface CategoryRow {
  readonly subject_key: number;
  readonly category: number;
  readonly slug: string;
  readonly held: 0 | 1;
  readonly held_at: string;
  readonly held_position: number;
  /** Undefined in a version 4 generation's rows (queries read one while version 5 is rebuilt). */
  readonly emitted?: 0 | 1;
  readonly first_at: string;
  readonly last_at: string;
  readonly changed_at: string | null;
  readonly collected_at: string | null;
  readonly collected_position: number | null;
}

interface Statements {
  readonly upsert: Statement<unknown[]>;
  readonly addSource: Statement<[number, number, string, string, number]>;
  readonly addRecipient: Statement<[number, number, string, string, number]>;
  readonly addMark: Statement<[number, number, string, number, string]>;
}

// Prepared once per generation's tables, with positional parameters: looking up the named-parameter cache and
// binding an object per row was a measurable share of a rebuild.
const statements = new WeakMap<ReadModelTables, Statements>();

/** The operations kept as marks: they change what may be done with the category from their instant on. */
function isMark(operation: Operation): boolean {
  return operation === 'block' || operation === 'unblock' || operation === 'destroy' || operation === 'depersonalize';
}

/**
 * A category's first record inserts the state evolveCategoryInventory gives it; any later one updates the row in
 * place with the same rules written in SQL (the spec checks the two against each other), instead of reading the row,
 * evolving it here and replacing it: a third of the time of a rebuild went to that round trip. The SET expressions
 * see the row as it was before the update; `excluded` is the record's own state.
 */
function upsertSql(categories: string): string {
  const decides = 'excluded.held_at >= held_at';
  const collects = 'excluded.collected_at IS NOT NULL AND (collected_at IS NULL OR excluded.collected_at >= collected_at)';
  return `INSERT INTO ${categories} (subject_key, category, slug, held, held_at, held_position, emitted, first_at, last_at, changed_at, collected_at, collected_position)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET
      slug = excluded.slug,
      held = CASE WHEN ${decides} THEN excluded.held ELSE held END,
      held_position = CASE WHEN ${decides} THEN excluded.held_position ELSE held_position END,
      held_at = CASE WHEN ${decides} THEN excluded.held_at ELSE held_at END,
      emitted = max(emitted, excluded.emitted),
      first_at = min(first_at, excluded.first_at),
      last_at = max(last_at, excluded.last_at),
      changed_at = CASE WHEN excluded.changed_at IS NOT NULL AND (changed_at IS NULL OR excluded.changed_at > changed_at)
        THEN excluded.changed_at ELSE changed_at END,
      collected_position = CASE WHEN ${collects} THEN excluded.collected_position ELSE collected_position END,
      collected_at = CASE WHEN ${collects} THEN excluded.collected_at ELSE collected_at END`;
}

function statementsFor(tables: ReadModelTables): Statements {
  let prepared = statements.get(tables);
  if (prepared) return prepared;
  prepared = {
    upsert: tables.db.prepare<unknown[]>(upsertSql(`"${tables.table('categories')}"`)),
    addSource: tables.db.prepare(
      `INSERT OR IGNORE INTO "${tables.table('sources')}" (subject_key, category, kind, name, position) VALUES (?, ?, ?, ?, ?)`,
    ),
    addRecipient: tables.db.prepare(
      `INSERT OR IGNORE INTO "${tables.table('recipients')}" (subject_key, category, name, country, position) VALUES (?, ?, ?, ?, ?)`,
    ),
    addMark: tables.db.prepare(
      `INSERT INTO "${tables.table('marks')}" (subject_key, category, at, position, operation) VALUES (?, ?, ?, ?, ?)`,
    ),
  };
  statements.set(tables, prepared);
  return prepared;
}

function apply(tables: ReadModelTables, stored: RecordedEvent): void {
  // Throws on a schema version this build cannot read: skipping it would leave the inventory wrong without a sign.
  const event = upcastSubjectEvent(stored.type, stored.data, stored.metadata);
  // Reads of the file (SubjectFileRead) touch no category's data: the inventory stays as it was.
  if (!event || event.type !== 'ProcessingRecorded') return;
  const { data } = event;
  const { position } = stored;
  const at = occurredAtOf(data.occurredAt, position);
  const subjectKey = subjectKeyFor(tables, data.subjectId, position);
  const { upsert, addSource, addRecipient, addMark } = statementsFor(tables);
  // The state of a category that this record would be the first of: the same for every category it names.
  const s = evolveCategoryInventory(undefined, data.operation, at, position, !isSubjectRightsRecord(data));
  const marks = isMark(data.operation);
  for (const { number: category, slug } of data.categories) {
    upsert.run(subjectKey, category, slug, s.held ? 1 : 0, s.heldBy.at, s.heldBy.position, s.emitted ? 1 : 0, s.firstProcessedAt, s.lastProcessedAt, s.lastChangedAt,
      s.lastCollectedBy?.at ?? null, s.lastCollectedBy?.position ?? null);
    if (marks) addMark.run(subjectKey, category, at, position, data.operation);
    if (data.operation === 'collect' && data.source) addSource.run(subjectKey, category, data.source.kind, data.source.name ?? '', position);
    if (data.operation === 'transfer' && data.recipient) addRecipient.run(subjectKey, category, data.recipient.name, data.recipient.country, position);
  }
}

/**
 * Per (subject, category): whether the ledger knows the data to be held, when it was first and last processed and
 * last changed, its sources and recipients, and its blocked / destroyed / depersonalized marks.
 * Queries: subject-inventory.queries.ts.
 */
export const subjectInventoryProjection: Projection = {
  name: SUBJECT_INVENTORY,
  // 2: subjects named by an integer key in the three tables (subject-keys.ts) instead of their pseudonym.
  // 3: block, unblock, destroy and depersonalize records kept as marks, read in occurredAt order like the decider.
  // 4: the latest collect kept per category: a collect after a destruction or depersonalization starts it anew.
  // 5: whether an emitting system's record names the category (`emitted`): held is not known until one does.
  version: 5,
  setup: createTables,
  apply,
};
