import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { duplicateMember } from '@derbes/canonical-json';
import { isEsdbLocation, openEventStore, type EventStore } from '@derbes/event-store';
import {
  SIGNING_KEYS_DIR,
  MerkleLog, TREE_HEADS_STREAM, hashEvent, loadPublicKeys, parsePublicKeys, signedTreeHeadOf, treeHeadOf, verifyLog, type HashedEvent, type LogReport, type LoggedHead,
} from '@derbes/integrity';
import type { LedgerConfig } from '../../ledger/src/config/ledger-config';
import { readModelPath } from '../../ledger/src/projections.provider';
import { requireEventStore } from './existing-ledger';
import { ProgressLine, formatSeconds } from './progress';
import { hashedPages } from './verify-pages';
import { writeVerificationRecord, type VerificationRecord } from '../../ledger/src/integrity/verification-record';

export interface VerifyOptions {
  /** A JSON array of public keys (as GET /v1/integrity/keys serves them) instead of `<dataDir>/integrity-keys`. */
  readonly publicKeysFile?: string;
  /** A signed tree head kept outside the ledger (e.g. the last one an auditor fetched): a shorter log fails. */
  readonly headFile?: string;
  /** Hashing threads; default: one per core. */
  readonly threads?: number;
}

export class VerifyUsageError extends Error {}

const fmt = (n: number) => n.toLocaleString('en-US');
const count = (n: number, noun: string) => `${fmt(n)} ${noun}${n === 1 ? '' : 's'}`;
const INTEGRITY_LOG = 'integrity-log';

/**
 * `derbes verify`: recomputes the Merkle tree and every subject's chain from the event store and checks the signed
 * tree heads against them (verifyLog). Reads only: the store is opened without a writer thread, the hashing threads
 * and the read-model file read-only. On EventStoreDB the events are read through the store and hashed on this thread
 * (no stream table to compare with). Returns the lines to print, whether all is well, and the record to keep
 * (keepVerificationRecord).
 */
export async function verifyLedger(config: LedgerConfig, options: VerifyOptions = {}): Promise<{ ok: boolean; lines: string[]; record: VerificationRecord }> {
  const path = config.eventStore;
  const esdb = isEsdbLocation(path);
  if (path === ':memory:') throw new VerifyUsageError('verify reads an event-store file; DERBES_EVENT_STORE is :memory:');
  // A missing ledger is no misuse of the command: one line and exit 1, as every command on an existing ledger says it.
  if (!esdb) requireEventStore(config);
  const publicKeys = options.publicKeysFile
    ? parsePublicKeys(readKeysFile(options.publicKeysFile), options.publicKeysFile)
    : loadPublicKeys(join(config.dataDir, SIGNING_KEYS_DIR));

  const store = await openEventStore(path, { writer: 'inline' });
  const side = esdb ? undefined : new Database(path, { readonly: true, fileMustExist: true });
  const treeFile = readModelPath(config);
  // The server's tree only names a changed event; a copy that cannot be read is said so and done without.
  let copy: ServerTree | undefined;
  let unreadTree: string | undefined;
  try {
    copy = openServerTree(treeFile);
  } catch (error) {
    unreadTree = `the server's tree (${treeFile}) could not be read, so the log was verified without it: ${(error as Error).message}`;
  }
  try {
    const last = await store.lastPosition();
    const heads = await loggedHeads(store, side, last);
    if (options.headFile) heads.push(givenHead(options.headFile));
    const streamRevisions = side ? new Map(side.prepare<[], [string, number]>('SELECT name, revision FROM streams').raw().all()) : undefined;

    const started = Date.now();
    const check = async (label: string, assumeCanonicalUpTo: number) => {
      const progress = new ProgressLine(label);
      let shown = 0;
      const report = await verifyLog({
        events: esdb ? storePages(store, last) : hashedPages(path, last, options.threads ?? Math.max(1, availableParallelism()), assumeCanonicalUpTo),
        heads, publicKeys, ...(streamRevisions && { streamRevisions }), ...copy?.input,
        onProgress: (done) => {
          if (Date.now() - shown < 200) return;
          shown = Date.now();
          progress.update(done, last);
        },
      });
      progress.update(report.events, last);
      progress.finish();
      return report;
    };
    // The first pass hashes the text of the events the heads cover as it is stored, without proving it canonical
    // (a quarter of the hashing threads' time): where a verified head's root agrees, the text is the very bytes
    // the ledger hashed when it signed, and those were canonical. Text that is not (altered, or written before
    // canonical storage) makes that pass disagree somewhere; then the second pass, which proves each event's form
    // and canonicalises what it may, decides and names the first disagreement. Events after the last head are
    // proved in both, so an agreeing first pass says exactly what the second would.
    // A reduce, not Math.max(...sizes): a ledger signing every 5 minutes has about 100,000 heads a year.
    const covered = esdb ? 0 : heads.reduce((most, h) => (Number.isSafeInteger(h.head?.treeSize) ? Math.max(most, h.head!.treeSize) : most), 0);
    let report = await check('verify', covered);
    const secondPass = !report.ok && covered > 0;
    if (secondPass) report = await check('verify, checking each event\'s form', 0);
    const first = report.findings[0];
    const record: VerificationRecord = {
      verifiedAt: new Date().toISOString(), ok: report.ok, events: report.events, headsChecked: report.headsChecked, rootHash: report.rootHash,
      firstDisagreement: first ? { position: first.position, kind: first.kind, message: first.message } : null,
    };
    return { ok: report.ok, lines: describe(report, (Date.now() - started) / 1000, publicKeys.length, copy !== undefined, secondPass, unreadTree), record };
  } finally {
    copy?.close();
    side?.close();
    await store.close();
  }
}

/**
 * `derbes verify` as the command runs it: the verdict is printed first, then kept for the console's integrity page.
 * Keeping it can fail (a full disk) where reading and hashing did not: that is said on a line of its own, and the
 * verdict stands, with its exit code; the page goes on showing the run before. Returns whether all is well.
 */
export async function runVerify(
  config: LedgerConfig, options: VerifyOptions, print: (line: string) => void, complain: (line: string) => void,
): Promise<boolean> {
  const { ok, lines, record } = await verifyLedger(config, options);
  for (const line of lines) print(line);
  try {
    writeVerificationRecord(config.dataDir, record);
  } catch (error) {
    complain(`derbes: the result above stands, but it could not be kept for the console's integrity page `
      + `(${join(config.dataDir, 'last-verification.json')}), which still shows the run before: ${(error as Error).message}`);
  }
  return ok;
}

/**
 * The log's signed tree heads up to `last`, each read on its own: a head event whose text does not parse is named
 * (head-malformed, at its position) like any other malformed head, rather than failing the whole read. From the file
 * its stored text is parsed here; through EventStoreDB the store parses it.
 */
async function loggedHeads(store: EventStore, side: Database.Database | undefined, last: number): Promise<LoggedHead[]> {
  const events: Array<{ position: number; read: () => { type: string; data: object; metadata: object } }> = side
    ? side.prepare<[string, number], { position: number; type: string; data: unknown; metadata: unknown }>(
      `SELECT e.position, e.type, e.data, e.metadata FROM events e JOIN streams s ON s.id = e.stream
       WHERE s.name = ? AND e.position <= ? ORDER BY e.revision`).all(TREE_HEADS_STREAM, last)
      .map((row) => ({ position: row.position, read: () => ({ type: row.type, data: parsedColumn(row.data, 'data'), metadata: parsedColumn(row.metadata, 'metadata') }) }))
    : (await store.readStream(TREE_HEADS_STREAM)).filter((e) => e.position <= last).map((event) => ({ position: event.position, read: () => event }));
  return events.map(({ position, read }) => {
    try {
      return { position, head: treeHeadOf(read()) };
    } catch (error) {
      return { position, malformed: (error as Error).message };
    }
  });
}

/** A stored JSON column, parsed; throws naming the column. */
function parsedColumn(text: unknown, column: string): object {
  if (typeof text !== 'string') throw new Error(`${column}: not text`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${column}: not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${column}: not a JSON object`);
  return value;
}

/** The log's events up to `last` read through the store, hashed here. */
async function* storePages(store: EventStore, last: number, pageSize = 2048): AsyncGenerator<HashedEvent[]> {
  for (let after = 0; after < last;) {
    const page = await store.readAll({ after, maxCount: Math.min(pageSize, last - after) });
    if (page.length === 0) return;
    yield page.map(hashEvent);
    after = page[page.length - 1]!.position;
  }
}

/** The head in `file`, checked before anything reads it: a file that is not a signed tree head is a usage error naming why. */
function givenHead(file: string): LoggedHead {
  try {
    const text = readFileSync(file, 'utf8');
    const head: unknown = JSON.parse(text);
    // JSON.parse keeps the last of two members: a head that says two sizes is none.
    const repeated = duplicateMember(text);
    if (repeated) throw new Error(`${repeated.path} is given twice in its object`);
    return { position: null, head: signedTreeHeadOf(head) };
  } catch (error) {
    throw new VerifyUsageError(`--head ${file}: ${(error as Error).message}`);
  }
}

/**
 * The server's own copy of the tree (the integrity-log read model's active generation), read-only: only its leaf
 * hashes, to name the event behind a root that differs, and its size. None when there is no such read model.
 */
interface ServerTree {
  readonly input: { storedLeaves: (first: number, count: number) => Array<Buffer | undefined>; storedTreeSize: number };
  close(): void;
}

function openServerTree(file: string): ServerTree | undefined {
  if (!existsSync(file)) return undefined;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const generation = db.prepare<[string], number>(`SELECT generation FROM projection_generations WHERE name = ? AND state = 'active'`).pluck().get(INTEGRITY_LOG);
    const prefix = `integrity_log_g${generation}_`;
    const exists = generation !== undefined
      && db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)`).get(`${prefix}tiles`, `${prefix}nodes`) !== undefined;
    if (!exists) {
      db.close();
      return undefined;
    }
    const tree = new MerkleLog(db, { prefix });
    return {
      input: {
        storedTreeSize: tree.size(),
        storedLeaves: (first, count) => {
          const leaves = tree.leafHashes(first, count);
          leaves.length = count;
          return leaves;
        },
      },
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

function describe(report: LogReport, seconds: number, keys: number, serverTree: boolean, secondPass: boolean, unreadTree: string | undefined): string[] {
  const rate = seconds > 0 ? `, ${fmt(Math.round(report.events / seconds))} events/s` : '';
  const lines = [
    `verified ${fmt(report.events)} events (positions 1 to ${fmt(report.lastPosition)}) in ${formatSeconds(seconds)}${rate}: ` +
      `${report.subjects === 1 ? '1 subject\'s chain' : `${fmt(report.subjects)} subjects' chains`}, ${count(report.streams, 'stream')}, ` +
      `${count(report.headsChecked, 'signed tree head')} (${count(keys, 'public key')})${serverTree ? ', leaves compared with the server\'s tree' : ''}`,
    report.latestHead
      ? `latest head: size ${fmt(report.latestHead.treeSize)} ${report.latestHead.position === null ? '(given)' : `at position ${fmt(report.latestHead.position)}`}, ` +
        `signed ${report.latestHead.timestamp} by key ${report.latestHead.keyId}, root ${report.latestHead.rootHash}`
      : report.headsChecked === 0 ? 'latest head: none (no signed tree head to check)' : `latest head: none of the ${fmt(report.headsChecked)} checked agrees with the log`,
    `root of the whole log: ${report.rootHash}`,
  ];
  if (unreadTree) lines.push(unreadTree);
  if (secondPass) lines.push('checked twice: the first pass, hashing each stored text as it is, disagreed with a head or a chain, so the second proved each text canonical (or made it so) before hashing');
  if (report.ok) return [...lines, 'OK: the log agrees with every signed tree head and every chain'];
  const [first] = report.findings;
  lines.push(`FAILED: ${fmt(report.findings.length)} finding${report.findings.length === 1 ? '' : 's'}; the first disagreement is ${first!.range ? `between positions ${fmt(first!.range[0])} and ${fmt(first!.range[1])}` : `at position ${fmt(first!.position)}`}:`);
  lines.push(`  >> ${first!.kind}: ${first!.message}`);
  const shown = report.findings.slice(1, 50);
  for (const f of shown) lines.push(`  position ${fmt(f.position)} ${f.kind}: ${f.message}`);
  if (report.findings.length > 1 + shown.length) lines.push(`  ... and ${fmt(report.findings.length - 1 - shown.length)} more`);
  return lines;
}

/** The text of --public-keys FILE; a file that cannot be read is a misuse of the command (exit 2), named. */
function readKeysFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new VerifyUsageError(`--public-keys ${file}: ${(error as Error).message}`);
  }
}
