import type { Statement } from 'better-sqlite3';
import type { RecordedEvent } from '@derbes/event-store';
import { upcastSubjectEvent } from '@derbes/ledger';
import { occurredAtOf } from '../event-values';
import type { Projection, ReadModelTables } from '../projection';
import { calendarDay } from './calendar-day';
import type { IsSensitiveCategory } from './sensitive-categories';

export const ACTOR_ACTIVITY = 'actor-activity';

/** What the actor-activity projection needs to know besides the events. */
export interface ActorActivityOptions {
  /** The register's sensitive marks (see `sensitiveCategoriesOf`). */
  readonly isSensitive: IsSensitiveCategory;
  /** Offset of the calendar that days are counted in; 300 (UTC+5) for Kazakhstan. */
  readonly utcOffsetMinutes: number;
}

/*
 * Tables, all keyed by (actor_id, day), day being the calendar day of occurredAt at the configured offset:
 * - days: one row per actor and day: records, distinct subjects, sensitive accesses (records touching at least one
 *   sensitive category, whatever the operation), and the unit and role of the actor's latest record of that day.
 * - subjects: per actor, day and subject: records and sensitive accesses (distinct subjects over a period).
 * - operations: per actor, day and operation: records.
 * - categories: per actor, day and sensitive category: records touching it.
 */
function createTables(tables: ReadModelTables): void {
  const [days, subjects, operations, categories] = ['days', 'subjects', 'operations', 'categories'].map((t) => tables.table(t));
  tables.db.exec(`
    CREATE TABLE "${days}" (
      actor_id TEXT NOT NULL, day TEXT NOT NULL, unit TEXT NOT NULL, role TEXT NOT NULL,
      seen_at TEXT NOT NULL, seen_position INTEGER NOT NULL,
      records INTEGER NOT NULL, subjects INTEGER NOT NULL, sensitive INTEGER NOT NULL,
      PRIMARY KEY (actor_id, day)
    ) WITHOUT ROWID;
    CREATE INDEX "${days}_by_day" ON "${days}"(day);
    CREATE INDEX "${days}_by_unit" ON "${days}"(unit, day);
    CREATE TABLE "${subjects}" (
      actor_id TEXT NOT NULL, day TEXT NOT NULL, subject_id TEXT NOT NULL,
      records INTEGER NOT NULL, sensitive INTEGER NOT NULL,
      PRIMARY KEY (actor_id, day, subject_id)
    ) WITHOUT ROWID;
    CREATE TABLE "${operations}" (
      actor_id TEXT NOT NULL, day TEXT NOT NULL, operation TEXT NOT NULL, records INTEGER NOT NULL,
      PRIMARY KEY (actor_id, day, operation)
    ) WITHOUT ROWID;
    CREATE TABLE "${categories}" (
      actor_id TEXT NOT NULL, day TEXT NOT NULL, category INTEGER NOT NULL, slug TEXT NOT NULL, records INTEGER NOT NULL,
      PRIMARY KEY (actor_id, day, category)
    ) WITHOUT ROWID;
  `);
}

interface Statements {
  readonly subject: Statement<unknown[], { records: number }>;
  readonly day: Statement;
  readonly operation: Statement;
  readonly category: Statement;
}

// Prepared once per generation's tables: preparing per event would cost more than the upserts.
const statements = new WeakMap<ReadModelTables, Statements>();

function statementsFor(tables: ReadModelTables): Statements {
  let prepared = statements.get(tables);
  if (prepared) return prepared;
  const t = (name: string) => `"${tables.table(name)}"`;
  // The unit and role of a day follow its latest record in time (then in the log), whatever order records arrive in.
  const later = '(excluded.seen_at, excluded.seen_position) > (seen_at, seen_position)';
  prepared = {
    subject: tables.db.prepare<unknown[], { records: number }>(
      `INSERT INTO ${t('subjects')} (actor_id, day, subject_id, records, sensitive) VALUES (?, ?, ?, 1, ?)
       ON CONFLICT DO UPDATE SET records = records + 1, sensitive = sensitive + excluded.sensitive RETURNING records`,
    ),
    day: tables.db.prepare(
      `INSERT INTO ${t('days')} (actor_id, day, unit, role, seen_at, seen_position, records, subjects, sensitive)
       VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
       ON CONFLICT DO UPDATE SET records = records + 1, subjects = subjects + excluded.subjects,
         sensitive = sensitive + excluded.sensitive,
         unit = CASE WHEN ${later} THEN excluded.unit ELSE unit END,
         role = CASE WHEN ${later} THEN excluded.role ELSE role END,
         seen_position = CASE WHEN ${later} THEN excluded.seen_position ELSE seen_position END,
         seen_at = CASE WHEN ${later} THEN excluded.seen_at ELSE seen_at END`,
    ),
    operation: tables.db.prepare(
      `INSERT INTO ${t('operations')} (actor_id, day, operation, records) VALUES (?, ?, ?, 1)
       ON CONFLICT DO UPDATE SET records = records + 1`,
    ),
    category: tables.db.prepare(
      `INSERT INTO ${t('categories')} (actor_id, day, category, slug, records) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT DO UPDATE SET records = records + 1`,
    ),
  };
  statements.set(tables, prepared);
  return prepared;
}

function applyWith(options: ActorActivityOptions) {
  return (tables: ReadModelTables, stored: RecordedEvent): void => {
    // Throws on a schema version this build cannot read: skipping it would undercount an actor.
    const event = upcastSubjectEvent(stored.type, stored.data, stored.metadata);
    if (!event || event.type !== 'ProcessingRecorded') return;
    const { data } = event;
    const occurredAt = occurredAtOf(data.occurredAt, stored.position);
    const day = calendarDay(Date.parse(occurredAt), options.utcOffsetMinutes);
    const actor = data.actor.id;
    const sensitive = data.categories.filter((c) => options.isSensitive(data.register?.id ?? null, data.register?.version ?? null, c.number));
    const touchesSensitive = sensitive.length > 0 ? 1 : 0;
    const s = statementsFor(tables);
    const subjectRow = s.subject.get(actor, day, data.subjectId, touchesSensitive);
    const newSubject = subjectRow?.records === 1 ? 1 : 0;
    s.day.run(actor, day, data.actor.unit, data.actor.role, occurredAt, stored.position, newSubject, touchesSensitive);
    s.operation.run(actor, day, data.operation);
    for (const category of sensitive) s.category.run(actor, day, category.number, category.slug);
  };
}

/**
 * The actor-activity read model: per actor and calendar day (in Kazakhstan by default), records per operation,
 * distinct subjects, sensitive categories touched and sensitive accesses. Queries: actor-activity.queries.ts.
 * The sensitive marks come from the registers: after a registers file changes them, rebuild this projection.
 */
export function actorActivityProjection(options: ActorActivityOptions): Projection {
  return { name: ACTOR_ACTIVITY, version: 1, setup: createTables, apply: applyWith(options) };
}
