import type { DerbesClientError } from './client-errors';
import type { SequenceStore } from './sequence-store';

export interface DerbesClientOptions {
  /** The ledger's address, e.g. `https://derbes.example.kz`. */
  readonly baseUrl: string;
  /** An emitter key bound to `system`. */
  readonly token: string;
  /** The system this client records as (a lowercase code); every record carries it. */
  readonly system: string;
  /** Where the numbering is kept. Default: in memory, which restarts at 1 with the process; use a FileSequenceStore in a service. */
  readonly sequenceStore?: SequenceStore;
  /**
   * How many of the records acknowledged last keep their number in the sequence store, so that one handed in again
   * (same recordId, e.g. after a crash before your own "sent" mark was stored) is sent with its number and answered as
   * a duplicate. An older one gets a new number, which the ledger refuses (409) and shows as a gap. Each costs about
   * 45 bytes of the sequence file, which is rewritten at every save. Default 10,000; 0 remembers none.
   */
  readonly rememberAcknowledged?: number;
  /** Records per request, 1-1,000. Default 500. */
  readonly batchSize?: number;
  /** How long a record waits for others before a partial batch is sent, when nothing is in flight. Default 200 ms. */
  readonly flushIntervalMs?: number;
  /** Resends of one batch after network errors, timeouts, 429 and 5xx before its records fail. Default 8. */
  readonly maxRetries?: number;
  /** Default 60 s; 0 sends none. */
  readonly heartbeatIntervalMs?: number;
  /** First backoff step; it doubles per attempt, with jitter. Default 250 ms. */
  readonly retryBaseMs?: number;
  /** Longest wait between attempts, Retry-After included. Default 60 s. */
  readonly maxRetryDelayMs?: number;
  /** Default 30 s; a request that takes longer counts as a network error. */
  readonly requestTimeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  /** Told of every problem: retries, refused records, failed heartbeats. Each record's promise is told of its own too. */
  readonly onError?: (error: DerbesClientError) => void;
}

/** The options with their defaults, checked: a bad one fails the constructor with its name. */
export type ClientSettings = Required<Omit<DerbesClientOptions, 'sequenceStore'>> & { readonly sequenceStore?: SequenceStore };

export function settingsOf(options: DerbesClientOptions): ClientSettings {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(options.system)) throw new Error(`system must be a lowercase code (a-z, 0-9, . _ -), not ${JSON.stringify(options.system)}`);
  const settings: ClientSettings = {
    batchSize: 500,
    flushIntervalMs: 200,
    maxRetries: 8,
    heartbeatIntervalMs: 60_000,
    retryBaseMs: 250,
    maxRetryDelayMs: 60_000,
    requestTimeoutMs: 30_000,
    rememberAcknowledged: 10_000,
    fetch: (...args) => fetch(...args),
    now: () => new Date(),
    onError: () => undefined,
    ...withoutUndefined(options),
  };
  if (!Number.isInteger(settings.batchSize) || settings.batchSize < 1 || settings.batchSize > 1000) throw new Error('batchSize must be a whole number from 1 to 1000');
  if (!Number.isSafeInteger(settings.rememberAcknowledged) || settings.rememberAcknowledged < 0) throw new Error('rememberAcknowledged must be a whole number >= 0');
  for (const name of ['flushIntervalMs', 'maxRetries', 'heartbeatIntervalMs', 'retryBaseMs', 'maxRetryDelayMs', 'requestTimeoutMs'] as const) {
    if (!Number.isFinite(settings[name]) || settings[name] < 0) throw new Error(`${name} must be a number >= 0`);
  }
  return settings;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
