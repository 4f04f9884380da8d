/**
 * Issue 4: how long a subject's access report takes to make, for the subject with 1,000 events in the generated
 * ledger: read their stream, build the report, and render it as JSON, HTML or PDF (as the API does). The ceiling
 * beside each is reading that stream alone from the store, measured in the same run.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { RecordedEvent, SqliteEventStore } from '@derbes/event-store';
import { chainHash, type ChainedEvent } from '@derbes/integrity';
import { DEADLINE_COUNTING, SUBJECT_FILE_READ, SUBJECT_FILE_READ_SCHEMA_VERSION, subjectStreamId } from '@derbes/ledger';
import { BUILT_IN_REGISTERS, RegisterCatalog } from '@derbes/register';
import {
  buildAccessReport, identifiedEvents, renderAccessReportHtml, reportedCategoryNumbers, renderAccessReportPdf, type AccessReport, type IdentifiedSubjectEvent,
} from '@derbes/reports';

interface Percentiles { readonly p50: number; readonly p95: number; readonly p99: number }
type Line = (what: string, value: string, ceiling: string, ofCeiling: string, target: string, met: boolean | null) => string;

const RUNS = Number(process.env.BENCH_REPORTS ?? 100);

async function timings(count: number, run: () => unknown): Promise<Percentiles> {
  for (let i = 0; i < Math.min(10, count); i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (p: number) => samples[Math.min(samples.length - 1, Math.ceil(p * samples.length) - 1)] as number;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/** The report's own read as the ledger stores it behind `last`, the stream's last event. */
function ownRead(last: RecordedEvent, categories: readonly number[], at: Date): RecordedEvent {
  const subjectId = last.streamId.slice('subject-'.length);
  return {
    id: randomUUID(), type: SUBJECT_FILE_READ, streamId: last.streamId, revision: last.revision + 1, position: last.position + 1,
    data: {
      readId: randomUUID(), subjectId, view: 'GET /v1/subjects/{subjectId}/access-report (kk, json)', categories: categories.map((number) => ({ number, slug: `category-${number}` })),
      purpose: { code: 'OVERSIGHT', slug: 'oversight' }, actor: { id: 'ic-3', role: 'auditor', unit: 'internal-control' }, occurredAt: at.toISOString(),
    },
    metadata: { schemaVersion: SUBJECT_FILE_READ_SCHEMA_VERSION, recordedAt: at.toISOString(), correlationId: 'bench', previousHash: chainHash(last as unknown as ChainedEvent) },
    created: at.toISOString(),
  } as RecordedEvent;
}

export async function reportLatency(store: SqliteEventStore, subjectId: string, ledgerSize: string, line: Line, emit: (l: string) => void): Promise<void> {
  const catalog = new RegisterCatalog(BUILT_IN_REGISTERS);
  const streamId = subjectStreamId(subjectId);
  const now = new Date('2026-11-25T12:00:00Z');
  const input = (events: IdentifiedSubjectEvent[]) => ({
    subjectId, events, catalog, owner: 'mineco', language: 'kk' as const, now, utcOffsetMinutes: 300, showActors: false, showWithheld: false,
    howToRequest: { deadlines: { information: 3, change: 1, blocking: 1, unblocking: 1, destruction: 1, 'consent-withdrawal': 3 }, firstDay: DEADLINE_COUNTING.firstDay, contact: null },
    // The bench writes its events straight to the store, unsealed: plain texts open as themselves.
    unseal: (_subjectId: string, _field: string, value: string) => value,
  });
  // As the API makes a report: read the stream, take the categories its read records, (append that read: not
  // measured, nor signing a head for it), read that one event back (here: the stream's last, as a stand-in), and build
  // the report with the read last and the integrity section (chain hashes, stored forms), a head and a proof of the
  // shape it gives (20 hashes: a million leaves). Not measured either: reading that proof from the integrity-log
  // read model.
  const build = async (): Promise<AccessReport> => {
    const before = await store.readStream(streamId);
    const events = identifiedEvents(before);
    const categories = reportedCategoryNumbers(events, '2026-11-25');
    const [back] = await store.readStream(streamId, { fromRevision: before.at(-1)!.revision, maxCount: 1 });
    const read = ownRead(back!, categories, now);
    const stream = [...before, read];
    const hex = (c: string) => c.repeat(64);
    return buildAccessReport({
      ...input([...events, ...identifiedEvents([read])]),
      integrity: {
        stream, treeHeadSource: 'latest',
        treeHead: { treeSize: read.position + 10, rootHash: hex('a'), timestamp: '2026-11-25T12:00:00.000Z', keyId: 'b'.repeat(16), signature: 'c'.repeat(128), position: read.position + 11 },
        inclusion: { eventId: read.id, leafIndex: read.position - 1, treeSize: read.position + 10, leafHash: hex('d'), proof: Array.from({ length: 20 }, () => hex('e')) },
      },
    });
  };
  const sample = await build();
  if (sample.events.length < 1_000) throw new Error(`the hot subject's report holds ${sample.events.length} entries`);
  const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
  const text = (p: Percentiles) => `p50 ${ms(p.p50)} / p95 ${ms(p.p95)} / p99 ${ms(p.p99)} ms`;
  const ceiling = await timings(RUNS, () => store.readStream(streamId));
  const cases: Array<[string, () => Promise<unknown>, number]> = [
    ['JSON', async () => JSON.stringify(await build()), 50],
    ['HTML', async () => renderAccessReportHtml(await build()), 0],
    ['PDF', async () => renderAccessReportPdf(await build()), 300],
  ];
  for (const [format, run, target] of cases) {
    const p = await timings(format === 'PDF' ? Math.min(RUNS, 50) : RUNS, run);
    emit(line(`access report (${format}, kk) of the subject with 1,000 events in a ${ledgerSize}-event ledger: read the stream, read back its own read, build, render`,
      text(p), `store.readStream of its events: ${text(ceiling)}`, `${Math.round((100 * p.p50) / ceiling.p50)}% (p50)`,
      target > 0 ? `p50 < ${target} ms` : '', target > 0 ? p.p50 < target : null));
  }
}
