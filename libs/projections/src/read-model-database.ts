import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * WAL pages after which the read models' connection checkpoints (~40 MiB) rather than SQLite's 1,000 (~4 MiB): a
 * rebuild writes a lot, and checkpoints were a large share of its time. A runner that keeps the read models moves
 * them to a thread of its own meanwhile (WalCheckpoints).
 */
export const READ_MODEL_WAL_AUTOCHECKPOINT = 10_000;

/**
 * Opens the database that holds every read model and the projections' checkpoints. Read models can be rebuilt from
 * the log, so commits are not fsynced one by one (synchronous=NORMAL); a checkpoint always commits with the changes
 * it covers, so after a crash a projection resumes exactly where its last committed batch ended.
 */
export function openReadModelDatabase(path: string): Database.Database {
  const memory = path === ':memory:';
  if (!memory) {
    // Owner-only, as the data keys and backups are: SQLite gives its -wal and -shm the file's own mode.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
  }
  const db = new Database(path, { timeout: 5000 });
  try {
    if (!memory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
    db.pragma(`wal_autocheckpoint = ${READ_MODEL_WAL_AUTOCHECKPOINT}`);
    db.exec(`CREATE TABLE IF NOT EXISTS projection_generations(
      name TEXT NOT NULL,
      generation INTEGER NOT NULL,
      version INTEGER NOT NULL,
      position INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('active', 'building')),
      updated_at TEXT NOT NULL,
      settings TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (name, generation)
    )`);
    // Files from before projections had settings: their generations count as built with none.
    const columns = db.prepare<[], { name: string }>('PRAGMA table_info(projection_generations)').all();
    if (!columns.some((c) => c.name === 'settings')) db.exec("ALTER TABLE projection_generations ADD COLUMN settings TEXT NOT NULL DEFAULT ''");
    return db;
  } catch (error) {
    db.close();
    // "file is not a database" names no file: this one does (the same error, so its class and code still tell).
    if (error instanceof Error && !error.message.includes(path)) error.message = `${path}: ${error.message}`;
    throw error;
  }
}

/** Removes a database file and its WAL and shared-memory files, whichever exist (a side build's scratch file). */
export function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}
