// A thread of `derbes verify`: reads a range of the log from its own read-only connection and hashes each event
// from its stored text, so that hashing (the bulk of the work) runs beside the main thread's tree and chains.
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serveRequests } from '@derbes/event-store';
import { hashStoredEvent } from '@derbes/integrity';
import type { HashedPage, PageRequest } from './verify-pages';

type Row = [number, string, number, number, string, string, string, string];

const db = new Database((workerData as { path: string }).path, { readonly: true, fileMustExist: true });
db.pragma('mmap_size = 1099511627776'); // reads without a system call per page
// Streams by their key, looked up here rather than joined (measured: the join doubled the read's time).
const names = new Map<number, string>();
const selectStreams = db.prepare<[number], [number, string]>('SELECT id, name FROM streams WHERE id >= ?').raw();
const select = db.prepare<[number, number], Row>(
  `SELECT position, event_id, stream, revision, type, data, metadata, created FROM events
   WHERE position > ? AND position <= ? ORDER BY position`).raw();

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

function hashPage({ after, upTo, assumeCanonicalUpTo }: PageRequest): HashedPage {
  const rows = select.all(after, upTo) as Row[];
  const n = rows.length;
  const page: HashedPage = {
    positions: new Array<number>(n), streams: new Array<number>(n), names: [], revisions: new Array<number>(n),
    previous: new Array<unknown>(n), chains: new Array<string | null>(n), leaves: new Uint8Array(n * 32), malformed: [],
  };
  for (let i = 0; i < n; i++) {
    const [position, id, stream, revision, type, data, metadata, created] = rows[i]!;
    const streamId = streamName(stream);
    const hashed = hashStoredEvent({ position, id, streamId, revision, type, data, metadata, created }, position <= assumeCanonicalUpTo);
    page.positions[i] = position;
    page.streams[i] = stream;
    if (!named.has(stream)) {
      named.add(stream);
      page.names.push([stream, streamId]);
    }
    page.revisions[i] = revision;
    page.previous[i] = hashed.previousHash;
    page.chains[i] = hashed.chainHash;
    page.leaves.set(hashed.leafHash, i * 32);
    if (hashed.malformed !== undefined) page.malformed.push([i, hashed.malformed]);
  }
  return page;
}

serveRequests(hashPage, () => db.close());
