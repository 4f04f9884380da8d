import type { Statement } from 'better-sqlite3';
import type { ReadModelTables } from './projection';

type Params = Record<string, string | number | null>;

// One statement per distinct SQL text, prepared once per generation's tables (a rebuild brings new tables and so a
// new cache; the old one goes with them).
const statements = new WeakMap<ReadModelTables, Map<string, Statement>>();

/** The prepared statement of `sql` on these tables, prepared on first use. */
export function cachedStatement<Row>(tables: ReadModelTables, sql: string): Statement<[Params], Row> {
  let cache = statements.get(tables);
  if (!cache) statements.set(tables, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = tables.db.prepare(sql)));
  return statement as Statement<[Params], Row>;
}
