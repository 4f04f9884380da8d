/**
 * Issue 3's figures: how fast the read models are rebuilt from a large ledger, how fast a subject's history is
 * queried in it, and how far the read models fall behind the log while the server ingests at a fixed rate. Each
 * beside a ceiling measured in the same run. Called from run.ts after its sections; runs alone as
 * `node dist/bench/projections-bench.js` (after `npm run build`).
 *
 * Environment: BENCH_EVENTS (ledger size, default 1,000,000), BENCH_QUERIES (per history case, default 2,000),
 * BENCH_LAG_SECONDS (measured ingest, default 10), BENCH_LAG_RATE (records/s, default 5,000),
 * BENCH_PROJECTION_SECTIONS (comma list of `rebuild` (sections 1 and 2), `report` (issue 4's access report) and `lag`
 * (section 3); default all), BENCH_REPORTS (runs per report case, default 100).
 *
 * Time: section 3 takes ~30 s. Sections 1 and 2 take generation + two rebuilds + ~30 s of queries: at 100,000
 * events ~1.5 min on the standard machine; at 1,000,000 and today's rebuild rates (2,400/s at 100,000 falling to
 * 1,900/s at 300,000 for the six) expect 15-25 min, which shrinks to ~3 min once the rebuild meets its target.
 * Disk: ~1.1 KB per event for the log and ~2 KB for the read models, removed at the end.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { ANY, SqliteEventStore, type AppendOperation, type JsonObject } from '@derbes/event-store';
import { chainHash, type ChainedEvent } from '@derbes/integrity';
import {
  PROCESSING_RECORDED_SCHEMA_VERSION,
  SubjectPseudonymizer,
  decide,
  evolve,
  initialSubjectState,
  recordHash,
  subjectStreamId,
  type Operation,
  type RecordProcessing,
  type SubjectState,
} from '@derbes/ledger';
import {
  ProjectionRunner,
  MAX_BATCH_ON_OWN_THREAD,
  SUBJECT_HISTORY,
  openReadModelDatabase,
  subjectHistoryPage,
  subjectHistoryProjection,
  type Projection,
  type SideBuild,
  type SubjectHistoryFilter,
} from '@derbes/projections';
import { BUILT_IN_REGISTERS, RegisterCatalog, type Register } from '@derbes/register';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';
import { ledgerProjections } from '../apps/ledger/src/projections.provider';
import { threadSideBuild } from '../apps/ledger/src/side-build';
import { startServer } from './http-bench';
import { reportLatency } from './report-bench';
import { employeeIins, recordJson, rng } from './workload';
import { runStandalone } from './standalone';
import { measuredPeak, memoryRow, residentMemory, type ResidentMemory } from './memory';

export interface ProjectionBenchOptions {
  /** Repository root (dist/ is under it). */
  readonly root: string;
  /** A scratch directory; this module makes its own subdirectory in it and removes it. */
  readonly work: string;
  /** Receives each Markdown table row. */
  readonly emit: (line: string) => void;
  /** Raw better-sqlite3 inserts of 1000 rows per transaction measured in this run, to print beside generation. */
  readonly raw1000?: number;
}

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 2_000);
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 10);
const LAG_RATE = Number(process.env.BENCH_LAG_RATE ?? 5_000);
const SECTIONS = new Set((process.env.BENCH_PROJECTION_SECTIONS ?? 'rebuild,report,lag').split(',').map((s) => s.trim()));
const EMPLOYEES = 10_000;
const HOT_EVENTS = 1_000;
const BATCH = 1_000;
const PSEUDONYM_KEY = Buffer.from('cd'.repeat(32), 'hex');
/** The ledger's year, as the demo's: from just after Order 328-Ө came into force to a few days before today. */
const YEAR_START = Date.parse('2025-12-15T03:00:00Z');
const YEAR_END = Date.parse('2026-11-20T13:00:00Z');
const DAY = 86_400_000;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const pct = (a: number, b: number) => `${Math.round((100 * a) / b)}%`;
const verdict = (met: boolean | null) => (met === null ? '' : met ? 'met' : 'MISSED');
const line = (what: string, value: string, ceiling: string, ofCeiling: string, target: string, met: boolean | null) =>
  `| ${what} | ${value} | ${ceiling} | ${ofCeiling} | ${target} | ${verdict(met)} |`;

// ---------------------------------------------------------------------------------------------------------------
// The ledger: 10,000 employees and one subject with exactly 1,000 events, over a year.

interface ActorDef {
  readonly id: string;
  readonly role: string;
  readonly unit: string;
  readonly systems: readonly string[];
}

function actors(): ActorDef[] {
  const out: ActorDef[] = [];
  const add = (prefix: string, count: number, role: string, unit: string, systems: string[]) => {
    for (let i = 1; i <= count; i++) out.push({ id: `${prefix}-${i}`, role, unit, systems });
  };
  add('hr', 30, 'hr-specialist', 'personnel-management', ['hr-portal', 'hr-portal', 'e-docs']);
  add('training', 5, 'training-coordinator', 'training-center', ['hr-portal', 'lms']);
  add('med', 5, 'occupational-physician', 'occupational-health', ['med-records']);
  add('payroll', 10, 'payroll-accountant', 'finance', ['payroll']);
  add('sec', 5, 'security-officer', 'internal-security', ['e-docs']);
  add('legal', 5, 'legal-counsel', 'legal-department', ['e-docs']);
  return out;
}

/** Weights out of 1000: mostly reading, some collecting and changing, a tenth transfers, a few lifecycle steps. */
const OPERATION_WEIGHTS: ReadonlyArray<readonly [Operation, number]> = [
  ['access', 574], ['collect', 150], ['change', 150], ['transfer', 110],
  ['block', 4], ['unblock', 8], ['destroy', 2], ['depersonalize', 2],
];

/** The ledger's default: no country is listed as adequate, so a transfer abroad needs consent or a treaty. */
const NO_ADEQUATE_COUNTRIES: ReadonlySet<string> = new Set();

const LIFECYCLE: ReadonlySet<Operation> = new Set(['block', 'unblock', 'destroy', 'depersonalize']);

const RECIPIENTS = [
  { name: 'Unified Accumulative Pension Fund (ЕНПФ)', country: 'KZ' },
  { name: 'State Revenue Committee', country: 'KZ' },
  { name: 'Social Insurance Fund', country: 'KZ' },
  { name: 'Leadership programme GmbH', country: 'DE' },
  { name: 'Istanbul training centre', country: 'TR' },
];

const NOTES = ['жеке іс бойынша жұмыс', 'annual review', 'по запросу работника', 'competition file', 'quarterly audit'];

/** Produces the ledger's records one by one, deciding each on its subject's state as the ledger would. */
export class LedgerGenerator {
  private readonly next = rng(20261125);
  private readonly register: Register;
  private readonly catalog: RegisterCatalog;
  private readonly actors = actors();
  private readonly transferActors = this.actors.filter((a) => a.unit === 'finance' || a.unit === 'training-center');
  private readonly employees: string[];
  readonly hotSubjectId: string;
  private readonly states = new Map<string, SubjectState>();
  private readonly operationTable: Operation[] = [];
  private sequence = 0;

  constructor(private readonly total: number) {
    const iins = employeeIins(EMPLOYEES + 1, 7);
    const pseudonyms = new SubjectPseudonymizer(PSEUDONYM_KEY);
    this.employees = iins.slice(0, EMPLOYEES).map((iin) => pseudonyms.subjectId(iin));
    this.hotSubjectId = pseudonyms.subjectId(iins[EMPLOYEES] as string);
    this.catalog = new RegisterCatalog(BUILT_IN_REGISTERS);
    this.register = BUILT_IN_REGISTERS[0] as Register;
    for (const [operation, weight] of OPERATION_WEIGHTS) for (let i = 0; i < weight; i++) this.operationTable.push(operation);
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Whether record i (0-based) is the hot subject's: 1,000 of them, evenly spread through the log. */
  private isHot(i: number): boolean {
    return i === 0 || Math.floor((i * HOT_EVENTS) / this.total) !== Math.floor(((i - 1) * HOT_EVENTS) / this.total);
  }

  /** The i-th record (0-based) as the append operation the ledger would make of it. */
  operation(i: number, correlationId: string): AppendOperation {
    const subjectId = this.isHot(i) ? this.hotSubjectId : this.pick(this.employees);
    const operation = this.pick(this.operationTable);
    const categories = new Map<number, { number: number; slug: string }>();
    if (LIFECYCLE.has(operation)) {
      // Blocking, destroying and depersonalising concern one of the last, special categories (medical results...).
      const c = this.register.categories[this.register.categories.length - 1 - Math.floor(this.next() * 7)]!;
      categories.set(c.number, { number: c.number, slug: c.slug });
    }
    const count = LIFECYCLE.has(operation) ? 1 : 1 + Math.floor(this.next() * this.next() * 4);
    while (categories.size < count) {
      // Skewed towards the first categories (name, IIN, contacts...), as everyday records touch them most.
      const c = this.register.categories[Math.floor(this.next() * this.next() * this.register.categories.length)]!;
      categories.set(c.number, { number: c.number, slug: c.slug });
    }
    const purpose = this.pick(this.register.purposes);
    const actor = operation === 'transfer' ? this.pick(this.transferActors) : this.pick(this.actors);
    // The log runs through the year; records arrive up to two days late, and a few are from before the order.
    const base = YEAR_START + ((YEAR_END - YEAR_START) * i) / this.total;
    const late = this.next() < 0.002 ? 30 * DAY : Math.floor(this.next() * this.next() * 2 * DAY);
    const occurredAt = new Date(Math.max(YEAR_START - 40 * DAY, base - late)).toISOString();
    let recipient: RecordProcessing['recipient'] = null;
    let transferGround: RecordProcessing['transferGround'] = null;
    if (operation === 'transfer') {
      recipient = this.next() < 0.9 ? this.pick(RECIPIENTS.slice(0, 3)) : this.pick(RECIPIENTS.slice(3));
      if (recipient.country !== 'KZ' && this.next() < 0.5) transferGround = { kind: 'consent', reference: `consent-${i}` };
    }
    const sourceDraw = this.next();
    const source: RecordProcessing['source'] = operation !== 'collect' ? null
      : sourceDraw < 0.5 ? { kind: 'subject' } : sourceDraw < 0.8 ? { kind: 'state-database', name: 'ГБД ФЛ' } : { kind: 'third-party', name: 'city polyclinic No. 4' };
    const command: RecordProcessing = {
      recordId: this.uuid(),
      subjectId,
      operation,
      categories: [...categories.values()],
      purpose: { code: purpose.code, slug: purpose.slug },
      actor: { id: actor.id, role: actor.role, unit: actor.unit },
      system: this.pick(actor.systems),
      occurredAt,
      source,
      recipient,
      transferGround,
      note: this.next() < 0.3 ? this.pick(NOTES) : null,
      embargoUntil: null,
      subjectMask: null,
      requestId: null,
      sourceSequence: null,
    };
    const state = this.states.get(subjectId) ?? initialSubjectState;
    const register = this.catalog.inForce(this.register.owner, new Date(occurredAt));
    const [event] = decide(command, state, { register, adequateCountries: NO_ADEQUATE_COUNTRIES });
    if (!event) throw new Error('decide made no event');
    this.states.set(subjectId, evolve(state, event));
    const recordedAt = new Date(base + 60_000 + Math.floor(this.next() * 240_000)).toISOString();
    return {
      streamId: subjectStreamId(subjectId),
      expectedRevision: ANY,
      events: [{
        id: command.recordId,
        type: event.type,
        data: event.data as unknown as JsonObject,
        metadata: { schemaVersion: PROCESSING_RECORDED_SCHEMA_VERSION, recordedAt, correlationId, requestHash: recordHash(command) },
      }],
    };
  }

  uuid(): string {
    this.sequence++;
    return `b3000000-0000-4000-8000-${this.sequence.toString(16).padStart(12, '0')}`;
  }
}

/** Links each subject's events by metadata.previousHash, as the ledger writes them (one event per operation). */
export class SubjectChains {
  private readonly revisions = new Map<string, number>();
  private readonly last = new Map<string, string>();

  link(operation: AppendOperation): AppendOperation {
    const event = operation.events[0]!;
    const revision = this.revisions.get(operation.streamId) ?? 0;
    const metadata = { ...event.metadata, previousHash: this.last.get(operation.streamId) ?? null };
    this.revisions.set(operation.streamId, revision + 1);
    this.last.set(operation.streamId, chainHash({ ...event, streamId: operation.streamId, revision, metadata } as unknown as ChainedEvent));
    return { ...operation, events: [{ ...event, metadata }] };
  }
}

/**
 * Writes the ledger in appendMany batches of 1,000, each subject's events chained as the ledger chains them; returns
 * the seconds it took and the hot subject's id.
 */
export async function generateLedger(file: string, total: number): Promise<{ seconds: number; hotSubjectId: string; flagged: number }> {
  const store = SqliteEventStore.open(file);
  const generator = new LedgerGenerator(total);
  const chain = new SubjectChains();
  let flagged = 0;
  const started = performance.now();
  try {
    for (let i = 0; i < total;) {
      const operations: AppendOperation[] = [];
      let correlationId = generator.uuid();
      for (const end = Math.min(total, i + BATCH); i < end; i++) {
        // A correlation id per hundred records, as if they had come in requests of a hundred.
        if (i % 100 === 0) correlationId = generator.uuid();
        const operation = chain.link(generator.operation(i, correlationId));
        if ((operation.events[0]!.data.violations as unknown[]).length > 0) flagged++;
        operations.push(operation);
      }
      await store.appendMany(operations);
    }
  } finally {
    await store.close();
  }
  return { seconds: (performance.now() - started) / 1000, hotSubjectId: generator.hotSubjectId, flagged };
}

// ---------------------------------------------------------------------------------------------------------------
// Section 1: rebuild rate, beside the raw rate of reading the log.

/** Events per second of reading the whole log through the store, pages of 1,000, data and metadata parsed. */
export async function rawReadRate(store: SqliteEventStore): Promise<number> {
  const started = performance.now();
  let after = 0;
  let count = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    if (page.length === 0) break;
    count += page.length;
    after = page[page.length - 1]!.position;
  }
  return count / ((performance.now() - started) / 1000);
}

interface RebuildResult {
  readonly seconds: number;
  /** Per projection: seconds spent inside its apply(), when timed. */
  readonly applySeconds: ReadonlyMap<string, number>;
  /** Per projection with deferred indexes: seconds spent creating them, when timed. */
  readonly indexSeconds: ReadonlyMap<string, number>;
  readonly runner: ProjectionRunner;
  readonly close: () => void;
}

/**
 * Wraps a projection to add up the time spent in its apply() (two performance.now() calls per event) or, for one
 * that applies a batch at once, in its applyAll() (two per batch), and to time its deferred indexes.
 */
function timed(projection: Projection, spent: Map<string, number>, indexing: Map<string, number>): Projection {
  spent.set(projection.name, 0);
  return {
    name: projection.name,
    version: projection.version,
    setup: (tables) => projection.setup(tables),
    ...(projection.indexes && {
      indexes: (tables) => {
        const t0 = performance.now();
        projection.indexes?.(tables);
        indexing.set(projection.name, performance.now() - t0);
      },
    }),
    apply: (tables, event) => {
      const t0 = performance.now();
      try {
        projection.apply(tables, event);
      } finally {
        spent.set(projection.name, (spent.get(projection.name) as number) + performance.now() - t0);
      }
    },
    ...(projection.applyAll && {
      applyAll: (tables, events) => {
        const t0 = performance.now();
        try {
          projection.applyAll?.(tables, events);
        } finally {
          spent.set(projection.name, (spent.get(projection.name) as number) + performance.now() - t0);
        }
      },
    }),
  };
}

/** Builds `projections` from the start of the log into a fresh read-model file; resolves when all are active and caught up. */
async function rebuild(store: SqliteEventStore, readModelFile: string, projections: readonly Projection[], timeApply: boolean, sideBuild?: SideBuild): Promise<RebuildResult> {
  const db = openReadModelDatabase(readModelFile);
  const spent = new Map<string, number>();
  const indexing = new Map<string, number>();
  // As the ledger's projections thread rebuilds (a thread that answers no requests: MAX_BATCH_ON_OWN_THREAD).
  const runner = new ProjectionRunner(store, db, timeApply ? projections.map((p) => timed(p, spent, indexing)) : projections, {
    maxBatch: MAX_BATCH_ON_OWN_THREAD,
    checkpointsOnThread: true,
    ...(sideBuild && { sideBuild }),
  });
  const last = await store.lastPosition();
  const started = performance.now();
  runner.start();
  // A projection that stopped on an error would never catch up: its error ends the wait. (The catch-up runs on
  // microtasks without yielding to timers, so this looks only when the others are done or waiting for events.)
  let watch: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    watch = setInterval(() => {
      void runner.status().then((statuses) => {
        const error = statuses.find((s) => s.error);
        if (error) reject(new Error(`projection ${error.name}: ${error.error}`));
      });
    }, 1000);
  });
  failed.catch(() => undefined); // a failure after the wait is reported by the race or not at all, never as unhandled
  try {
    await Promise.race([failed, Promise.all(projections.map(async (p) => {
      if (!(await runner.waitFor(p.name, last, 3_600_000))) throw new Error(`${p.name} did not catch up within an hour`);
    }))]);
  } finally {
    clearInterval(watch);
  }
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  const applySeconds = new Map([...spent].map(([name, t]) => [name, t / 1000]));
  const indexSeconds = new Map([...indexing].map(([name, t]) => [name, t / 1000]));
  return { seconds, applySeconds, indexSeconds, runner, close: () => db.close() };
}

// ---------------------------------------------------------------------------------------------------------------
// Section 2: history query latency, beside reading the subject's stream.

interface Percentiles { readonly p50: number; readonly p95: number; readonly p99: number }

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

const pText = (p: Percentiles) => `p50 ${ms(p.p50)} / p95 ${ms(p.p95)} / p99 ${ms(p.p99)} ms`;

async function latencies(count: number, run: (i: number) => unknown): Promise<Percentiles> {
  for (let i = 0; i < Math.min(200, count); i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await run(i);
    samples.push(performance.now() - t0);
  }
  return percentiles(samples);
}

async function historyLatency(store: SqliteEventStore, runner: ProjectionRunner, subjectId: string, emit: (line: string) => void): Promise<void> {
  const tables = runner.tables(SUBJECT_HISTORY);
  const first = subjectHistoryPage(tables, subjectId, {}, null, 100);
  if (first.items.length !== 100) throw new Error(`the hot subject's first page holds ${first.items.length} entries`);
  // The cursors of pages 2..10 (the subject has 1,000 entries).
  const cursors: string[] = [];
  for (let cursor = first.nextCursor; cursor !== null && cursors.length < 9;) {
    cursors.push(cursor);
    cursor = subjectHistoryPage(tables, subjectId, {}, cursor, 100).nextCursor;
  }
  const next = rng(3);
  const operations = OPERATION_WEIGHTS.map(([operation]) => operation);
  const randomFilter = (): SubjectHistoryFilter => {
    const kind = Math.floor(next() * 3);
    if (kind === 0) return { operation: operations[Math.floor(next() * operations.length)] as string };
    if (kind === 1) return { category: 1 + Math.floor(next() * 30) };
    const from = YEAR_START + Math.floor(next() * 300) * DAY;
    return { from: new Date(from).toISOString(), to: new Date(from + 30 * DAY).toISOString() };
  };
  const streamId = subjectStreamId(subjectId);
  const stream = await store.readStream(streamId);
  if (stream.length !== HOT_EVENTS) throw new Error(`the hot subject's stream holds ${stream.length} events`);

  const ceiling = await latencies(QUERIES, () => store.readStream(streamId));
  const cases: Array<[string, (i: number) => unknown]> = [
    ['first page (limit 100)', () => subjectHistoryPage(tables, subjectId, {}, null, 100)],
    ['random filter: operation, category or 30-day period (limit 100)', () => subjectHistoryPage(tables, subjectId, randomFilter(), null, 100)],
    ['a later page via cursor (pages 2-10, limit 100)', () => subjectHistoryPage(tables, subjectId, {}, cursors[Math.floor(next() * cursors.length)] ?? null, 100)],
  ];
  for (const [what, run] of cases) {
    const p = await latencies(QUERIES, run);
    emit(line(`history query of the subject with 1,000 events, ${what}, ${fmt(QUERIES)} queries`, pText(p),
      `store.readStream of its 1,000 events: ${pText(ceiling)}`, pct(p.p99, ceiling.p99), 'p99 < 10 ms', p.p99 < 10));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Section 3: live projection lag while the server ingests at a fixed rate.

interface HealthSample { readonly at: number; readonly lag: number; readonly worst: string }

async function sampleHealth(url: string): Promise<HealthSample | null> {
  try {
    const res = await fetch(`${url}/health`);
    const body = (await res.json()) as { projections: Array<{ name: string; lag: number }> };
    let lag = 0;
    let worst = '';
    for (const p of body.projections) if (p.lag > lag) [lag, worst] = [p.lag, p.name];
    return { at: performance.now(), lag, worst };
  } catch {
    return null;
  }
}

async function ingestAtRate(url: string, authorization: string, rate: number, batchSize: number, seconds: number, run: number) {
  const iins = employeeIins(EMPLOYEES);
  const next = rng(run);
  const occurredAt = new Date(Date.now() - 3600_000).toISOString();
  const body = () => {
    const parts: string[] = [];
    for (let i = 0; i < batchSize; i++) parts.push(recordJson(run, iins, next, occurredAt));
    return `{"records":[${parts.join(',')}]}`;
  };
  const requestsPerSecond = rate / batchSize;
  // overallRate paces requests across all connections; enough of them that answers twice as slow as an idle
  // server's p99 (~160 ms) still hold the pace.
  const options = {
    url: `${url}/v1/processing-records/batch`,
    connections: Math.max(8, Math.ceil(requestsPerSecond * 0.32)),
    overallRate: requestsPerSecond,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    requests: [{ method: 'POST', setupRequest: (req: Record<string, unknown>) => ({ ...req, body: body() }) }],
  };
  const result = await autocannon(options);
  return {
    recordsPerSecond: (result['2xx'] * batchSize) / seconds,
    non2xx: result.non2xx + result.errors + result.timeouts,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
  };
}

interface PacedRun {
  readonly ingest: Awaited<ReturnType<typeof ingestAtRate>>;
  readonly samples: readonly HealthSample[];
  /** The lag 1 s after the ingest stopped. */
  readonly after: HealthSample | null;
  /** The server's memory idle after start, and at the end (its peak over the whole run). */
  readonly memory: { readonly idle: ResidentMemory | null; readonly end: ResidentMemory | null };
}

const BATCH_SIZE = 100;

/**
 * Starts the built server on an empty data directory with projections on or off, after `sync` (so that it does not
 * pay for writing back the files of the sections before: a 1,000,000-event ledger and its read models), warms it up
 * for 2 s at the rate, then ingests at the rate for LAG_SECONDS while sampling /health every 100 ms (a sample is sent
 * on every tick, also while the previous one is unanswered, so that a busy server shows as fewer answers, not as a
 * slower clock).
 */
async function pacedIngest(root: string, dataDir: string, projections: 'on' | 'off', run: number): Promise<PacedRun> {
  execFileSync('sync');
  const server = await startServer(root, dataDir, { DERBES_PROJECTIONS: projections });
  const idle = residentMemory(server.pid);
  try {
    await ingestAtRate(server.url, server.authorization, LAG_RATE, BATCH_SIZE, 2, run);
    await new Promise((r) => setTimeout(r, 1000));
    const samples: HealthSample[] = [];
    const pending: Array<Promise<void>> = [];
    const url = server.url;
    const ticker = setInterval(() => {
      pending.push(sampleHealth(url).then((sample) => {
        if (sample) samples.push(sample);
      }));
    }, 100);
    let ingest;
    try {
      ingest = await ingestAtRate(server.url, server.authorization, LAG_RATE, BATCH_SIZE, LAG_SECONDS, run + 1);
    } finally {
      clearInterval(ticker);
    }
    const stoppedAt = performance.now();
    await Promise.all(pending);
    await new Promise((r) => setTimeout(r, Math.max(0, stoppedAt + 1000 - performance.now())));
    return { ingest, samples, after: await sampleHealth(server.url), memory: { idle, end: residentMemory(server.pid) } };
  } finally {
    await server.stop();
  }
}

async function liveLag(root: string, dir: string, emit: (line: string) => void): Promise<void> {
  // The ceiling: the same paced ingest into a server that keeps no read models.
  const bare = await pacedIngest(root, join(dir, 'lag-off'), 'off', 5);
  rmSync(join(dir, 'lag-off'), { recursive: true, force: true });
  const live = await pacedIngest(root, join(dir, 'lag-on'), 'on', 7);
  rmSync(join(dir, 'lag-on'), { recursive: true, force: true });
  const { ingest, samples, after } = live;
  let max: HealthSample = { at: 0, lag: 0, worst: '' };
  for (const s of samples) if (s.lag > max.lag) max = s;
  const sustained = ingest.recordsPerSecond >= 0.98 * LAG_RATE && ingest.non2xx === 0;
  // Lag in seconds at the rate the server actually took, when it did not take the asked one.
  const rate = sustained ? LAG_RATE : Math.max(1, ingest.recordsPerSecond);
  const took = (r: PacedRun['ingest']) => `${fmt(r.recordsPerSecond)} records/s acknowledged (p50 ${r.latencyP50} ms, p99 ${r.latencyP99} ms, non-2xx ${r.non2xx})`;
  emit(line(`live lag, asked ${fmt(LAG_RATE)} records/s as batches of ${BATCH_SIZE} at ${fmt(LAG_RATE / BATCH_SIZE)} requests/s ` +
    `(autocannon overallRate) for ${LAG_SECONDS} s: ${took(ingest)}; maximum over ${samples.length} /health answers (ticks every 100 ms; ` +
    `furthest behind: ${max.worst || '-'})`,
  `${fmt(max.lag)} events = ${(max.lag / rate).toFixed(2)} s`,
  `the same ingest with projections off: ${took(bare.ingest)}`, `${pct(ingest.recordsPerSecond, bare.ingest.recordsPerSecond)} of its ingest`,
  `lag < 1 s at ${fmt(LAG_RATE)}/s`, sustained && max.lag / rate < 1));
  emit(line('live lag 1 s after that ingest stopped', after ? `${fmt(after.lag)} events` : 'no answer', '', '', '', null));
  emit(memoryRow('memory of the server keeping the read models over that paced ingest (warm-up included)', live.memory.idle, live.memory.end, 'the same server idle after start'));
  emit(memoryRow('memory of the server with projections off over the same paced ingest', bare.memory.idle, bare.memory.end, 'the same server idle after start'));
}

// ---------------------------------------------------------------------------------------------------------------

export async function projectionBenchmarks(options: ProjectionBenchOptions): Promise<void> {
  const { emit } = options;
  const dir = mkdtempSync(join(options.work, 'projections-'));
  try {
    if (SECTIONS.has('rebuild') || SECTIONS.has('report')) await rebuildAndQuery(dir, options);
    if (SECTIONS.has('lag')) await liveLag(options.root, dir, emit);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function rebuildAndQuery(dir: string, options: ProjectionBenchOptions): Promise<void> {
  const { emit } = options;
  const storeFile = join(dir, 'ledger.sqlite');
  const generated = await generateLedger(storeFile, EVENTS);
  emit(line(`ledger generated: ${fmt(EVENTS)} events (${fmt(EMPLOYEES)} employees, one subject with ${fmt(HOT_EVENTS)}; ` +
    `${pct(generated.flagged, EVENTS)} flagged) in ${generated.seconds.toFixed(1)} s: decide, hash, appendMany of ${fmt(BATCH)}`,
  fmt(EVENTS / generated.seconds), options.raw1000 === undefined ? '' : `raw 1000 rows/tx: ${fmt(options.raw1000)}`,
  options.raw1000 === undefined ? '' : pct(EVENTS / generated.seconds, options.raw1000), '', null));

  const store = SqliteEventStore.open(storeFile);
  try {
    if (SECTIONS.has('report')) await reportLatency(store, generated.hotSubjectId, fmt(EVENTS), line, emit);
    if (!SECTIONS.has('rebuild')) return;
    const rawRead = await rawReadRate(store);
    const ceiling = `raw read of the log (store.readAll, pages of 1,000, JSON parsed): ${fmt(rawRead)}`;
    const config = loadConfig({ DERBES_DATA_DIR: dir });
    const all = ledgerProjections(new RegisterCatalog(BUILT_IN_REGISTERS, { utcOffsetMinutes: config.utcOffsetMinutes }), config);

    // As the ledger builds them from scratch: some on a second thread (threadSideBuild), copied in once built.
    const allFile = join(dir, 'read-models-all.sqlite');
    const sideBuild = threadSideBuild({ eventStore: storeFile, readModels: allFile, registersFile: null, owner: config.owner, utcOffsetMinutes: config.utcOffsetMinutes });
    const measured = await measuredPeak(() => rebuild(store, allFile, all, true, sideBuild));
    const six = measured.result;
    try {
      const rate = EVENTS / six.seconds;
      emit(line(`rebuild of all ${all.length} projections from ${fmt(EVENTS)} events into a fresh read-model file, until all active and caught up (${six.seconds.toFixed(1)} s)`,
        fmt(rate), ceiling, pct(rate, rawRead), '>= 30,000/s', rate >= 30_000));
      emit(memoryRow(`memory of that rebuild (in the bench's process; the read models' SQLite page cache included)`, measured.before, measured.after, 'the process before the rebuild'));
      // The six follow the log side by side on one thread, so they finish together; where the time went says more.
      const applied = [...six.applySeconds].sort((a, b) => b[1] - a[1]);
      const inside = applied.reduce((sum, [, s]) => sum + s, 0);
      const indexed = [...six.indexSeconds].sort((a, b) => b[1] - a[1]);
      const indexing = indexed.reduce((sum, [, s]) => sum + s, 0);
      console.log(`\n  time inside each projection's apply() (timed per event, ~0.1 µs of it the timing) or applyAll() (timed per batch): ` +
        applied.map(([name, s]) => `${name} ${s.toFixed(1)} s (${((1e6 * s) / EVENTS).toFixed(1)} µs/event)`).join(', ') +
        `;\n  creating deferred indexes before the swap: ` +
        (indexed.length === 0 ? 'none' : indexed.map(([name, s]) => `${name} ${s.toFixed(2)} s`).join(', ')) +
        `;\n  outside both, ${(six.seconds - inside - indexing).toFixed(1)} s of the ${six.seconds.toFixed(1)} s: reading the log ` +
        `(once, shared by all), the runner, commits and WAL checkpoints of the read-model file, and copying in what was built aside` +
        `;\n  built on a second thread meanwhile, not timed above but for the events that came after it stopped: ${[...sideBuild.names].join(', ')}\n`);

      const alone = await rebuild(store, join(dir, 'read-models-history.sqlite'), [subjectHistoryProjection], false);
      alone.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `read-models-history.sqlite${suffix}`), { force: true });
      const aloneRate = EVENTS / alone.seconds;
      emit(line(`rebuild of subject-history alone (${alone.seconds.toFixed(1)} s)`, fmt(aloneRate), ceiling, pct(aloneRate, rawRead), '', null));

      await historyLatency(store, six.runner, generated.hotSubjectId, emit);
    } finally {
      six.close();
    }
  } finally {
    await store.close();
    for (const f of ['ledger.sqlite', 'read-models-all.sqlite']) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, f + suffix), { force: true });
    }
  }
}

if (require.main === module) runStandalone('projections', 'per second', projectionBenchmarks);
