/**
 * How fast the verifiable log hashes and stores: not a test (no assertion), a measurement to read. Run it with
 * `node libs/integrity/perf/run.js [events]` (default 100,000 events of about 1 KB of canonical JSON each).
 */
import { createHash, hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalEventBytes, canonicalEventJson, chainHash, eventLeafHash, type CanonicalEvent } from '../src/canonical-event';
import { leafHash, verifyInclusion } from '../src/merkle';
import { MerkleLog } from '../src/merkle-log';

const COUNT = Number(process.argv[2] ?? 100_000);

function uuid(n: number, salt: number): string {
  const h = createHash('sha256').update(`${salt}:${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A processing record's event as the store returns it (parsed from its stored JSON), ~1 KB canonical. */
function realisticEvent(n: number): CanonicalEvent {
  const subject = createHash('sha256').update(`subject ${n % 5000}`).digest('hex');
  const categories = [1 + (n % 30), 1 + ((n * 7) % 30), 28];
  const stored = JSON.stringify({
    id: uuid(n, 1), type: 'ProcessingRecorded', streamId: `subject-${subject}`, revision: Math.floor(n / 5000),
    position: n + 1, created: new Date(Date.UTC(2026, 10, 20) + n * 37).toISOString(),
    data: {
      recordId: uuid(n, 1), operation: ['access', 'change', 'collect'][n % 3], subjectId: subject,
      categories: categories.map((number) => ({ number, slug: `category-${number}` })), purpose: `P0${1 + (n % 9)}`,
      actor: { id: `hr-${n % 40}`, role: 'hr-specialist', unit: 'personnel-management' }, system: 'hr-portal',
      occurredAt: new Date(Date.UTC(2026, 10, 20) + n * 31).toISOString(),
      source: { kind: 'state-database', name: 'ГБД ФЛ' },
      note: { sealed: createHash('sha512').update(`note ${n}`).digest('base64'), keyVersion: 1 },
      register: { owner: 'minecology', version: '328-Ө/2025-12-04', checkedAt: new Date(Date.UTC(2026, 10, 20) + n * 31).toISOString() },
      violations: n % 10 === 0 ? [{ code: 'purpose-not-in-register', detail: 'the register in force does not list P09' }] : [],
    },
    metadata: {
      schemaVersion: 1, recordedAt: new Date(Date.UTC(2026, 10, 20) + n * 37).toISOString(), correlationId: uuid(n, 2),
      requestHash: createHash('sha256').update(`request ${n}`).digest('hex'),
      previousHash: n < 5000 ? null : createHash('sha256').update(`chain ${n}`).digest('hex'),
    },
  });
  return JSON.parse(stored) as CanonicalEvent;
}

/** The best of three runs after a warm-up: the machines running this are shared, so the best is the least disturbed. */
function time(label: string, count: number, run: () => void): void {
  run();
  let seconds = Infinity;
  for (let round = 0; round < 3; round++) {
    const started = process.hrtime.bigint();
    run();
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - started) / 1e9);
  }
  console.log(`${label.padEnd(58)} ${Math.round(count / seconds).toLocaleString('en-US').padStart(11)} /s  (${(seconds * 1e6 / count).toFixed(2)} µs each)`);
}

// A verifier streams the log page by page: 10,000 distinct events, hashed over and over, keep the heap as small as
// it would be (holding 100,000 parsed events and their texts made garbage collection the largest cost measured).
const POOL = Math.min(COUNT, 10_000);
const events = Array.from({ length: POOL }, (_, n) => realisticEvent(n));
const averageBytes = events.slice(0, 1000).reduce((sum, e) => sum + Buffer.byteLength(canonicalEventJson(e)), 0) / 1000;
console.log(`${COUNT.toLocaleString('en-US')} events (${POOL.toLocaleString('en-US')} distinct), ${Math.round(averageBytes)} bytes of canonical JSON each on average; node ${process.version}`);

let sink = 0;
const each = <T>(items: readonly T[], f: (item: T) => number) => () => {
  for (let done = 0; done < COUNT; done += items.length) {
    for (let i = 0; i < items.length && done + i < COUNT; i++) sink += f(items[i]!);
  }
};
time('canonicalEventJson', COUNT, each(events, (e) => canonicalEventJson(e).charCodeAt(7))); // charCodeAt: the string made flat
time('JSON.stringify (no sorting, for comparison)', COUNT, each(events, (e) => JSON.stringify(e).charCodeAt(7)));
const texts = events.map((e) => '\u0000' + canonicalEventJson(e));
time('SHA-256 of the canonical text alone (crypto.hash)', COUNT, each(texts, (t) => hash('sha256', t, 'buffer')[0]!));
time('eventLeafHash (canonical JSON + SHA-256, verify side)', COUNT, each(events, (e) => eventLeafHash(e)[0]!));
time('leafHash(canonicalEventBytes)', COUNT, each(events, (e) => leafHash(canonicalEventBytes(e))[0]!));
time('chainHash', COUNT, each(events, (e) => chainHash(e).length));

const leaves = Array.from({ length: COUNT }, (_, n) => eventLeafHash(events[n % POOL]!));
// Distinct leaves for the tree (the pool repeats): the leaf hash of the event and its number.
for (let n = POOL; n < COUNT; n++) leaves[n] = leafHash(Buffer.concat([leaves[n]!, Buffer.from(String(n))]));
const dir = mkdtempSync(join(tmpdir(), 'integrity-perf-'));
try {
  for (const batch of [1000, 100, 1]) {
    const db = new Database(join(dir, `log-${batch}.db`));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const log = new MerkleLog(db);
    const appended = batch === 1 ? Math.min(COUNT, 20_000) : COUNT;
    const started = process.hrtime.bigint();
    for (let i = 0; i < appended; i += batch) log.append(leaves.slice(i, i + batch));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`${`MerkleLog.append, batches of ${batch}, WAL, synchronous=NORMAL`.padEnd(58)} ${Math.round(appended / seconds).toLocaleString('en-US').padStart(11)} /s  (${(seconds * 1e6 / appended).toFixed(2)} µs a leaf)`);
    if (batch === 1000) {
      const rows = db.prepare('SELECT count(*) FROM merkle_tiles').pluck().get() as number;
      const size = log.size();
      const root = log.root();
      const probes = 20_000;
      const proofs: Buffer[][] = [];
      time(`MerkleLog.inclusionProof at size ${size.toLocaleString('en-US')}`, probes, () => {
        proofs.length = 0;
        for (let i = 0; i < probes; i++) proofs.push(log.inclusionProof((i * 7919) % size, size));
      });
      time('verifyInclusion', probes, () => {
        for (let i = 0; i < probes; i++) sink += verifyInclusion(leaves[(i * 7919) % size]!, (i * 7919) % size, size, proofs[i]!, root) ? 1 : 0;
      });
      time('MerkleLog.consistencyProof (random past size to now)', probes, () => {
        for (let i = 0; i < probes; i++) sink += log.consistencyProof(1 + ((i * 104729) % size), size).length;
      });
      console.log(`stored rows: ${rows.toLocaleString('en-US')} for ${size.toLocaleString('en-US')} leaves`);
    }
    db.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (sink === 42) console.log(''); // keeps the measured work observable
