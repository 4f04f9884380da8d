import { OPERATIONS } from '@derbes/ledger';
import type { ReadModelTables } from '../projection';
import { cachedStatement } from '../statement-cache';
import { addDays } from './calendar-day';
import { UNUSUAL_ACTIVITY_RULE, findUnusualActivity, type DailyCounts, type UnusualActivity, type UnusualActivityRule } from './unusual-activity';

/** The operations an actor's activity is counted by: the records' operations, and `read` (a file read through the ledger). */
export const ACTIVITY_OPERATIONS = [...OPERATIONS, 'read'] as const;
export type ActivityOperation = (typeof ACTIVITY_OPERATIONS)[number];

/** Which actor-days a report covers: calendar days `from`..`to` (YYYY-MM-DD, both included), optionally one unit or actor. */
export interface ActorActivityScope {
  readonly from: string;
  readonly to: string;
  /** Only days on which the actor's latest record named this unit. */
  readonly unit?: string;
  readonly actorId?: string;
}

/** One actor's activity over a period. */
export interface ActorActivitySummary {
  readonly actorId: string;
  /** Role and unit of the actor's latest day in the scope. */
  readonly role: string;
  readonly unit: string;
  /** Distinct subjects over the whole period. */
  readonly subjects: number;
  readonly records: number;
  /** Every operation, and reads of files, 0 for those without any. */
  readonly recordsByOperation: Readonly<Record<ActivityOperation, number>>;
  /** Sensitive categories touched, by number, with records touching each. */
  readonly sensitiveCategories: readonly { readonly number: number; readonly slug: string; readonly records: number }[];
  /** Records touching at least one sensitive category. */
  readonly sensitiveAccesses: number;
}

type Params = Record<string, string>;

function all<T>(tables: ReadModelTables, sql: string, params: Params): T[] {
  return cachedStatement<T>(tables, sql).all(params);
}

/** The scope as a WHERE clause on `days` aliased `d`, with its parameters. */
function scopeWhere(scope: ActorActivityScope): { where: string; params: Params } {
  const where = ['d.day BETWEEN @from AND @to'];
  const params: Params = { from: scope.from, to: scope.to };
  if (scope.unit !== undefined) {
    where.push('d.unit = @unit');
    params.unit = scope.unit;
  }
  if (scope.actorId !== undefined) {
    where.push('d.actor_id = @actorId');
    params.actorId = scope.actorId;
  }
  return { where: where.join(' AND '), params };
}

/** Per actor in the scope, sorted by actor id. */
export function actorActivitySummaries(tables: ReadModelTables, scope: ActorActivityScope): ActorActivitySummary[] {
  const { where, params } = scopeWhere(scope);
  const days = `"${tables.table('days')}" d`;
  // CROSS JOIN keeps the scope's actor-days as the outer loop, each finding its rows by primary key. Left to itself,
  // SQLite scanned the whole per-subject table instead (386 ms for 30 days of a 1,000,000-event ledger, against 44).
  const joined = (table: string, alias: string) =>
    `${days} CROSS JOIN "${tables.table(table)}" ${alias} ON ${alias}.actor_id = d.actor_id AND ${alias}.day = d.day WHERE ${where}`;
  // SQLite takes the bare columns unit and role from the row holding MAX(d.day): the latest day of the scope.
  const actors = all<{ actor_id: string; unit: string; role: string; records: number; sensitive: number }>(tables,
    `SELECT d.actor_id, d.unit, d.role, MAX(d.day) AS last_day, SUM(d.records) AS records, SUM(d.sensitive) AS sensitive
     FROM ${days} WHERE ${where} GROUP BY d.actor_id ORDER BY d.actor_id`, params);
  const subjects = all<{ actor_id: string; n: number }>(tables,
    `SELECT d.actor_id, COUNT(DISTINCT s.subject_id) AS n FROM ${joined('subjects', 's')} GROUP BY d.actor_id`, params);
  const operations = all<{ actor_id: string; operation: string; n: number }>(tables,
    `SELECT d.actor_id, o.operation, SUM(o.records) AS n FROM ${joined('operations', 'o')} GROUP BY d.actor_id, o.operation`, params);
  const categories = all<{ actor_id: string; category: number; slug: string; n: number }>(tables,
    `SELECT d.actor_id, c.category, MIN(c.slug) AS slug, SUM(c.records) AS n FROM ${joined('categories', 'c')}
     GROUP BY d.actor_id, c.category ORDER BY c.category`, params);

  const subjectsOf = new Map(subjects.map((r) => [r.actor_id, r.n]));
  const operationsOf = byActor(operations);
  const categoriesOf = byActor(categories);
  return actors.map((a) => ({
    actorId: a.actor_id,
    role: a.role,
    unit: a.unit,
    subjects: subjectsOf.get(a.actor_id) ?? 0,
    records: a.records,
    recordsByOperation: operationCounts(operationsOf.get(a.actor_id) ?? []),
    sensitiveCategories: (categoriesOf.get(a.actor_id) ?? []).map((c) => ({ number: c.category, slug: c.slug, records: c.n })),
    sensitiveAccesses: a.sensitive,
  }));
}

function byActor<T extends { actor_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.actor_id);
    if (list) list.push(row);
    else map.set(row.actor_id, [row]);
  }
  return map;
}

function operationCounts(rows: readonly { operation: string; n: number }[]): Record<ActivityOperation, number> {
  const counts = Object.fromEntries(ACTIVITY_OPERATIONS.map((op) => [op, 0])) as Record<ActivityOperation, number>;
  for (const row of rows) if (row.operation in counts) counts[row.operation as ActivityOperation] += row.n;
  return counts;
}

interface DayRow {
  readonly actorId: string;
  readonly unit: string;
  readonly day: string;
  readonly subjects: number;
  readonly sensitive: number;
}

const DAY_COLUMNS = 'd.actor_id AS actorId, d.unit, d.day, d.subjects, d.sensitive';

/** The scope's days that the unusual-activity rule flags, by day, actor, then kind. */
export function unusualActivityIn(tables: ReadModelTables, scope: ActorActivityScope, rule: UnusualActivityRule = UNUSUAL_ACTIVITY_RULE): UnusualActivity[] {
  const judged = dailyCountsInScope(tables, scope);
  return findUnusualActivity(judged, dailyCountsHistory(tables, scope, judged, rule.windowDays), rule);
}

/** The actor-days of the scope: the days the unusual-activity rule judges. */
function dailyCountsInScope(tables: ReadModelTables, scope: ActorActivityScope): DailyCounts[] {
  const { where, params } = scopeWhere(scope);
  return all<DayRow>(tables, `SELECT ${DAY_COLUMNS} FROM "${tables.table('days')}" d WHERE ${where} ORDER BY d.day, d.actor_id`, params);
}

/**
 * What the rule compares `judged` days with: every actor-day from `windowDays` before the scope's first day to its
 * last, of the judged actors and of everyone who worked in their units.
 */
function dailyCountsHistory(tables: ReadModelTables, scope: ActorActivityScope, judged: readonly DailyCounts[], windowDays: number): DailyCounts[] {
  const params: Params = {
    from: addDays(scope.from, -windowDays),
    to: scope.to,
    actors: JSON.stringify([...new Set(judged.map((d) => d.actorId))]),
    units: JSON.stringify([...new Set(judged.map((d) => d.unit))]),
  };
  return all<DayRow>(tables,
    `SELECT ${DAY_COLUMNS} FROM "${tables.table('days')}" d WHERE d.day BETWEEN @from AND @to
       AND (d.actor_id IN (SELECT value FROM json_each(@actors)) OR d.unit IN (SELECT value FROM json_each(@units)))`, params);
}
