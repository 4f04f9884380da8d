import { execFileSync } from 'node:child_process';

/**
 * Where the tests find an EventStoreDB, decided once per test file:
 * - DERBES_EVENTSTORE_URL (e.g. `esdb://localhost:2113?tls=false`): a server already running, shared by every test;
 * - else, when a docker engine is reachable, containers of the official image started by testcontainers;
 * - else none, and the tests that need one are skipped with one printed line saying why and how to run them, or fail
 *   instead when DERBES_REQUIRE_EVENTSTORE=1 (a CI system that has docker).
 */
export type EventStoreTarget =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'docker' }
  | { readonly kind: 'none'; readonly reason: string };

export const EVENTSTORE_IMAGE = 'eventstore/eventstore:24.10';
const NO_RUNTIME = 'Could not find a working container runtime strategy';
const HOW = 'set DERBES_EVENTSTORE_URL=esdb://localhost:2113?tls=false (a running server) or run where a docker engine is reachable';

let decided: EventStoreTarget | undefined;

/** The target of this test file (see above). Synchronous, so that a describe block can be declared or skipped with it. */
export function eventStoreTarget(): EventStoreTarget {
  decided ??= decide();
  return decided;
}

function decide(): EventStoreTarget {
  const url = process.env.DERBES_EVENTSTORE_URL;
  if (url !== undefined && url !== '') return { kind: 'url', url };
  const runtime = dockerRuntime();
  if (runtime === 'reachable') return { kind: 'docker' };
  return { kind: 'none', reason: `no EventStoreDB: DERBES_EVENTSTORE_URL is not set and no docker engine is reachable (testcontainers: ${runtime})` };
}

/**
 * Asks testcontainers itself whether it finds a container runtime, in a child process: its answer is asynchronous,
 * and a test file's blocks are declared synchronously. Any failure other than "no runtime" is thrown: an engine that
 * is there but misbehaves must be seen, not skipped over.
 */
function dockerRuntime(): 'reachable' | string {
  const probe = `require('testcontainers').getContainerRuntimeClient()
    .then(() => console.log('reachable'), (e) => console.log('error: ' + String(e && e.message).split('\\n')[0]));`;
  const answer = execFileSync(process.execPath, ['-e', probe], { cwd: __dirname, encoding: 'utf8', timeout: 60_000 }).trim();
  if (answer === 'reachable') return answer;
  if (answer.includes(NO_RUNTIME)) return NO_RUNTIME;
  throw new Error(`testcontainers could not tell whether a docker engine is reachable: ${answer}`);
}

/** An EventStoreDB to connect to, and how to be done with it. */
export interface RunningEventStore {
  readonly url: string;
  /** Stops the container this started; nothing for a server given by DERBES_EVENTSTORE_URL. */
  stop(): Promise<void>;
}

/**
 * An EventStoreDB for a test: the server of DERBES_EVENTSTORE_URL, or a new single insecure in-memory node in a
 * container. Throws the reason when there is none.
 */
export async function startEventStore(): Promise<RunningEventStore> {
  const target = eventStoreTarget();
  if (target.kind === 'url') return { url: target.url, stop: async () => undefined };
  if (target.kind === 'none') throw new Error(`${target.reason}; ${HOW}`);
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(EVENTSTORE_IMAGE)
    .withEnvironment({ EVENTSTORE_CLUSTER_SIZE: '1', EVENTSTORE_INSECURE: 'true', EVENTSTORE_MEM_DB: 'true', EVENTSTORE_RUN_PROJECTIONS: 'None' })
    .withExposedPorts(2113)
    .withStartupTimeout(120_000)
    .withWaitStrategy(Wait.forHealthCheck())
    .start();
  return {
    url: `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`,
    stop: async () => { await container.stop(); },
  };
}

/** The running EventStoreDB of a describeWithEventStore block, once its beforeAll has started it. */
export interface EventStoreServer {
  url(): string;
}

/**
 * Declares `body` under `name` against an EventStoreDB started (or found) before its tests and stopped after them.
 * Without one, the block is skipped after ONE printed line naming the reason and how to run it; with
 * DERBES_REQUIRE_EVENTSTORE=1 it fails instead.
 */
export function describeWithEventStore(name: string, body: (server: EventStoreServer) => void): void {
  const target = eventStoreTarget();
  let running: RunningEventStore | undefined;
  const server: EventStoreServer = {
    url: () => {
      if (!running) throw new Error(`${name}: no EventStoreDB is running`);
      return running.url;
    },
  };
  if (target.kind === 'none') {
    if (process.env.DERBES_REQUIRE_EVENTSTORE === '1') {
      describe(name, () => {
        it('has an EventStoreDB to run against (DERBES_REQUIRE_EVENTSTORE=1)', () => { throw new Error(`${target.reason}; ${HOW}`); });
      });
      return;
    }
    process.stdout.write(`[skipped] ${name}: ${target.reason}; to run it, ${HOW}; DERBES_REQUIRE_EVENTSTORE=1 fails instead of skipping\n`);
    describe.skip(name, () => body(server));
    return;
  }
  describe(name, () => {
    beforeAll(async () => { running = await startEventStore(); }, 180_000);
    afterAll(async () => { await running?.stop(); });
    body(server);
  });
}
