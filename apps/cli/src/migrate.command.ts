import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, isEsdbLocation, openEventStore, type EventStore, type RecordedEvent } from '@derbes/event-store';
import {
  SIGNING_KEYS_DIR,
  TREE_HEADS_STREAM, canonicalEventJson, hashEvent, loadPublicKeys, treeHeadOf, verifyLog, type HashedEvent, type LoggedHead, type PublicKeyInfo,
} from '@derbes/integrity';
import { lockDataDir } from '../../ledger/src/config/data-dir-lock';
import type { LedgerConfig } from '../../ledger/src/config/ledger-config';
import { refuseUnfinishedRestore } from '../../ledger/src/config/unfinished-restore';
import { ProgressLine, formatSeconds } from './progress';
import { hashedPages } from './verify-pages';

export interface MigrateOptions {
  /** Where to copy the log: `esdb://...`, `esdb+discover://...`, or another SQLite file. */
  readonly to: string;
  /** The embedded store to copy; default the configured one (DERBES_EVENT_STORE). */
  readonly from?: string;
  /** Events per importEvents call; default 1,000. */
  readonly batchSize?: number;
}

export class MigrateUsageError extends Error {}

const fmt = (n: number) => n.toLocaleString('en-US');
/** `1 event`, `2 events`. */
const events = (n: number) => `${fmt(n)} event${n === 1 ? '' : 's'}`;

/**
 * `derbes migrate --to LOCATION`: copies every event of the embedded store into another store in global order, each
 * at its own position with its own revision and commit time (importEvents, in batches), then checks that the target
 * holds the same log: the same count, the same Merkle root at that size, and every signed tree head of the log
 * verifying on it. Resumable: a target that already holds a prefix of this log (its last event is the source's at
 * that position) is continued after it; a target holding anything else is refused before anything is written.
 * The ledger must be stopped (the data directory's lock), or the copy would miss what it appends meanwhile.
 */
export async function migrateLedger(config: LedgerConfig, options: MigrateOptions): Promise<{ ok: boolean; lines: string[] }> {
  const from = options.from ?? config.eventStore;
  // A half-restored directory would give whichever log the restore left: refused, as every start is.
  refuseUnfinishedRestore(config.dataDir);
  checkLocations(from, options.to);
  // Read before anything is written: a key file others may read (or a damaged one) stops the move at its start,
  // not after every event was copied.
  const publicKeys = loadPublicKeys(join(config.dataDir, SIGNING_KEYS_DIR));
  let release: () => void;
  try {
    release = lockDataDir(config.dataDir);
  } catch (error) {
    throw new Error(`migrate copies a stopped ledger: ${(error as Error).message}`);
  }
  const source = SqliteEventStore.open(from, { writer: 'inline' });
  let target: EventStore | undefined;
  try {
    target = await openEventStore(options.to);
    const total = await source.lastPosition();
    const lines = [`source ${from}: ${events(total)}; target ${redacted(options.to)}`];
    const start = await resumePoint(source, target, total);
    lines.push(start === 0 ? 'the target is empty: copying from position 1'
      : `the target already holds positions 1 to ${fmt(start)} of this log (its events 1 and ${fmt(start)} are the source's): copying from ${fmt(start + 1)}`);
    lines.push(await copy(source, target, start, total, options.batchSize ?? 1000));
    const checks = await verifyCopy(publicKeys, from, source, target, total);
    lines.push(...checks.lines);
    lines.push(checks.ok
      ? `OK: the target holds the source's log of ${events(total)}, with the same root and every signed tree head verifying`
      : `FAILED: the ${checks.failed.join(' and ')} check${checks.failed.length === 1 ? '' : 's'} did not pass (see above)`);
    return { ok: checks.ok, lines };
  } finally {
    await target?.close();
    await source.close();
    release();
  }
}

function checkLocations(from: string, to: string): void {
  if (from === ':memory:') throw new MigrateUsageError('migrate copies an event-store file; DERBES_EVENT_STORE is :memory:');
  if (isEsdbLocation(from)) throw new MigrateUsageError(`migrate copies the embedded store; the source ${redacted(from)} is EventStoreDB (give the SQLite file with --from)`);
  if (!existsSync(from)) throw new MigrateUsageError(`no event store at ${from}`);
  if (!holdsEventStore(from)) throw new MigrateUsageError(`${from} is no ledger's event store (no events table in it); nothing was written`);
  if (to === ':memory:') throw new MigrateUsageError('--to :memory: would copy the log into memory and lose it');
  if (!isEsdbLocation(to)) checkFileTarget(to, from);
}

/**
 * Whether the file is a SQLite database with the event store's table, looked at without changing it: opening it as
 * the store would give an empty file (or another program's database) the store's tables, and migrate 0 events.
 */
function holdsEventStore(path: string): boolean {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get() !== undefined;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/**
 * A SQLite target is a file in a directory that exists: a mistyped address (`http://...`) or directory would
 * otherwise become new local directories and a store nobody looks for, reported as a successful move.
 */
function checkFileTarget(to: string, from: string): void {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(to)?.[1];
  if (scheme !== undefined) {
    throw new MigrateUsageError(`--to ${redacted(to)}: "${scheme}://" is not a store migrate writes to: give esdb://host:2113?tls=false, esdb+discover://a:2113,b:2113,c:2113, or a SQLite file in an existing directory`);
  }
  const path = resolve(to);
  if (path === resolve(from)) throw new MigrateUsageError(`--to ${to} is the source itself`);
  if (!isDirectory(dirname(path))) throw new MigrateUsageError(`--to ${to}: there is no directory ${dirname(path)}; give a SQLite file in an existing directory`);
  if (isDirectory(path)) throw new MigrateUsageError(`--to ${to} is a directory; give a SQLite file in it`);
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** A connection string without its password, for output. */
function redacted(location: string): string {
  return location.replace(/\/\/([^/@]*):[^/@]*@/, '//$1:***@');
}

async function eventAt(store: EventStore, position: number): Promise<RecordedEvent | undefined> {
  const [event] = await store.readAll({ after: position - 1, maxCount: 1 });
  return event?.position === position ? event : undefined;
}

const same = (a: RecordedEvent | undefined, b: RecordedEvent | undefined) =>
  a !== undefined && b !== undefined && a.id === b.id && canonicalEventJson(a) === canonicalEventJson(b);

/** Where the copy goes on: the target's last position, once its first and last events are found to be the source's. */
async function resumePoint(source: EventStore, target: EventStore, total: number): Promise<number> {
  const held = await target.lastPosition();
  if (held === 0) return 0;
  const refuse = (why: string) => new Error(`the target already holds ${fmt(held)} event${held === 1 ? '' : 's'} that are not a copy of this ledger's log (${why}); nothing was written. Give an empty target, or the one an interrupted migrate of this ledger was writing`);
  if (held > total) throw refuse(`the source has only ${fmt(total)}`);
  for (const position of held === 1 ? [1] : [1, held]) {
    const [theirs, ours] = await Promise.all([eventAt(target, position), eventAt(source, position)]);
    if (!same(theirs, ours)) {
      throw refuse(`at position ${fmt(position)} the target has ${theirs ? `event ${theirs.id} in ${theirs.streamId}` : 'no event'}, the source ${ours?.id ?? 'none'}${theirs && ours && theirs.id === ours.id ? ' with other content' : ''}`);
    }
  }
  return held;
}

async function copy(source: EventStore, target: EventStore, start: number, total: number, batchSize: number): Promise<string> {
  if (start === total) return `nothing to copy: the target holds all ${events(total)}`;
  const started = Date.now();
  const progress = new ProgressLine('migrate');
  for (let after = start; after < total;) {
    const batch = await source.readAll({ after, maxCount: Math.min(batchSize, total - after) });
    if (batch.length === 0) throw new Error(`the source ends at position ${fmt(after)}, before ${fmt(total)}`);
    await target.importEvents(batch);
    after = batch[batch.length - 1]!.position;
    progress.update(after - start, total - start);
  }
  progress.finish();
  const seconds = (Date.now() - started) / 1000;
  return `copied ${events(total - start)} (positions ${fmt(start + 1)} to ${fmt(total)}) in ${formatSeconds(seconds)}` +
    (seconds > 0 ? `, ${fmt(Math.round((total - start) / seconds))} events/s` : '');
}

/** The target's events 1..last, hashed as derbes verify hashes them, a page at a time (nothing held but the page). */
async function* hashedEventsOf(store: EventStore, last: number, onPage: (done: number) => void): AsyncGenerator<HashedEvent[]> {
  for (let after = 0; after < last;) {
    const page = await store.readAll({ after, maxCount: Math.min(2000, last - after) });
    if (page.length === 0) return;
    yield page.map(hashEvent);
    after = page[page.length - 1]!.position;
    onPage(after);
  }
}

/** The heads the log holds up to `last`, as derbes verify reads them. */
async function loggedHeads(store: EventStore, last: number): Promise<LoggedHead[]> {
  return (await store.readStream(TREE_HEADS_STREAM)).filter((e) => e.position <= last).map((event) => {
    try {
      return { position: event.position, head: treeHeadOf(event) };
    } catch (error) {
      return { position: event.position, malformed: (error as Error).message };
    }
  });
}

/**
 * The three checks, with derbes verify's own code (verifyLog): the target's count; the roots of both logs at the
 * source's size (the source's hashed from its file by verify's threads); and on the target, every signed tree head
 * (signature by a key of <dataDir>/integrity-keys, root at its size) with the chains and revisions verifyLog checks.
 */
async function verifyCopy(publicKeys: readonly PublicKeyInfo[], from: string, source: EventStore, target: EventStore, total: number): Promise<{ ok: boolean; failed: string[]; lines: string[] }> {
  const counted = await target.lastPosition();
  const countOk = counted === total;
  const progress = new ProgressLine('verify');
  const [ours, theirs] = await Promise.all([
    verifyLog({ events: hashedPages(from, total, Math.max(1, availableParallelism() - 1)), heads: [], publicKeys: [] }),
    verifyLog({
      events: hashedEventsOf(target, total, (done) => progress.update(done, total)),
      heads: await loggedHeads(target, total), publicKeys,
    }),
  ]);
  progress.finish();
  const rootOk = ours.events === total && theirs.events === total && ours.rootHash === theirs.rootHash;
  const sourceHeads = (await loggedHeads(source, total)).length;
  const [first] = theirs.findings;
  const headsOk = theirs.ok && theirs.headsChecked === sourceHeads;
  const lines = [
    countOk ? `count: OK: source and target both end at position ${fmt(total)}`
      : `count: FAILED: the source ends at position ${fmt(total)}, the target at ${fmt(counted)}`,
    rootOk ? `root: OK: both logs of ${events(total)} have the Merkle root ${ours.rootHash}`
      : `root: FAILED: the source's ${events(ours.events)} have the root ${ours.rootHash}, the target's first ${events(theirs.events)} ${theirs.rootHash}`,
    headsOk
      ? `signed tree heads: OK: all ${fmt(theirs.headsChecked)} heads of the log verify on the target (signature, and root at their size)` +
        (theirs.latestHead ? `, the latest of size ${fmt(theirs.latestHead.treeSize)} signed ${theirs.latestHead.timestamp}` : '') +
        `; every subject's chain holds (${fmt(theirs.subjects)} subjects)`
      : `signed tree heads: FAILED: ${fmt(theirs.headsChecked)} of the source's ${fmt(sourceHeads)} heads checked on the target` +
        (first ? `; first finding at position ${fmt(first.position)}: ${first.kind}: ${first.message}` : ''),
  ];
  const failed = [!countOk && 'count', !rootOk && 'root', !headsOk && 'signed tree heads'].filter((name): name is string => name !== false);
  return { ok: failed.length === 0, failed, lines };
}
