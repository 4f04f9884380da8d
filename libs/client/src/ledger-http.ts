import type { ErrorBody, ProcessingRecord, RecordResult } from './processing-record';

type WireResult = Omit<RecordResult, 'sourceSequence'>;

/** What one POST of a batch came to, as the send loop needs to know it. */
export type BatchAnswer =
  | { readonly kind: 'recorded'; readonly results: readonly WireResult[] }
  /** 400 or 409: nothing was written; `errors[].index` names the records concerned. */
  | { readonly kind: 'refused'; readonly status: number; readonly body: ErrorBody }
  /** 401 or 403: the key will not do. */
  | { readonly kind: 'denied'; readonly status: number; readonly body: ErrorBody }
  | { readonly kind: 'too_large' }
  /** A network error, a timeout, 408, 429 or 5xx: resending the same records is safe. */
  | { readonly kind: 'transient'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly kind: 'unexpected'; readonly status: number; readonly reason: string };

export interface LedgerHttpOptions {
  readonly baseUrl: string;
  readonly token: string;
  readonly fetch: typeof fetch;
  readonly requestTimeoutMs: number;
  readonly now: () => Date;
}

/** The two calls the client makes, each mapped to what it means for the caller; never throws. */
export class LedgerHttp {
  private readonly baseUrl: string;

  constructor(private readonly options: LedgerHttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async postBatch(records: readonly ProcessingRecord[]): Promise<BatchAnswer> {
    let response: Response;
    let text: string;
    try {
      response = await this.post('/v1/processing-records/batch', { records });
      text = await response.text();
    } catch (error) {
      return { kind: 'transient', reason: `network: ${describe(error)}` };
    }
    const status = response.status;
    if (status === 200 || status === 201) {
      const results = parseJson(text) as { results?: unknown } | undefined;
      if (!Array.isArray(results?.results) || results.results.length !== records.length) {
        return { kind: 'unexpected', status, reason: 'the answer does not carry one result per record' };
      }
      return { kind: 'recorded', results: results.results as WireResult[] };
    }
    const body = errorBody(status, text);
    if (status === 400 || status === 409) return { kind: 'refused', status, body };
    if (status === 401 || status === 403) return { kind: 'denied', status, body };
    if (status === 413) return { kind: 'too_large' };
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.options.now());
      return { kind: 'transient', reason: `${status} ${body.code}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    return { kind: 'unexpected', status, reason: `${status} ${body.code}: ${body.message}` };
  }

  /** Resolves with the status; rejects on a network error. */
  async postHeartbeat(system: string, lastSequence: number): Promise<number> {
    const response = await this.post(`/v1/systems/${encodeURIComponent(system)}/heartbeats`, { lastSequence, sentAt: this.options.now().toISOString() });
    await response.arrayBuffer();
    return response.status;
  }

  private post(path: string, body: unknown): Promise<Response> {
    return this.options.fetch(this.baseUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.requestTimeoutMs),
    });
  }
}

/** Retry-After as seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function errorBody(status: number, text: string): ErrorBody {
  const body = parseJson(text) as Partial<ErrorBody> | undefined;
  return {
    statusCode: status,
    code: typeof body?.code === 'string' ? body.code : `http_${status}`,
    message: typeof body?.message === 'string' ? body.message : text.slice(0, 200),
    errors: Array.isArray(body?.errors) ? body.errors : [],
    ...(typeof body?.correlationId === 'string' ? { correlationId: body.correlationId } : {}),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
