/**
 * Issue 6's figure: `derbes verify` over a generated ledger (BENCH_EVENTS, default 1,000,000: the projections
 * bench's realistic records, each subject's events chained by metadata.previousHash as the ledger writes them, and a
 * signed tree head every 100,000 events), beside the raw read of the log (store.readAll in pages of 1,000, JSON
 * parsed) measured in the same run, three times each. Called from run.ts; runs alone as `node dist/bench/integrity-bench.js`.
 * Time: generation ~2-3 min at 1,000,000 events, then the two reads three times (~1 min). Disk: ~1.1 KB per event,
 * removed at the end.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ANY, SqliteEventStore, type JsonObject } from '@derbes/event-store';
import {
  TREE_HEADS_STREAM, TREE_HEAD_SCHEMA_VERSION, TREE_HEAD_SIGNED, loadOrCreateSigningKeys, nodeHash, signTreeHead,
} from '@derbes/integrity';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';
import { verifyLedger } from '../apps/cli/src/verify.command';
import { hashedPages } from '../apps/cli/src/verify-pages';
import { generateLedger, rawReadRate as readRate } from './projections-bench';
import { measuredPeak, memoryRow } from './memory';
import { runStandalone } from './standalone';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const HEAD_EVERY = 100_000;
const ROUNDS = 3;

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export interface IntegrityBenchOptions {
  readonly work: string;
  readonly emit: (line: string) => void;
}


/** Appends heads of sizes HEAD_EVERY, 2 * HEAD_EVERY... (all after the events they sign), with roots from one pass. */
async function appendHeads(file: string, dataDir: string, total: number): Promise<void> {
  const keys = loadOrCreateSigningKeys(join(dataDir, 'integrity-keys'));
  const frontier: Array<Buffer | undefined> = [];
  let size = 0;
  const heads: JsonObject[] = [];
  for await (const page of hashedPages(file, total, 2)) {
    for (let i = 0; i < page.count; i++) {
      let hash: Buffer = Buffer.from(page.leaves.subarray(i * 32, i * 32 + 32));
      let level = 0;
      for (let index = size; index % 2 === 1; index = (index - 1) / 2) {
        hash = nodeHash(frontier[level]!, hash);
        frontier[level++] = undefined;
      }
      frontier[level] = hash;
      size++;
      if (size % HEAD_EVERY === 0 || size === total) {
        let root: Buffer | undefined;
        for (const subtree of frontier) if (subtree) root = root ? nodeHash(subtree, root) : subtree;
        heads.push(signTreeHead({ treeSize: size, rootHash: root! }, new Date(), keys.current) as unknown as JsonObject);
      }
    }
  }
  const store = SqliteEventStore.open(file);
  try {
    await store.appendToStream(TREE_HEADS_STREAM, heads.map((data, i) => ({
      id: `b6000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, type: TREE_HEAD_SIGNED, data, metadata: { schemaVersion: TREE_HEAD_SCHEMA_VERSION },
    })), ANY);
  } finally {
    await store.close();
  }
}

/** Events per second of reading the whole log through the store, pages of 1,000, data and metadata parsed. */
async function rawReadRate(file: string): Promise<number> {
  const store = SqliteEventStore.open(file, { writer: 'inline' });
  try {
    return await readRate(store);
  } finally {
    await store.close();
  }
}

export async function integrityBenchmarks(options: IntegrityBenchOptions): Promise<void> {
  const dir = mkdtempSync(join(options.work, 'integrity-'));
  try {
    const file = join(dir, 'events.db');
    const generation = (await generateLedger(file, EVENTS)).seconds;
    await appendHeads(file, dir, EVENTS);
    const config = loadConfig({ DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: file });
    // Three rounds, the raw read and verify alternately, each figure the median of its three: one run of either
    // varies by a third on this machine from one minute to the next.
    const raws: number[] = [];
    const rates: number[] = [];
    let memory: Awaited<ReturnType<typeof measuredPeak>> | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      raws.push(await rawReadRate(file));
      const started = performance.now();
      const measured = await measuredPeak(() => verifyLedger(config));
      const { ok, lines } = measured.result;
      const seconds = (performance.now() - started) / 1000;
      memory ??= measured;
      if (!ok) throw new Error(`verify found the generated ledger wrong:\n${lines.join('\n')}`);
      rates.push(EVENTS / seconds);
    }
    const raw = median(raws);
    const rate = median(rates);
    const heads = Math.ceil(EVENTS / HEAD_EVERY);
    options.emit(`| derbes verify over ${fmt(EVENTS)} events (generated in ${generation.toFixed(0)} s, chained per subject, ${heads} signed head${heads === 1 ? '' : 's'}; ` +
      `${cpus().length} cores; the median of ${ROUNDS} runs: ${rates.map(fmt).join(' / ')}) | ${fmt(rate)} | ` +
      `raw read of the log (store.readAll, pages of 1,000, JSON parsed; median of ${raws.map(fmt).join(' / ')}): ${fmt(raw)} | ` +
      `${Math.round((100 * rate) / raw)}% | >= 200,000/s | ${rate >= 200_000 ? 'met' : 'MISSED'} |`);
    options.emit(memoryRow(`memory of the first of those verify runs (in the bench's process, its hashing threads included)`, memory?.before ?? null, memory?.after ?? null, 'the process before it'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) runStandalone('integrity', 'per second', integrityBenchmarks);
