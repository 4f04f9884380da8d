import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@derbes/event-store';
import { SubjectPseudonymizer, localDate } from '@derbes/ledger';
import { ProjectionRunner } from '@derbes/projections';
import { RegisterCatalog } from '@derbes/register';
import { ApiKeys, type NewApiKey } from '../../apps/ledger/src/auth/api-keys';
import type { Role } from '../../apps/ledger/src/auth/roles';
import { Clock } from '../../apps/ledger/src/clock';
import { loadConfig, type LedgerConfig } from '../../apps/ledger/src/config/ledger-config';
import { createApp } from '../../apps/ledger/src/http/create-app';
import { normalizeRecord } from '../../apps/ledger/src/processing-records/normalize-record';
import type { ProcessingRecordDto } from '../../apps/ledger/src/processing-records/processing-record.dto';
import { ProcessingRecorder } from '../../apps/ledger/src/processing-records/processing-recorder';
import { startEventStore, type RunningEventStore } from './eventstore-target';

/** A clock the test moves by hand. */
export class FixedClock extends Clock {
  constructor(public at: Date) {
    super();
  }
  override now(): Date {
    return new Date(this.at);
  }
}

export const TEST_KEY_HEX = 'ab'.repeat(32);

type Server = ReturnType<NestFastifyApplication['getHttpServer']>;
type Method = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete';
/** A supertest client whose every request carries an API key. */
export type Client = Record<Method, (path: string) => request.Test>;

/** The keys every test app has: who they name is what reads and writes are recorded as. */
export const TEST_KEYS = {
  official: { name: 'hr-director', role: 'official', unit: 'personnel-management', system: null, grants: [] },
  auditor: { name: 'auditor-1', role: 'auditor', unit: 'internal-audit', system: null, grants: [] },
  auditorWithGrant: { name: 'auditor-2', role: 'auditor', unit: 'internal-audit', system: null, grants: ['subject-data'] },
  admin: { name: 'ops', role: 'admin', unit: 'it', system: null, grants: [] },
} satisfies Record<string, NewApiKey & { role: Role }>;
/** Systems with an emitter key in every test app. */
export const TEST_SYSTEMS = ['hr-portal', 'erp', 'payroll'] as const;

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly server: Server;
  readonly store: EventStore;
  readonly clock: FixedClock;
  readonly config: LedgerConfig;
  /** Bearer tokens by TEST_KEYS name, and `emitter:<system>`. */
  readonly tokens: Readonly<Record<string, string>>;
  /**
   * A client that sends each request with the key a real deployment would use: records with the emitter key of the
   * record's system (hr-portal when it names none the test app knows), everything else as the official.
   */
  readonly http: Client;
  /**
   * Records a plan of records from several systems as each system would report them: consecutive records of one
   * system as one batch with that system's emitter key, in plan order. Returns the results in plan order.
   */
  recordAll(records: readonly Record<string, unknown>[]): Promise<{ results: { subjectId: string; position: number; recordId: string; status: string }[] }>;
  /** A client with one named key (`official`, `auditor`, `admin`, `emitter:payroll`...). */
  as(key: string): Client;
  /** The log position when the test began: the keys' administrative events come before it. */
  readonly base: number;
  /** How many events the test itself has written (the log's last position less `base`). */
  written(): Promise<number>;
  /** The events the test itself has written, in log order. */
  writtenEvents(): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

const METHODS: readonly Method[] = ['get', 'head', 'post', 'put', 'patch', 'delete'];

function client(server: Server, tokenFor: (method: Method, path: string) => string | undefined, emitterFor?: (body: unknown) => string | undefined): Client {
  const make = (method: Method) => (path: string) => {
    const test = request(server)[method](path);
    const token = tokenFor(method, path);
    if (token) void test.set('authorization', `Bearer ${token}`);
    if (emitterFor && method === 'post' && path.startsWith('/v1/processing-records')) {
      const send = test.send.bind(test);
      test.send = ((body: unknown) => {
        const emitter = emitterFor(body);
        if (emitter) void test.set('authorization', `Bearer ${emitter}`);
        return send(body as never);
      }) as typeof test.send;
    }
    return test;
  };
  return Object.fromEntries(METHODS.map((m) => [m, make(m)])) as Client;
}

function systemOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { system?: unknown; records?: unknown };
  if (typeof b.system === 'string') return b.system;
  if (Array.isArray(b.records) && typeof b.records[0] === 'object' && b.records[0] !== null) {
    const first = (b.records[0] as { system?: unknown }).system;
    return typeof first === 'string' ? first : undefined;
  }
  return undefined;
}

/**
 * The store of the test apps that do not name one. DERBES_TEST_EVENT_STORE=esdb: EventStoreDB, as
 * eventstore-target.ts finds it (a new container per app where a docker engine is reachable, so that each app has a
 * ledger of its own; else the server of DERBES_EVENTSTORE_URL, which every app then shares, so a fresh server is
 * needed and suites that count a subject's events may see another test's). Unset: SQLite in memory. Apps given a
 * store file keep it: their tests are about files (restarts, backups, tampering with SQL).
 */
async function defaultStore(): Promise<RunningEventStore | undefined> {
  const mode = process.env.DERBES_TEST_EVENT_STORE ?? '';
  if (mode === '') return undefined;
  if (mode !== 'esdb') throw new Error(`DERBES_TEST_EVENT_STORE: "${mode}" is not a store the tests run on: esdb, or unset for SQLite`);
  return startEventStore().catch((error: unknown) => {
    throw new Error(`DERBES_TEST_EVENT_STORE=esdb: ${(error as Error).message}`, { cause: error });
  });
}

/** The real application on an in-memory (or given) SQLite store, or EventStoreDB (see defaultStore), with a fixed pseudonym key and clock. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'derbes-test-'));
  const esdb = env.DERBES_EVENT_STORE === undefined ? await defaultStore() : undefined;
  const config = loadConfig({
    DERBES_DATA_DIR: dataDir,
    DERBES_EVENT_STORE: esdb?.url ?? ':memory:',
    DERBES_PSEUDONYM_KEY: TEST_KEY_HEX,
    DERBES_LOG_LEVEL: 'error',
    ...env,
  });
  const clock = new FixedClock(new Date('2026-11-25T12:00:00Z'));
  const app = await createApp(config, clock).catch(async (error: unknown) => {
    await esdb?.stop();
    throw error;
  });
  const store = app.get<EventStore>(EVENT_STORE);
  const keys = app.get(ApiKeys);
  const tokens: Record<string, string> = {};
  // A store that already has them (a restart on the same file) keeps its keys; new ones are added beside them.
  for (const [name, key] of Object.entries(TEST_KEYS)) tokens[name] = (await keys.create(key, 'test')).token;
  for (const system of TEST_SYSTEMS) {
    tokens[`emitter:${system}`] = (await keys.create({ name: `${system}-service`, role: 'emitter', unit: system, system, grants: [] }, 'test')).token;
  }
  if (config.runProjections) await projectionsBuilt(app.get(ProjectionRunner));
  const server = app.getHttpServer();
  const base = await store.lastPosition();
  const routed = (method: Method, path: string) =>
    method === 'post' && path.startsWith('/v1/processing-records') ? tokens['emitter:hr-portal'] : tokens.official;
  return {
    app,
    server,
    store,
    clock,
    config,
    tokens,
    http: client(server, routed, (body) => tokens[`emitter:${systemOf(body)}`]),
    as: (key: string) => {
      const token = tokens[key];
      if (!token) throw new Error(`no test key ${key}`);
      return client(server, () => token);
    },
    recordAll: async (records) => {
      const results: { subjectId: string; position: number; recordId: string; status: string }[] = [];
      for (let i = 0; i < records.length;) {
        const system = systemOf(records[i]);
        let j = i;
        while (j < records.length && systemOf(records[j]) === system) j++;
        const token = tokens[`emitter:${system}`] ?? tokens['emitter:hr-portal'];
        const res = await request(server).post('/v1/processing-records/batch').set('authorization', `Bearer ${token}`).send({ records: records.slice(i, j) });
        if (res.status !== 201 && res.status !== 200) throw new Error(`recording records ${i}-${j - 1} answered ${res.status}: ${JSON.stringify(res.body)}`);
        results.push(...res.body.results);
        i = j;
      }
      return { results };
    },
    base,
    written: async () => (await store.lastPosition()) - base,
    writtenEvents: () => store.readAll({ after: base }),
    close: async () => {
      await app.close();
      await esdb?.stop();
    },
  };
}

let counter = 0;
/** A fresh version-4-shaped UUID for each call. */
export function uuid(): string {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  return `4f7c0c1e-8a59-4d7e-9d0e-${hex}`;
}

/** Why a subject's file is read in the tests (the reader is the key's holder): every such read is recorded. */
export const READER = { 'x-purpose': 'OVERSIGHT' };

export const IIN = '791028302728';
export const OTHER_IIN = '061211600012';

/** The wire example of the issue, with a fresh recordId. */
export function aRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    recordId: uuid(),
    operation: 'collect',
    subject: { iin: IIN },
    categories: [1, 2, 28],
    purpose: 'P01',
    actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' },
    system: 'hr-portal',
    occurredAt: '2026-11-20T09:30:00Z',
    source: { kind: 'subject' },
    note: 'competition file',
    ...overrides,
  };
}

/**
 * Stores a record past the API's checks of its recordId, as a ledger did before ids of version 8 (the ledger's own)
 * were refused: for tests of what the ledger does when such a record holds an id it derives for its own event. So too
 * for the other rules a ledger has taken on since (the DTO's rules of codes and names, an embargo's length).
 */
export async function recordPastTheApi(t: TestApp, overrides: Record<string, unknown>): Promise<void> {
  const now = t.clock.now();
  const command = normalizeRecord(aRecord(overrides) as unknown as ProcessingRecordDto, {
    catalog: t.app.get(RegisterCatalog), owner: t.config.owner, pseudonymizer: t.app.get(SubjectPseudonymizer),
    now, today: localDate(now, t.config.utcOffsetMinutes), clockSkewSeconds: t.config.clockSkewSeconds,
    // Any embargo, as ledgers took before its length was limited.
    utcOffsetMinutes: t.config.utcOffsetMinutes, embargoMaxDays: Number.MAX_SAFE_INTEGER,
  });
  if (Array.isArray(command)) throw new Error(`not a valid record: ${JSON.stringify(command)}`);
  await t.app.get(ProcessingRecorder).record([command], 'test', false);
}

/**
 * Waits until every read model has a first generation: on a file store they are built on a thread of their own,
 * which takes a moment to start, and a test's first read would otherwise meet 503 projection_building.
 */
async function projectionsBuilt(runner: ProjectionRunner): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if ((await runner.status()).every((s) => s.active !== null)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the read models were not built within 30 s of start-up');
}
