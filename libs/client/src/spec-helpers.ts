import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProcessingRecord, RecordInput } from './processing-record';

/** A fault the fake ledger plays on the next batch request instead of answering normally. */
export type Fault =
  | { readonly status: 408 | 429 | 500 | 503; readonly retryAfter?: string }
  | { readonly drop: 'before-writing' | 'after-writing' }
  | { readonly status: 401 | 403 }
  /** A 400 naming these errors, whatever the records. */
  | { readonly status: 400; readonly errors: readonly unknown[] };

export const TOKEN = 'dk_test';

/**
 * Plays the ledger's batch and heartbeat endpoints over real HTTP: idempotent by recordId (a repeat with the same
 * content is a duplicate, with another content a 409), a record whose IIN is "bad" is a 400 naming its index, a
 * batch is written whole or not at all.
 */
export class FakeLedger {
  /** Every batch request received, in order (faults included). */
  readonly requests: ProcessingRecord[][] = [];
  /** Records written, in the order written. */
  readonly recorded: ProcessingRecord[] = [];
  readonly heartbeats: { lastSequence: number; sentAt: string; system: string }[] = [];
  readonly faults: Fault[] = [];
  /** Refuse batches with more records than this with 413. */
  maxRecords = 1000;
  private readonly byId = new Map<string, { json: string; position: number }>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Stores a record directly, as if another client had sent it. */
  preload(record: ProcessingRecord): void {
    this.write([record]);
  }

  sequences(): number[] {
    return this.recorded.map((r) => r.sourceSequence);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(res, 401, error(401, 'unauthenticated', []));
    const heartbeat = /^\/v1\/systems\/([^/]+)\/heartbeats$/.exec(req.url ?? '');
    if (heartbeat) {
      this.heartbeats.push({ ...(body as { lastSequence: number; sentAt: string }), system: decodeURIComponent(heartbeat[1] ?? '') });
      return send(res, 202, {});
    }
    const records = body['records'] as ProcessingRecord[];
    this.requests.push(records);
    const fault = this.faults.shift();
    if (fault && 'drop' in fault) {
      if (fault.drop === 'after-writing') this.answer(records);
      res.socket?.destroy();
      return;
    }
    if (fault) {
      if (fault.status === 401 || fault.status === 403) return send(res, fault.status, error(fault.status, fault.status === 401 ? 'unauthenticated' : 'forbidden', []));
      if ('errors' in fault) return send(res, 400, error(400, 'invalid_request', fault.errors));
      if ('retryAfter' in fault && fault.retryAfter !== undefined) res.setHeader('retry-after', fault.retryAfter);
      return send(res, fault.status, error(fault.status, fault.status === 429 ? 'rate_limited' : 'store_unavailable', []));
    }
    if (records.length > this.maxRecords) return send(res, 413, error(413, 'payload_too_large', []));
    const invalid = records.flatMap((r, index) => (r.subject.iin === 'bad' ? [{ field: `records[${index}].subject.iin`, reason: 'must be 12 digits', index }] : []));
    if (invalid.length > 0) return send(res, 400, error(400, 'invalid_request', invalid));
    const conflicts = records.flatMap((r, index) => {
      const stored = this.byId.get(r.recordId);
      return stored && stored.json !== JSON.stringify(r) ? [{ field: `records[${index}].recordId`, reason: 'was already recorded with a different body', index }] : [];
    });
    if (conflicts.length > 0) return send(res, 409, error(409, 'record_id_conflict', conflicts.slice(0, 1)));
    const results = this.answer(records);
    const created = results.filter((r) => r.status === 'created').length;
    send(res, created > 0 ? 201 : 200, { results, created, duplicates: results.length - created });
  }

  private answer(records: readonly ProcessingRecord[]) {
    const fresh = records.filter((r) => !this.byId.has(r.recordId));
    this.write(fresh);
    return records.map((r) => ({
      recordId: r.recordId,
      status: fresh.includes(r) ? 'created' : 'duplicate',
      subjectId: createHash('sha256').update(r.subject.iin).digest('hex'),
      eventId: r.recordId,
      streamRevision: 0,
      position: this.byId.get(r.recordId)?.position ?? -1,
      recordedAt: '2026-11-20T09:30:01.000Z',
      violations: [],
    }));
  }

  private write(records: readonly ProcessingRecord[]): void {
    for (const r of records) {
      this.recorded.push(r);
      this.byId.set(r.recordId, { json: JSON.stringify(r), position: this.recorded.length });
    }
  }
}

export function aRecord(overrides: Partial<RecordInput> = {}): RecordInput {
  return {
    operation: 'access',
    subject: { iin: '791028302728' },
    categories: [1, 2],
    purpose: 'P01',
    actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' },
    occurredAt: '2026-11-20T09:30:00Z',
    ...overrides,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function error(statusCode: number, code: string, errors: readonly unknown[]) {
  return { statusCode, error: 'Error', code, message: code, errors, correlationId: 'test' };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
