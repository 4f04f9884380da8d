import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** fsyncs per second of a 4 KiB overwrite on the bench directory's disk. */
export function fsyncRate(dir: string, seconds: number): number {
  const fd = openSync(join(dir, 'fsync.bin'), 'w');
  const block = Buffer.alloc(4096, 1);
  let count = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    writeSync(fd, block, 0, block.length, 0);
    fsyncSync(fd);
    count++;
  }
  closeSync(fd);
  return count / seconds;
}

/** A row like the ledger's: an event id, a subject stream, a revision, ~700 bytes of JSON data and ~200 of metadata. */
export interface RawRow {
  readonly id: string;
  readonly stream: string;
  readonly data: string;
  readonly metadata: string;
}

/**
 * Plain better-sqlite3 writes of the same rows into the same tables as the store (a stream row with its head
 * revision, an event row), with the same durability (WAL, synchronous=FULL, the same cache) and `rowsPerTx` rows
 * per transaction, without the store's queue, checks or objects: what SQLite and the disk allow at best here.
 */
export function rawInsertRate(file: string, rows: (i: number) => RawRow, rowsPerTx: number, seconds: number): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 10000');
  db.exec(`CREATE TABLE streams(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, revision INTEGER NOT NULL);
    CREATE TABLE events(position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream INTEGER NOT NULL,
    revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, created TEXT NOT NULL,
    UNIQUE(stream, revision))`);
  const stream = db.prepare<[string], { id: number; revision: number }>('SELECT id, revision FROM streams WHERE name = ?');
  const createStream = db.prepare<[string]>('INSERT INTO streams(name, revision) VALUES (?, -1)');
  const setRevision = db.prepare<[number, number]>('UPDATE streams SET revision = ? WHERE id = ?');
  const insert = db.prepare('INSERT INTO events(event_id, stream, revision, type, data, metadata, created) VALUES (?,?,?,?,?,?,?)');
  const tx = db.transaction((start: number) => {
    const created = new Date().toISOString();
    for (let i = start; i < start + rowsPerTx; i++) {
      const row = rows(i);
      const head = stream.get(row.stream);
      const key = head?.id ?? Number(createStream.run(row.stream).lastInsertRowid);
      const revision = (head?.revision ?? -1) + 1;
      insert.run(row.id, key, revision, 'ProcessingRecorded', row.data, row.metadata, created);
      setRevision.run(revision, key);
    }
  });
  let n = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    tx(n);
    n += rowsPerTx;
  }
  db.close();
  return n / seconds;
}
