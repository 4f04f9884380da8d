import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ANY, SqliteEventStore, storedTextOf, type EventData, type RecordedEvent } from '@derbes/event-store';
import {
  TREE_HEAD_SCHEMA_VERSION, TREE_HEAD_SIGNED, TREE_HEADS_STREAM, consistencyProof as referenceConsistency, eventLeafHash, merkleRoot,
  verifyConsistency, verifyInclusion, type CanonicalEvent,
} from '@derbes/integrity';
import { ProjectionRunner } from '../projection-runner';
import type { ReadModelTables } from '../projection';
import { openReadModelDatabase } from '../read-model-database';
import { INTEGRITY_LOG, integrityLogProjection } from './integrity-log.projection';
import { consistencyProof, inclusionProof, latestTreeHead, leafHashAt, treeHeadOfSize, treeRoot, treeSize } from './integrity-log.queries';

const leaves = (events: readonly RecordedEvent[]) => events.map((e) => eventLeafHash(e as unknown as CanonicalEvent));
const event = (i: number): EventData => ({ id: `e-${i}`, type: 'Happened', data: { n: i, text: 'ж'.repeat(i % 5) }, metadata: { schemaVersion: 1 } });
const head = (treeSize: number, rootHash: string): EventData => ({
  id: `head-${treeSize}`, type: TREE_HEAD_SIGNED,
  data: { treeSize, rootHash, timestamp: '2026-11-25T12:00:00.000Z', keyId: '0123456789abcdef', signature: 'ab'.repeat(64) },
  metadata: { schemaVersion: TREE_HEAD_SCHEMA_VERSION },
});

describe('integrity-log projection', () => {
  let store: SqliteEventStore;
  let runner: ProjectionRunner;
  let tables: () => ReadModelTables;
  beforeEach(() => {
    store = SqliteEventStore.open(':memory:');
    runner = new ProjectionRunner(store, openReadModelDatabase(':memory:'), [integrityLogProjection]);
    tables = () => runner.tables(INTEGRITY_LOG);
  });
  afterEach(async () => {
    await runner.stop();
    await store.close();
  });

  async function appendAndFollow(events: EventData[], stream = (i: number) => `s-${i % 7}`): Promise<void> {
    for (const [i, e] of events.entries()) await store.appendToStream(stream(i), [e], ANY);
    expect(await runner.waitFor(INTEGRITY_LOG, await store.lastPosition(), 5000)).toBe(true);
  }

  it('keeps the RFC 9162 tree of the whole log, leaf i being the event at position i + 1, with proofs of any past size', async () => {
    runner.start();
    await appendAndFollow(Array.from({ length: 37 }, (_, i) => event(i)));
    // Appended in several batches (one per catch-up page or group): the tree does not care.
    await appendAndFollow(Array.from({ length: 60 }, (_, i) => event(100 + i)));
    const all = await store.readAll();
    const hashes = leaves(all);
    expect(treeSize(tables())).toBe(97);
    expect(leafHashAt(tables(), 5)).toBe(hashes[4]!.toString('hex'));
    for (const size of [1, 2, 3, 37, 64, 96, 97]) expect(treeRoot(tables(), size)).toBe(merkleRoot(hashes.slice(0, size)).toString('hex'));
    for (const [position, size] of [[1, 1], [1, 97], [37, 40], [64, 97], [97, 97]] as const) {
      const proof = inclusionProof(tables(), position, size).map((h) => Buffer.from(h, 'hex'));
      expect(verifyInclusion(hashes[position - 1]!, position - 1, size, proof, merkleRoot(hashes.slice(0, size)))).toBe(true);
    }
    for (const [from, to] of [[1, 97], [37, 64], [50, 97], [97, 97]] as const) {
      const proof = consistencyProof(tables(), from, to);
      expect(proof).toEqual(referenceConsistency(from, hashes.slice(0, to)).map((h) => h.toString('hex')));
      expect(verifyConsistency(from, to, proof.map((h) => Buffer.from(h, 'hex')), merkleRoot(hashes.slice(0, from)), merkleRoot(hashes.slice(0, to)))).toBe(true);
    }
    expect(() => treeRoot(tables(), 98)).toThrow(RangeError);
  });

  it('keeps the signed tree heads it meets in the log, which are leaves like any event', async () => {
    runner.start();
    await appendAndFollow([event(1), event(2), event(3)]);
    const root3 = treeRoot(tables(), 3);
    await appendAndFollow([head(3, root3)], () => TREE_HEADS_STREAM);
    await appendAndFollow([event(4)]);
    const root5 = treeRoot(tables(), 5);
    await appendAndFollow([head(5, root5)], () => TREE_HEADS_STREAM);
    expect(treeSize(tables())).toBe(6);
    expect(latestTreeHead(tables())).toMatchObject({ treeSize: 5, rootHash: root5, position: 6 });
    expect(treeHeadOfSize(tables(), 3)).toMatchObject({ treeSize: 3, rootHash: root3, position: 4 });
    expect(treeHeadOfSize(tables(), 4)).toBeNull();
  });

  it('rebuilt from the log, holds the same tree', async () => {
    runner.start();
    await appendAndFollow(Array.from({ length: 20 }, (_, i) => event(i)));
    const before = treeRoot(tables(), 20);
    await runner.rebuild(INTEGRITY_LOG);
    expect(treeRoot(tables(), 20)).toBe(before);
  });

  it('hashes the canonical text the store read, and text stored otherwise (a ledger from before canonical storage) parsed, to the same leaves', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'derbes-tree-')), 'events.db');
    const onFile = SqliteEventStore.open(file);
    try {
      for (let i = 0; i < 12; i++) await onFile.appendToStream(`s-${i % 3}`, [event(i)], ANY);
      const raw = new Database(file);
      // Half the events as JSON.stringify wrote them before the store wrote canonical JSON: other member order.
      raw.prepare(`UPDATE events SET data = json_object('text', json_extract(data, '$.text'), 'n', json_extract(data, '$.n')) WHERE position % 2 = 0`).run();
      expect(raw.prepare('SELECT data FROM events WHERE position = 2').pluck().get()).toBe('{"text":"ж","n":1}');
      raw.close();
      const all = await onFile.readAll();
      expect(all.every((e) => storedTextOf(e) !== undefined)).toBe(true);
      const follower = new ProjectionRunner(onFile, openReadModelDatabase(':memory:'), [integrityLogProjection]);
      follower.start();
      expect(await follower.waitFor(INTEGRITY_LOG, 12, 5000)).toBe(true);
      const hashes = leaves(all);
      for (let position = 1; position <= 12; position++) expect(leafHashAt(follower.tables(INTEGRITY_LOG), position)).toBe(hashes[position - 1]!.toString('hex'));
      expect(treeRoot(follower.tables(INTEGRITY_LOG), 12)).toBe(merkleRoot(hashes).toString('hex'));
      await follower.stop();
    } finally {
      await onFile.close();
    }
  });

  it('stops, naming the position, when the log it follows is not gap-free', () => {
    const db = openReadModelDatabase(':memory:');
    const t: ReadModelTables = { db, table: (n) => `integrity_log_g1_${n}` };
    integrityLogProjection.setup(t);
    const at = (position: number) => ({ ...event(position), streamId: 's', revision: position - 1, position, created: '2026-11-25T12:00:00.000Z' }) as RecordedEvent;
    integrityLogProjection.applyAll!(t, [at(1), at(2)]);
    expect(() => integrityLogProjection.applyAll!(t, [at(4)])).toThrow(/position 4 follows 2/);
    expect(treeSize(t)).toBe(2);
  });
});
