import type { Statement } from 'better-sqlite3';
import type { RecordedEvent } from '@derbes/event-store';
import { isDataSubjectReader, upcastSubjectEvent, type SubjectEvent, type SubjectFileReadData } from '@derbes/ledger';
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
  /** The sensitive marks as text (see `sensitiveMarksOf`): with the offset, the generation's settings. */
  readonly sensitiveMarks?: string;
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
      `INSERT INTO ${t('subjects')} (actor_id, day, subject_id, records, sensitive) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET records = records + excluded.records, sensitive = sensitive + excluded.sensitive RETURNING records`,
    ),
    day: tables.db.prepare(
      `INSERT INTO ${t('days')} (actor_id, day, unit, role, seen_at, seen_position, records, subjects, sensitive)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET records = records + excluded.records, subjects = subjects + excluded.subjects,
         sensitive = sensitive + excluded.sensitive,
         unit = CASE WHEN ${later} THEN excluded.unit ELSE unit END,
         role = CASE WHEN ${later} THEN excluded.role ELSE role END,
         seen_position = CASE WHEN ${later} THEN excluded.seen_position ELSE seen_position END,
         seen_at = CASE WHEN ${later} THEN excluded.seen_at ELSE seen_at END`,
    ),
    operation: tables.db.prepare(
      `INSERT INTO ${t('operations')} (actor_id, day, operation, records) VALUES (?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET records = records + excluded.records`,
    ),
    category: tables.db.prepare(
      `INSERT INTO ${t('categories')} (actor_id, day, category, slug, records) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET records = records + excluded.records`,
    ),
  };
  statements.set(tables, prepared);
  return prepared;
}

/** What an actor did to a subject's data in one event: a processing record, or a read of the file through the ledger. */
interface Act {
  readonly operation: string;
  /** The fields a record and a read share. */
  readonly data: Pick<SubjectFileReadData, 'subjectId' | 'occurredAt' | 'actor' | 'categories'>;
  /** The register the record was checked against; none for a read (the owner's registers then say what is sensitive). */
  readonly register: { readonly id: string; readonly version: number } | null;
}

/**
 * Reading a person's file (history, inventory, events, report) is itself an access to their data, and the way an
 * official or auditor would browse many files: it counts as operation `read`, towards the reader's distinct subjects
 * and, when the answer named a sensitive category, their sensitive accesses. A data subject opening their own report
 * is no member of staff's activity, and is not counted: known by the whole actor (id, role and unit), since a key
 * named `data-subject` could be created before such names were refused, and its reads count.
 */
function actOf(event: SubjectEvent | null): Act | null {
  if (event?.type === 'ProcessingRecorded') return { operation: event.data.operation, data: event.data, register: event.data.register ?? null };
  if (event?.type === 'SubjectFileRead' && !isDataSubjectReader(event.data.actor)) return { operation: 'read', data: event.data, register: null };
  return null;
}

/** One actor's day in a batch: its counts added up, and its latest record (in time, then in the log). */
interface DayTotals {
  readonly actor: string;
  readonly day: string;
  records: number;
  sensitive: number;
  unit: string;
  role: string;
  seenAt: string;
  seenPosition: number;
  readonly subjects: Map<string, { records: number; sensitive: number }>;
  readonly operations: Map<string, number>;
  readonly categories: Map<number, { slug: string; records: number }>;
}

/**
 * Adds a batch of events up per actor and day in memory, then writes each row once with its increments: a batch
 * from a catch-up holds many records of the same actor and day, so this writes far fewer rows than one upsert per
 * record and table (the results are the same: every column is a sum, or follows the latest record).
 */
function applyAllWith(options: ActorActivityOptions) {
  return (tables: ReadModelTables, events: readonly RecordedEvent[]): void => {
    const days = new Map<string, DayTotals>();
    for (const stored of events) {
      // Throws on a schema version this build cannot read: skipping it would undercount an actor.
      const event = upcastSubjectEvent(stored.type, stored.data, stored.metadata);
      const act = actOf(event);
      if (!act) continue;
      const { data, operation } = act;
      const occurredAt = occurredAtOf(data.occurredAt, stored.position);
      const day = calendarDay(Date.parse(occurredAt), options.utcOffsetMinutes);
      const actor = data.actor.id;
      const sensitive = data.categories.filter((c) => options.isSensitive(act.register?.id ?? null, act.register?.version ?? null, c.number));
      const touchesSensitive = sensitive.length > 0 ? 1 : 0;
      const key = JSON.stringify([actor, day]);
      let totals = days.get(key);
      if (!totals) {
        totals = {
          actor, day, records: 0, sensitive: 0, unit: data.actor.unit, role: data.actor.role, seenAt: occurredAt, seenPosition: stored.position,
          subjects: new Map(), operations: new Map(), categories: new Map(),
        };
        days.set(key, totals);
      } else if (occurredAt > totals.seenAt || (occurredAt === totals.seenAt && stored.position > totals.seenPosition)) {
        totals.unit = data.actor.unit;
        totals.role = data.actor.role;
        totals.seenAt = occurredAt;
        totals.seenPosition = stored.position;
      }
      totals.records++;
      totals.sensitive += touchesSensitive;
      const subject = totals.subjects.get(data.subjectId);
      if (subject) {
        subject.records++;
        subject.sensitive += touchesSensitive;
      } else {
        totals.subjects.set(data.subjectId, { records: 1, sensitive: touchesSensitive });
      }
      totals.operations.set(operation, (totals.operations.get(operation) ?? 0) + 1);
      for (const category of sensitive) {
        const counted = totals.categories.get(category.number);
        if (counted) counted.records++;
        else totals.categories.set(category.number, { slug: category.slug, records: 1 });
      }
    }
    const s = statementsFor(tables);
    for (const t of days.values()) {
      let newSubjects = 0;
      for (const [subjectId, counted] of t.subjects) {
        // The row's count after the upsert equals this batch's only when the row is new: a subject new that day.
        if (s.subject.get(t.actor, t.day, subjectId, counted.records, counted.sensitive)?.records === counted.records) newSubjects++;
      }
      s.day.run(t.actor, t.day, t.unit, t.role, t.seenAt, t.seenPosition, t.records, newSubjects, t.sensitive);
      for (const [operation, records] of t.operations) s.operation.run(t.actor, t.day, operation, records);
      for (const [category, counted] of t.categories) s.category.run(t.actor, t.day, category, counted.slug, counted.records);
    }
  };
}

/**
 * The actor-activity read model: per actor and calendar day (in Kazakhstan by default), records per operation,
 * distinct subjects, sensitive categories touched and sensitive accesses, counting reads of subjects' files (version 2;
 * version 1 counted processing records only). Version 3 leaves out only the data subject's own reads by their whole
 * actor (version 2 by its id alone, which hid the reads of a staff key named `data-subject`). Queries: actor-activity.queries.ts.
 * The sensitive marks come from the registers and the days from the offset: a start with other marks (a registers
 * file changed them) or another offset rebuilds this projection (its settings).
 */
export function actorActivityProjection(options: ActorActivityOptions): Projection {
  const applyAll = applyAllWith(options);
  const settings = JSON.stringify({ utcOffsetMinutes: options.utcOffsetMinutes, sensitive: options.sensitiveMarks ?? null });
  return { name: ACTOR_ACTIVITY, version: 3, settings, setup: createTables, apply: (tables, event) => applyAll(tables, [event]), applyAll };
}
