import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { Clock } from '../../apps/ledger/src/clock';
import { loadConfig, type LedgerConfig } from '../../apps/ledger/src/config/ledger-config';
import { createApp } from '../../apps/ledger/src/http/create-app';

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

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly server: ReturnType<NestFastifyApplication['getHttpServer']>;
  readonly store: EventStore;
  readonly clock: FixedClock;
  readonly config: LedgerConfig;
  close(): Promise<void>;
}

/** The real application on an in-memory (or given) SQLite store, with a fixed pseudonym key and clock. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'derbes-test-'));
  const config = loadConfig({
    DERBES_DATA_DIR: dataDir,
    DERBES_EVENT_STORE: ':memory:',
    DERBES_PSEUDONYM_KEY: TEST_KEY_HEX,
    DERBES_LOG_LEVEL: 'error',
    ...env,
  });
  const clock = new FixedClock(new Date('2026-11-25T12:00:00Z'));
  const app = await createApp(config, clock);
  return {
    app,
    server: app.getHttpServer(),
    store: app.get<EventStore>(EVENT_STORE),
    clock,
    config,
    close: () => app.close(),
  };
}

let counter = 0;
/** A fresh version-4-shaped UUID for each call. */
export function uuid(): string {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  return `4f7c0c1e-8a59-4d7e-9d0e-${hex}`;
}

/** Who reads a subject's file in the tests, and why: every per-subject read is recorded in the subject's stream. */
export const READER = {
  'x-actor-id': 'hr-director',
  'x-actor-role': 'responsible-official',
  'x-actor-unit': 'personnel-management',
  'x-purpose': 'OVERSIGHT',
};

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
