import type { Statement } from 'better-sqlite3';
import type { RecordedEvent } from '@derbes/event-store';
import { upcastSubjectEvent } from '@derbes/ledger';
import { occurredAtOf } from '../event-values';
import type { Projection, ReadModelTables } from '../projection';
import { evolveCategoryInventory, type CategoryInventoryState } from './category-inventory.evolve';

export const SUBJECT_INVENTORY = 'subject-inventory';

function createTables(tables: ReadModelTables): void {
  // Sources and recipients keep the position that first named them, so that they list in the order they appeared.
  tables.db.exec(`
    CREATE TABLE "${tables.table('categories')}" (
      subject_id TEXT NOT NULL,
      category INTEGER NOT NULL,
      slug TEXT NOT NULL,
      held INTEGER NOT NULL CHECK (held IN (0, 1)),
      held_at TEXT NOT NULL,
      held_position INTEGER NOT NULL,
      first_at TEXT NOT NULL,
      last_at TEXT NOT NULL,
      changed_at TEXT,
      blocked_at TEXT,
      destroyed_at TEXT,
      depersonalized_at TEXT,
      PRIMARY KEY (subject_id, category)
    ) WITHOUT ROWID;
    CREATE TABLE "${tables.table('sources')}" (
      subject_id TEXT NOT NULL,
      category INTEGER NOT NULL,
      kind TEXT NOT NULL,
      name TEXT NOT NULL, -- '' when the record named none (a given name is never empty)
      position INTEGER NOT NULL,
      PRIMARY KEY (subject_id, category, kind, name)
    ) WITHOUT ROWID;
    CREATE TABLE "${tables.table('recipients')}" (
      subject_id TEXT NOT NULL,
      category INTEGER NOT NULL,
      name TEXT NOT NULL,
      country TEXT NOT NULL,
      position INTEGER NOT NULL,
      PRIMARY KEY (subject_id, category, name, country)
    ) WITHOUT ROWID;
  `);
}

/** A row of the categories table as SQLite returns it. */
export interface CategoryRow {
  readonly subject_id: string;
  readonly category: number;
  readonly slug: string;
  readonly held: 0 | 1;
  readonly held_at: string;
  readonly held_position: number;
  readonly first_at: string;
  readonly last_at: string;
  readonly changed_at: string | null;
  readonly blocked_at: string | null;
  readonly destroyed_at: string | null;
  readonly depersonalized_at: string | null;
}

function toState(row: CategoryRow): CategoryInventoryState {
  return {
    held: row.held === 1,
    heldBy: { at: row.held_at, position: row.held_position },
    firstProcessedAt: row.first_at,
    lastProcessedAt: row.last_at,
    lastChangedAt: row.changed_at,
    blockedAt: row.blocked_at,
    destroyedAt: row.destroyed_at,
    depersonalizedAt: row.depersonalized_at,
  };
}

interface Statements {
  readonly get: Statement<[string, number], CategoryRow>;
  readonly put: Statement<unknown[]>;
  readonly addSource: Statement<[string, number, string, string, number]>;
  readonly addRecipient: Statement<[string, number, string, string, number]>;
}

// Prepared once per generation's tables, with positional parameters: looking up the named-parameter cache and
// binding an object per row was a measurable share of a rebuild.
const statements = new WeakMap<ReadModelTables, Statements>();

function statementsFor(tables: ReadModelTables): Statements {
  let prepared = statements.get(tables);
  if (prepared) return prepared;
  const categories = `"${tables.table('categories')}"`;
  prepared = {
    get: tables.db.prepare<[string, number], CategoryRow>(`SELECT * FROM ${categories} WHERE subject_id = ? AND category = ?`),
    put: tables.db.prepare<unknown[]>(
      `INSERT OR REPLACE INTO ${categories} (subject_id, category, slug, held, held_at, held_position, first_at, last_at, changed_at,
         blocked_at, destroyed_at, depersonalized_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    addSource: tables.db.prepare(
      `INSERT OR IGNORE INTO "${tables.table('sources')}" (subject_id, category, kind, name, position) VALUES (?, ?, ?, ?, ?)`,
    ),
    addRecipient: tables.db.prepare(
      `INSERT OR IGNORE INTO "${tables.table('recipients')}" (subject_id, category, name, country, position) VALUES (?, ?, ?, ?, ?)`,
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
  const subjectId = data.subjectId;
  const { get, put, addSource, addRecipient } = statementsFor(tables);
  for (const { number: category, slug } of data.categories) {
    const before = get.get(subjectId, category);
    const s = evolveCategoryInventory(before && toState(before), data.operation, at, position);
    put.run(
      subjectId, category, slug, s.held ? 1 : 0, s.heldBy.at, s.heldBy.position, s.firstProcessedAt, s.lastProcessedAt,
      s.lastChangedAt, s.blockedAt, s.destroyedAt, s.depersonalizedAt,
    );
    if (data.operation === 'collect' && data.source) addSource.run(subjectId, category, data.source.kind, data.source.name ?? '', position);
    if (data.operation === 'transfer' && data.recipient) addRecipient.run(subjectId, category, data.recipient.name, data.recipient.country, position);
  }
}

/**
 * Per (subject, category): whether the ledger knows the data to be held, when it was first and last processed and
 * last changed, its sources and recipients, and its blocked / destroyed / depersonalized marks.
 * Queries: subject-inventory.queries.ts.
 */
export const subjectInventoryProjection: Projection = {
  name: SUBJECT_INVENTORY,
  version: 1,
  setup: createTables,
  apply,
};
