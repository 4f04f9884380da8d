/**
 * `npm run bench`: every figure beside the ceiling measured in the same run on the same disk, so that a slower
 * machine shows as a lower ceiling, not as a failed target. Prints Markdown for BENCHMARKS.md.
 */
import { cpus, totalmem } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fsyncRate, rawInsertRate } from './raw-ceiling';
import { batchedAppends, concurrentAppends, sampleEvent, sequentialAppends } from './store-bench';
import { ingest, startServer } from './http-bench';
import { projectionBenchmarks } from './projections-bench';
import { integrityBenchmarks } from './integrity-bench';
import { inclusionLatency, treeOverhead } from './tree-bench';
import { consoleBenchmarks } from './console-bench';
import { memoryRow, residentMemory } from './memory';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const STREAMS = 10_000;
const root = resolve(__dirname, '../..');
mkdirSync(join(root, 'data'), { recursive: true });
const work = mkdtempSync(join(root, 'data', 'bench-'));
let fileNo = 0;
const freshFile = () => join(work, `db-${++fileNo}.sqlite`);

const rows: string[] = [];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (a: number, b: number) => `${Math.round((100 * a) / b)}%`;
function row(what: string, value: number, ceilingName: string, ceiling: number, target: string, met: boolean | null) {
  const line = `| ${what} | ${fmt(value)} | ${ceilingName}: ${fmt(ceiling)} | ${pct(value, ceiling)} | ${target} | ${met === null ? '' : met ? 'met' : 'MISSED'} |`;
  rows.push(line);
  console.log(line);
}

async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`# Derbes benchmark, ${new Date().toISOString()}`);
  console.log(`${cpus().length} x ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, data on ${work}; ${SECONDS} s per case\n`);
  console.log('| measure | per second | ceiling measured in this run | of ceiling | target | |');
  console.log('|---|---|---|---|---|---|');

  const fsyncs = fsyncRate(work, 2);
  rows.push(`| disk: fsync of a 4 KiB overwrite | ${fmt(fsyncs)} | | | | |`);
  console.log(rows[rows.length - 1]);
  // The rows' JSON is made once: the ceiling measures SQLite and the disk, not serialisation.
  const template = sampleEvent(0, STREAMS).event;
  const data = JSON.stringify(template.data);
  const metadata = JSON.stringify(template.metadata);
  const raw = (perTx: number) => rawInsertRate(freshFile(), (i) => {
    const { streamId, event } = sampleEvent(i, STREAMS);
    return { id: event.id, stream: streamId, data, metadata };
  }, perTx, SECONDS);
  const raw1 = raw(1);
  const raw100 = raw(100);
  const raw1000 = raw(1000);
  rows.push(`| raw better-sqlite3 inserts, FULL, 1 / 100 / 1000 rows per tx | ${fmt(raw1)} / ${fmt(raw100)} / ${fmt(raw1000)} | | | | |`);
  console.log(rows[rows.length - 1]);

  row('store: one event per append, awaited one by one', await sequentialAppends(freshFile(), SECONDS, STREAMS), 'raw 1 row/tx', raw1, '', null);
  row('store: one event per append, 64 in flight (group commit)', await concurrentAppends(freshFile(), SECONDS, STREAMS, 64), 'raw 1 row/tx', raw1, '', null);
  row('store: batches of 100 events (appendMany)', await batchedAppends(freshFile(), SECONDS, STREAMS, 100), 'raw 100 rows/tx', raw100, '', null);
  row('store: batches of 1000 events (appendMany)', await batchedAppends(freshFile(), SECONDS, STREAMS, 1000), 'raw 1000 rows/tx', raw1000, '', null);

  // The ingest path alone (no process keeps read models), then as `npm start` runs it, with the six read models
  // kept on the same thread: the difference is what the projections cost ingest on this machine.
  for (const projections of ['off', 'on'] as const) {
    const label = projections === 'off' ? 'read models off' : 'read models on (default)';
    const server = await startServer(root, join(work, `http-data-${projections}`), { DERBES_PROJECTIONS: projections });
    const idle = residentMemory(server.pid);
    try {
      await ingest(server.url, server.authorization, { batchSize: 1, connections: 64, seconds: 2, run: 1 });
      const single = await ingest(server.url, server.authorization, { batchSize: 1, connections: 64, seconds: SECONDS * 2, run: 2 });
      row(`HTTP, ${label}: POST /v1/processing-records, 64 connections (p50 ${single.latencyP50} ms, p99 ${single.latencyP99} ms, non-2xx ${single.non2xx})`,
        single.recordsPerSecond, 'raw 1 row/tx', raw1, '>= 3,000/s', single.recordsPerSecond >= 3000 && single.non2xx === 0);
      await ingest(server.url, server.authorization, { batchSize: 1000, connections: 2, seconds: 2, run: 3 });
      const batch = await ingest(server.url, server.authorization, { batchSize: 1000, connections: 2, seconds: SECONDS * 2, run: 4 });
      row(`HTTP, ${label}: POST /v1/processing-records/batch of 1000, 2 connections (p50 ${batch.latencyP50} ms, non-2xx ${batch.non2xx})`,
        batch.recordsPerSecond, 'raw 1000 rows/tx', raw1000, '>= 20,000/s and >= 40% of raw',
        batch.recordsPerSecond >= 20_000 && batch.recordsPerSecond >= 0.4 * raw1000 && batch.non2xx === 0);
      rows.push(memoryRow(`memory of the server, ${label}, over the two runs above (single records, then batches)`, idle, residentMemory(server.pid), 'the same server idle after start'));
      console.log(rows[rows.length - 1]);
    } finally {
      await server.stop();
    }
  }

  // Issue 3: read models (rebuild rate, history query latency, live lag); BENCH_EVENTS sets the ledger's size.
  await projectionBenchmarks({ root, work, raw1000, emit: (line) => {
    rows.push(line);
    console.log(line);
  } });

  // Issue 6: the Merkle tree's cost to ingest (target under 15%) and inclusion proofs (BENCH_TREE_EVENTS, default 1,000,000).
  if (process.env.BENCH_TREE !== 'off') {
    const { without, withTree, runs } = await treeOverhead(freshFile, SECONDS * 2, STREAMS);
    const each = runs.map(([a, b]) => `${fmt(a)} / ${fmt(b)}`).join(', ');
    row(`store: batches of 1000 events with the Merkle tree kept (integrity-log read model on a thread of its own, until it has caught up; the median of ${runs.length} pairs of runs, without / with: ${each}; costs ${pct(without - withTree, without)} of ingest)`,
      withTree, 'the same without the tree', without, 'tree costs < 15%', withTree >= 0.85 * without);
    const events = Number(process.env.BENCH_TREE_EVENTS ?? 1_000_000);
    const { proof, byId } = await inclusionLatency({ store: freshFile(), readModels: freshFile() }, events, STREAMS);
    const line = `| inclusion proof of a random event in the tree of ${fmt(events)} events (2,000 proofs) | p50 ${proof[0]!.toFixed(2)} / p99 ${proof[1]!.toFixed(2)} ms | store.readEventById of that event: p50 ${byId[0]!.toFixed(2)} / p99 ${byId[1]!.toFixed(2)} ms | | | |`;
    rows.push(line);
    console.log(line);
  }
  // Issue 8: the console's pages on a generated ledger of BENCH_EVENTS, each beside the API's JSON for the same data.
  if (process.env.BENCH_CONSOLE !== 'off') {
    await consoleBenchmarks({ work, emit: (line) => {
      rows.push(line);
      console.log(line);
    } });
  }
  // Issue 6: derbes verify over a generated ledger of BENCH_EVENTS, beside the raw read of the log (BENCH_VERIFY=off skips it).
  if (process.env.BENCH_VERIFY !== 'off') {
    await integrityBenchmarks({ work, emit: (line) => {
      rows.push(line);
      console.log(line);
    } });
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
