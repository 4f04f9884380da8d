/**
 * Issue 6: what keeping the Merkle tree costs ingest, and how fast an inclusion proof is answered. The tree is the
 * integrity-log read model, following the log on a thread of its own as the ledger's projections thread does, beside
 * the appending thread and the store's writer thread.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ANY, SqliteEventStore, ThreadClient, type AppendOperation } from '@derbes/event-store';
import { INTEGRITY_LOG, ProjectionRunner, inclusionProof, integrityLogProjection, openReadModelDatabase } from '@derbes/projections';
import { sampleEvent } from './store-bench';

const BATCH = 1000;

async function appendFor(store: SqliteEventStore, seconds: number, streams: number, from: number): Promise<number> {
  let n = from;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const operations: AppendOperation[] = [];
    for (let i = 0; i < BATCH; i++) {
      const { streamId, event } = sampleEvent(n++, streams);
      operations.push({ streamId, events: [event], expectedRevision: ANY });
    }
    await store.appendMany(operations);
  }
  return n - from;
}

/** Events/s appended in batches of 1,000 for `seconds` to a fresh store, nothing following it. */
async function withoutTree(file: string, seconds: number, streams: number): Promise<number> {
  const plain = SqliteEventStore.open(file);
  const rate = (await appendFor(plain, seconds, streams, 0)) / seconds;
  await plain.close();
  return rate;
}

/** The same with the tree kept; the time runs until the tree has caught up with the last append, so that a tree falling behind counts against it. */
async function treeKept(files: { store: string; readModels: string }, seconds: number, streams: number): Promise<number> {
  const store = SqliteEventStore.open(files.store);
  const tree = new ThreadClient('the tree thread', join(__dirname, 'tree-follower.worker'), files);
  await tree.request({ waitFor: 0 });
  const started = Date.now();
  const appended = await appendFor(store, seconds, streams, 0);
  if (!(await tree.request<boolean>({ waitFor: appended }))) throw new Error('the tree did not catch up');
  const rate = appended / ((Date.now() - started) / 1000);
  await tree.close();
  await store.close();
  return rate;
}

/**
 * Events/s without and with the tree over `rounds` pairs of runs, each pair taken back to back on fresh files; the
 * pair whose ratio is the median is returned. One pair alone measured anywhere from -13% to 30% apart here: the speed
 * of the machine drifts by more than the tree costs, and a pair's two runs share most of that drift. Five pairs,
 * since a median of three still moved between 7% and 19% from one minute to the next. Each run starts after `sync`,
 * so that it does not pay for writing back the previous run's files, and the pairs alternate which run goes first,
 * so that what one run leaves to the next does not always fall on the same side.
 */
export async function treeOverhead(freshFile: () => string, seconds: number, streams: number, rounds = 5): Promise<{ without: number; withTree: number; runs: Array<[number, number]> }> {
  const runs: Array<[number, number]> = [];
  const plain = async () => {
    execFileSync('sync');
    return withoutTree(freshFile(), seconds, streams);
  };
  const kept = async () => {
    execFileSync('sync');
    return treeKept({ store: freshFile(), readModels: freshFile() }, seconds, streams);
  };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      const without = await plain();
      runs.push([without, await kept()]);
    } else {
      const withTree = await kept();
      runs.push([await plain(), withTree]);
    }
  }
  const [without, withTree] = [...runs].sort((a, b) => a[1] / a[0] - b[1] / b[0])[Math.floor(runs.length / 2)]!;
  return { without, withTree, runs };
}

/** p50/p99 in ms of an inclusion proof for a random event in the tree of all `events` events, and of reading that event by id. */
export async function inclusionLatency(files: { store: string; readModels: string }, events: number, streams: number, samples = 2000): Promise<{ proof: number[]; byId: number[] }> {
  const store = SqliteEventStore.open(files.store, { pollIntervalMs: 20 });
  for (let n = 0; n < events;) {
    const operations: AppendOperation[] = [];
    for (let i = 0; i < BATCH && n < events; i++, n++) {
      const { streamId, event } = sampleEvent(n, streams);
      operations.push({ streamId, events: [event], expectedRevision: ANY });
    }
    await store.appendMany(operations);
  }
  const runner = new ProjectionRunner(store, openReadModelDatabase(files.readModels), [integrityLogProjection]);
  runner.start();
  if (!(await runner.waitFor(INTEGRITY_LOG, events, 600_000))) throw new Error('the tree was not built');
  const tables = runner.tables(INTEGRITY_LOG);
  const proof: number[] = [];
  const byId: number[] = [];
  for (let i = 0; i < samples; i++) {
    const n = Math.floor(Math.random() * events);
    let t = process.hrtime.bigint();
    const event = await store.readEventById(sampleEvent(n, streams).event.id);
    byId.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    inclusionProof(tables, event!.position, events);
    proof.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  await runner.stop();
  await store.close();
  return { proof: percentiles(proof), byId: percentiles(byId) };
}

function percentiles(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return [0.5, 0.99].map((q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
}
