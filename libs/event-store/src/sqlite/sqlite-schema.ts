import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** Bumped when the table layout changes; a file with another version is refused rather than misread. */
export const SCHEMA_VERSION = '1';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '${SCHEMA_VERSION}');
  -- A stream's name is stored once; events refer to it by a small integer, which halves the cost of an insert
  -- (the (stream, revision) index stays small) and keeps the head revision one primary-key read away.
  CREATE TABLE IF NOT EXISTS streams(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    revision INTEGER NOT NULL
  );
  -- position is the rowid: SQLite gives a new row max(rowid)+1 and rows are never deleted, so the global log is
  -- numbered 1, 2, 3... in commit order without gaps, also after a savepoint is rolled back.
  CREATE TABLE IF NOT EXISTS events(
    position INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    stream INTEGER NOT NULL REFERENCES streams(id),
    revision INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    created TEXT NOT NULL,
    UNIQUE(stream, revision)
  );
`;

/** Opens (creating if needed) an event-store database file, or ':memory:', with the pragmas the store relies on. */
export function openEventDatabase(path: string): Database.Database {
  const memory = path === ':memory:';
  if (!memory) {
    // Owner-only, as the data keys and backups are: SQLite gives its -wal and -shm the file's own mode.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
  }
  const db = new Database(path, { timeout: 5000 });
  try {
    db.pragma('busy_timeout = 5000');
    // WAL lets other connections (projections, a second process) read while this one writes.
    if (!memory) db.pragma('journal_mode = WAL');
    // FULL: an acknowledged append survives power loss; batching makes its fsync cost per group, not per event.
    db.pragma('synchronous = FULL');
    // A 64 MiB page cache keeps the indexes' hot pages in memory; checkpointing every ~40 MiB of WAL rather than
    // every 4 MiB moves pages to the main file in fewer, larger passes.
    db.pragma('cache_size = -65536');
    db.pragma('wal_autocheckpoint = 10000');
    db.transaction(() => db.exec(SCHEMA)).immediate();
    const version = db.prepare<[], string>(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get();
    if (version !== SCHEMA_VERSION) {
      throw new Error(`${path}: event-store schema version ${String(version)}, this code reads ${SCHEMA_VERSION}`);
    }
    return db;
  } catch (error) {
    db.close();
    // "file is not a database" names no file: this one does (the same error, so its class and code still tell).
    if (error instanceof Error && !error.message.includes(path)) error.message = `${path}: ${error.message}`;
    throw error;
  }
}
