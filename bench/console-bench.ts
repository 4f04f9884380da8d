/**
 * Issue 8: the server time of each console page on the generated ledger (BENCH_EVENTS, default 1,000,000), beside
 * the API's JSON answer for the same data measured in the same run. Both through Fastify's inject in this process:
 * routing, the session or key check, the queries, rendering; no network. Target: every page p50 < 200 ms.
 *
 * Environment: BENCH_EVENTS, BENCH_CONSOLE_RUNS (timed requests per page, default 30).
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { ProjectionRunner } from '@derbes/projections';
import { ApiKeys } from '../apps/ledger/src/auth/api-keys';
import { Clock } from '../apps/ledger/src/clock';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';
import { OVERVIEW_TTL_MS, OverviewFigures } from '../apps/ledger/src/console/pages/overview-figures';
import { createApp } from '../apps/ledger/src/http/create-app';
import { generateLedger } from './projections-bench';
import { runStandalone } from './standalone';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_CONSOLE_RUNS ?? 30);
/** The generated ledger's pseudonym key (projections-bench.ts). */
const PSEUDONYM_KEY = 'cd'.repeat(32);
const PASSWORD = 'bench console password';

/** The generated year ends on 20 November 2026: "the last 90 days" then cover its last quarter. */
class BenchClock extends Clock {
  override now(): Date {
    return new Date('2026-11-20T12:00:00Z');
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

interface Percentiles { readonly p50: number; readonly p95: number }

async function timed(app: NestFastifyApplication, url: string, headers: Record<string, string>): Promise<Percentiles> {
  return timings(async () => {
    const answer = await app.inject({ method: 'GET', url, headers });
    if (answer.statusCode !== 200) throw new Error(`${url} answered ${answer.statusCode}: ${answer.body.slice(0, 300)}`);
  });
}

async function timings(once: () => Promise<unknown>): Promise<Percentiles> {
  for (let i = 0; i < 3; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await once();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (p: number) => samples[Math.min(samples.length - 1, Math.ceil(p * samples.length) - 1)] as number;
  return { p50: at(0.5), p95: at(0.95) };
}

async function readModelsCaughtUp(app: NestFastifyApplication): Promise<void> {
  const runner = app.get(ProjectionRunner);
  const last = await app.get<EventStore>(EVENT_STORE).lastPosition();
  for (;;) {
    const status = await runner.status();
    if (status.every((s) => s.active !== null && s.active.position >= last)) return;
    const stopped = status.find((s) => s.error !== null);
    if (stopped) throw new Error(`the ${stopped.name} read model stopped: ${stopped.error}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Signs in through the form as a browser does; returns the session cookie. */
async function signIn(app: NestFastifyApplication, name: string): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/console/sign-in' });
  const cookie = String([form.headers['set-cookie']].flat()[0]).split(';')[0] as string;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] as string;
  const answer = await app.inject({
    method: 'POST', url: '/console/sign-in', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, name, password: PASSWORD, next: '/console/overview' }).toString(),
  });
  if (answer.statusCode !== 303) throw new Error(`sign-in answered ${answer.statusCode}`);
  return String([answer.headers['set-cookie']].flat()[0]).split(';')[0] as string;
}

export async function consoleBenchmarks(options: { work: string; emit: (line: string) => void }): Promise<void> {
  const dir = mkdtempSync(join(options.work, 'console-'));
  try {
    const storeFile = join(dir, 'events.db');
    const generated = await generateLedger(storeFile, EVENTS);
    const config = loadConfig({
      DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: storeFile, DERBES_PSEUDONYM_KEY: PSEUDONYM_KEY, DERBES_LOG_LEVEL: 'error', DERBES_TREE_HEAD_INTERVAL: 'off',
    });
    const started = performance.now();
    const app = await createApp(config, new BenchClock());
    try {
      await readModelsCaughtUp(app);
      console.log(`  console bench: ${fmt(EVENTS)} events, read models built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const keys = app.get(ApiKeys);
      const { token, key } = await keys.create({ name: 'bench-official', role: 'official', unit: 'personnel-management', system: null, grants: [] }, 'bench');
      await keys.setPassword(key.keyId, PASSWORD, 'bench');
      const cookie = await signIn(app, 'bench-official');
      const api = { authorization: `Bearer ${token}`, 'x-purpose': 'OVERSIGHT' };
      const hot = generated.hotSubjectId;
      const quarter = 'from=2026-08-23&to=2026-11-20';
      const month = 'from=2026-10-22&to=2026-11-20';
      const pages: readonly [string, string, string, string][] = [
        ['overview (its aggregates already made)', '/console/overview', `/v1/reports/summary?${quarter}&groupBy=day,operation`, 'summary by day and operation, 90 days'],
        ['timeline of the subject with 1,000 events', `/console/subjects/${hot}/timeline?purpose=OVERSIGHT`, `/v1/subjects/${hot}/history?limit=50`, 'history, 50 entries'],
        ['data held by that subject', `/console/subjects/${hot}/inventory?purpose=OVERSIGHT`, `/v1/subjects/${hot}/inventory`, 'inventory'],
        ['requests', '/console/requests', '/v1/subject-requests', 'request queue'],
        ['violations', '/console/violations', '/v1/reports/violations?limit=50', 'violations, 50'],
        ['actor activity, 30 days', `/console/activity?${month}`, `/v1/reports/actor-activity?${month}`, 'actor activity, 30 days'],
        ['transfers, 90 days', `/console/transfers?${quarter}`, `/v1/reports/transfers?${quarter}&limit=50`, 'transfers, 50'],
        ['summary by category, 30 days', `/console/summary?${month}&groupBy=category`, `/v1/reports/summary?${month}&groupBy=category`, 'summary by category'],
        ['integrity', '/console/integrity', '/v1/integrity/keys', 'public keys'],
      ];
      // The overview's 90-day aggregates are made at start-up and, on a large ledger, after a load's answer, never
      // during a load: what making them costs, beside the page loads below.
      const figures = app.get(OverviewFigures);
      const cold = await timings(() => figures.compute('kk'));
      const summary = await timed(app, `/v1/reports/summary?${quarter}&groupBy=day,operation`, api);
      options.emit(`| console overview's aggregates made (three summaries over 90 days, violations, actor activity over 30 days), ${fmt(EVENTS)}-event ledger: ` +
        `made at start-up, then after a load's answer once ${OVERVIEW_TTL_MS / 1000} s old and the log has moved; not a page load | ` +
        `p50 ${ms(cold.p50)} / p95 ${ms(cold.p95)} ms | API JSON, summary by day and operation, 90 days: p50 ${ms(summary.p50)} / p95 ${ms(summary.p95)} ms | ` +
        `${Math.round((100 * cold.p50) / Math.max(summary.p50, 0.01))}% (p50) | | |`);
      for (const [name, page, baseline, what] of pages) {
        const console_ = await timed(app, page, { cookie });
        const json = await timed(app, baseline, api);
        options.emit(`| console page: ${name}, ${fmt(EVENTS)}-event ledger (server time, ${RUNS} requests) | p50 ${ms(console_.p50)} / p95 ${ms(console_.p95)} ms | ` +
          `API JSON, ${what}: p50 ${ms(json.p50)} / p95 ${ms(json.p95)} ms | ${Math.round((100 * console_.p50) / Math.max(json.p50, 0.01))}% (p50) | p50 < 200 ms | ${console_.p50 < 200 ? 'met' : 'MISSED'} |`);
      }
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) runStandalone('console', 'value', consoleBenchmarks);
