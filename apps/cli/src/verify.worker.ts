// A thread of `derbes verify`: reads a range of the log from its own read-only connection and hashes each event
// from its stored text, so that hashing (the bulk of the work) runs beside the main thread's tree and chains.
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serveRequests } from '@derbes/event-store';
import { HashedColumnsWriter, addStoredEvent, type HashedColumns, type StoredEventBytes, type StoredEventText } from '@derbes/integrity';
import type { PageRequest } from './verify-pages';

type Row = [number, string, number, number, string, string, string, string];
/** A covered event without its data: position, event_id, stream, revision, type, metadata, created, data's length in bytes. */
type CoveredRow = [number, string, number, number, string, string, string, number | null];

const db = new Database((workerData as { path: string }).path, { readonly: true, fileMustExist: true });
db.pragma('mmap_size = 1099511627776'); // reads without a system call per page
// Streams by their key, looked up here rather than joined (measured: the join doubled the read's time).
const names = new Map<number, string>();
const selectStreams = db.prepare<[number], [number, string]>('SELECT id, name FROM streams WHERE id >= ?').raw();
const select = db.prepare<[number, number], Row>(
  `SELECT position, event_id, stream, revision, type, data, metadata, created FROM events
   WHERE position > ? AND position <= ? ORDER BY position`).raw();
// For events hashed as stored, the data of a whole range comes as one blob of its UTF-8 bytes, cut by the lengths:
// the data (with "328-Ө" in it, so two bytes a character as a string) is neither decoded into a string nor encoded
// back (measured in pairs: up to a fifth of a hashing thread's time). A range of rowids is read in ascending order,
// so the blob is in position order; were it not, the hashes would disagree with the signed heads and the second pass
// (each event as its string) would decide. A range where some data is not text (a column changed behind the store's
// back) is read as strings, and such an event named malformed.
const selectCovered = db.prepare<[number, number], CoveredRow>(
  `SELECT position, event_id, stream, revision, type, metadata, created, octet_length(data) FROM events
   WHERE position > ? AND position <= ? ORDER BY position`).raw();
const selectData = db.prepare<[number, number], [Buffer | null, number]>(
  `SELECT CAST(group_concat(data, '') AS BLOB), total(typeof(data) <> 'text') FROM events WHERE position > ? AND position <= ?`).raw();
const readCovered = db.transaction((after: number, upTo: number) => [selectCovered.all(after, upTo), selectData.get(after, upTo)] as const);

/** The keys this thread has named in a page already (the main thread keeps the names). */
const named = new Set<number>();

function streamName(id: number): string {
  let name = names.get(id);
  if (name === undefined) {
    for (const [key, value] of selectStreams.all(names.size === 0 ? 0 : id)) names.set(key, value);
    name = names.get(id) ?? `(stream ${id}, not in the streams table)`;
  }
  return name;
}

function hashPage({ after, upTo, assumeCanonicalUpTo }: PageRequest): HashedColumns {
  const page = new HashedColumnsWriter(upTo - after);
  const covered = Math.min(upTo, Math.max(after, assumeCanonicalUpTo));
  if (covered > after && !addCovered(page, after, covered)) addRows(page, after, covered, true);
  if (upTo > covered) addRows(page, covered, upTo, false);
  return page.finish();
}

/** Events in (after, upTo], their text as strings. */
function addRows(page: HashedColumnsWriter, after: number, upTo: number, assumeCanonical: boolean): void {
  for (const [position, id, stream, revision, type, data, metadata, created] of select.all(after, upTo) as Row[]) {
    add(page, stream, { position, id, streamId: streamName(stream), revision, type, data, metadata, created }, assumeCanonical);
  }
}

/** Events in (after, upTo] hashed as stored, their data as bytes; false (nothing added) if some data is not text. */
function addCovered(page: HashedColumnsWriter, after: number, upTo: number): boolean {
  const [rows, [bytes, notText] = [null, 0]] = readCovered(after, upTo);
  if (rows.length === 0) return true;
  let total = 0;
  for (const row of rows) total += row[7] ?? Number.NaN;
  if (notText > 0 || bytes === null || total !== bytes.length) return false;
  let start = 0;
  for (const [position, id, stream, revision, type, metadata, created, length] of rows) {
    const end = start + length!;
    add(page, stream, { position, id, streamId: streamName(stream), revision, type, data: { bytes, start, end }, metadata, created }, true);
    start = end;
  }
  return true;
}

function add(page: HashedColumnsWriter, stream: number, row: StoredEventText | StoredEventBytes, assumeCanonical: boolean): void {
  if (!named.has(stream)) {
    named.add(stream);
    page.name(stream, row.streamId);
  }
  addStoredEvent(page, stream, row, assumeCanonical);
}

serveRequests(hashPage, () => db.close());
