import type { LedgerConfig } from '../../../ledger/src/config/ledger-config';
import { createApp } from '../../../ledger/src/http/create-app';
import { ProgressLine } from '../progress';
import { demoRecords, type DemoOptions } from './demo-dataset';

export interface DemoSummary {
  readonly employees: number;
  readonly records: number;
  readonly created: number;
  readonly duplicates: number;
  readonly violations: Record<string, number>;
}

/**
 * `derbes demo`: records a deterministic year of personnel processing through the API itself (validation,
 * decisions, violations and all). Running it twice adds nothing. It writes events only, so it may run beside a
 * server, which then brings its read models up to date.
 */
export async function runDemo(config: LedgerConfig, options: DemoOptions): Promise<DemoSummary> {
  const records = demoRecords(options);
  const app = await createApp({ ...config, runProjections: false });
  const fastify = app.getHttpAdapter().getInstance();
  const progress = new ProgressLine('demo');
  let created = 0;
  let duplicates = 0;
  const violations: Record<string, number> = {};
  try {
    for (let i = 0; i < records.length; i += 1000) {
      const res = await fastify.inject({
        method: 'POST', url: '/v1/processing-records/batch',
        headers: { 'content-type': 'application/json', 'x-correlation-id': 'derbes-demo' },
        payload: JSON.stringify({ records: records.slice(i, i + 1000) }),
      });
      if (res.statusCode >= 300) throw new Error(`the ledger refused demo records ${i}-${i + 999}: ${res.body}`);
      const body = res.json() as { created: number; duplicates: number; results: { violations: { code: string }[] }[] };
      created += body.created;
      duplicates += body.duplicates;
      for (const result of body.results) for (const v of result.violations) violations[v.code] = (violations[v.code] ?? 0) + 1;
      progress.update(Math.min(i + 1000, records.length), records.length);
    }
    progress.finish();
  } finally {
    await app.close();
  }
  return { employees: options.employees, records: records.length, created, duplicates, violations };
}
