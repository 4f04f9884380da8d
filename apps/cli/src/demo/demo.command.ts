import type { LedgerConfig } from '../../../ledger/src/config/ledger-config';
import { ApiKeys } from '../../../ledger/src/auth/api-keys';
import { createApp } from '../../../ledger/src/http/create-app';
import { ProgressLine } from '../progress';
import { demoRecords, type DemoOptions } from './demo-dataset';

/** A demo stopped by a signal between two batches: what was sent is stored, the run's keys are revoked. */
export class DemoInterrupted extends Error {
  override readonly name = 'DemoInterrupted';
  constructor(readonly signal: NodeJS.Signals, sent: number, total: number) {
    super(`the demo was interrupted (${signal}) after ${sent} of ${total} records, each batch stored whole; its keys are revoked. `
      + 'Run it again with the same options to add the rest (the records already there are not doubled)');
  }
}

export interface DemoSummary {
  readonly employees: number;
  readonly records: number;
  readonly created: number;
  readonly duplicates: number;
  readonly violations: Record<string, number>;
}

/**
 * `derbes demo`: records a deterministic year of personnel processing through the API itself (validation,
 * decisions, violations and all), each system's records with an emitter key of that system, created for the run
 * and revoked after it (both recorded in the administrative stream). Running it twice adds no records. It writes
 * events only, so it may run beside a server, which then brings its read models up to date.
 */
export async function runDemo(config: LedgerConfig, options: DemoOptions): Promise<DemoSummary> {
  const records = demoRecords(options);
  const app = await createApp({ ...config, runProjections: false });
  const fastify = app.getHttpAdapter().getInstance();
  const progress = new ProgressLine('demo');
  let created = 0;
  let duplicates = 0;
  const violations: Record<string, number> = {};
  const keys = app.get(ApiKeys);
  const tokens = new Map<string, { token: string; keyId: string }>();
  // Ctrl-C stops between two batches (each stored whole or not at all), so that the run's keys are still revoked.
  let interrupted: NodeJS.Signals | null = null;
  const interrupt = (signal: NodeJS.Signals) => {
    interrupted = signal;
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    for (const system of new Set(records.map((r) => String(r.system)))) {
      const { token, key } = await keys.create({ name: `demo-${system}`, role: 'emitter', unit: system, system, grants: [] }, 'derbes demo');
      tokens.set(system, { token, keyId: key.keyId });
    }
    // Consecutive records of one system go as one batch (at most 1,000), so the log keeps the plan's order.
    for (let i = 0; i < records.length;) {
      if (interrupted) throw new DemoInterrupted(interrupted, i, records.length);
      const system = String(records[i]?.system);
      let j = i;
      while (j < records.length && j - i < 1000 && String(records[j]?.system) === system) j++;
      const res = await fastify.inject({
        method: 'POST', url: '/v1/processing-records/batch',
        headers: { 'content-type': 'application/json', 'x-correlation-id': 'derbes-demo', authorization: `Bearer ${tokens.get(system)?.token}` },
        payload: JSON.stringify({ records: records.slice(i, j) }),
      });
      if (res.statusCode === 409 && (res.json() as { code?: string }).code === 'record_id_conflict') {
        throw new Error(`this ledger already holds other demo records under the ids of records ${i}-${j - 1} (nothing of this batch was written): `
          + 'a demo\'s records follow from both --employees and --seed, so run it again with the options of the first run, with another --seed, or on an empty data directory');
      }
      if (res.statusCode >= 300) throw new Error(`the ledger refused demo records ${i}-${j - 1}: ${res.body}`);
      const body = res.json() as { created: number; duplicates: number; results: { violations: { code: string }[] }[] };
      created += body.created;
      duplicates += body.duplicates;
      for (const result of body.results) for (const v of result.violations) violations[v.code] = (violations[v.code] ?? 0) + 1;
      i = j;
      progress.update(i, records.length);
    }
    progress.finish();
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    if (interrupted) progress.finish();
    for (const { keyId } of tokens.values()) await keys.revoke(keyId, 'derbes demo', interrupted ? 'the demo run was interrupted' : 'the demo run ended');
    await app.close();
  }
  return { employees: options.employees, records: records.length, created, duplicates, violations };
}
