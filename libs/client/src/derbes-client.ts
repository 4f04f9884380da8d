import { randomUUID } from 'node:crypto';
import { DerbesClientError, RecordRejectedError, recordFieldErrors } from './client-errors';
import { backoffDelay, sleep } from './backoff';
import { settingsOf, type ClientSettings, type DerbesClientOptions } from './client-options';
import { LedgerHttp, type BatchAnswer } from './ledger-http';
import type { ProcessingRecord, RecordInput, RecordResult } from './processing-record';
import { SequenceNumbers } from './sequence-numbers';
import { InMemorySequenceStore } from './sequence-store';

interface Entry {
  readonly recordId: string;
  readonly record: Omit<ProcessingRecord, 'sourceSequence'>;
  sequence: number;
  /**
   * A number handed out before (a resend of a refused, interrupted or acknowledged record): it fills a gap, or is the
   * ledger's duplicate, and does not hold back heartbeats.
   */
  reused: boolean;
  readonly resolve: (result: RecordResult) => void;
  readonly reject: (error: DerbesClientError) => void;
  /** Settles with the record: never rejects. */
  readonly done: Promise<'acknowledged' | 'failed'>;
}

/** What became of the records a flush() or close() waited for. */
export interface FlushResult {
  /** Recorded by the ledger (`created` or `duplicate`). */
  readonly acknowledged: number;
  /** Refused or not delivered: each was rejected with its error, and its number waits in awaitingResend(). */
  readonly failed: number;
}

/**
 * Sends processing records to the Derbes ledger in batches, numbered per system, retried with the same recordIds
 * until acknowledged, and sends heartbeats. One batch is in flight at a time, so records reach the ledger in the
 * order they were handed in (see README: "Guarantees").
 */
export class DerbesClient {
  private readonly settings: ClientSettings;
  private readonly system: string;
  private readonly http: LedgerHttp;
  private readonly ready: Promise<void>;
  private numbers: SequenceNumbers | undefined;
  private readonly queue: Entry[] = [];
  private inFlight: Entry[] = [];
  private readonly open = new Map<string, Entry>();
  private draining = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatSending: Promise<void> | undefined;
  private closed = false;
  private stopped: DerbesClientError | undefined;

  constructor(options: DerbesClientOptions) {
    const settings = (this.settings = settingsOf(options));
    this.system = settings.system;
    this.http = new LedgerHttp(settings);
    this.ready = SequenceNumbers.load(this.system, settings.sequenceStore ?? new InMemorySequenceStore(), settings.rememberAcknowledged).then(
      (numbers) => this.start(numbers),
      (error: unknown) => this.stop(new DerbesClientError('sequence_store_failed', `cannot load the numbering of ${this.system}: ${String(error)}`, [], undefined, { cause: error })),
    );
    if (settings.heartbeatIntervalMs > 0) {
      this.heartbeatTimer = setInterval(() => void this.heartbeat(), settings.heartbeatIntervalMs).unref();
      void this.ready.then(() => this.heartbeat());
    }
  }

  /**
   * Numbers the record, queues it, and resolves with the ledger's answer for it once its batch is acknowledged.
   * Rejects with a {@link RecordRejectedError} if the ledger refuses this record, or a {@link DerbesClientError}.
   * A rejection nobody awaits does not crash the process: it is also reported to `onError`.
   */
  record(input: RecordInput): Promise<RecordResult> {
    // The ledger keeps a UUID in lower case and answers with it: the client keys its numbers and answers the same way.
    const recordId = (input.recordId ?? randomUUID()).toLowerCase();
    if (this.stopped || this.closed) return handled(Promise.reject(this.stopped ?? new DerbesClientError('client_closed', 'the client is closed')));
    if (this.open.has(recordId)) return handled(Promise.reject(new DerbesClientError('record_in_progress', `record ${recordId} is already queued or in flight`)));
    const { recordId: _given, occurredAt, ...rest } = input;
    const when = occurredAtText(occurredAt);
    if (when === null) {
      // Refused before it is numbered: nothing is sent, and no number is left as a gap.
      return handled(Promise.reject(new DerbesClientError('invalid_request', `record ${recordId} refused by the client: occurredAt must be a valid Date or a text`,
        [{ field: 'occurredAt', reason: 'must be a valid Date or an ISO 8601 text' }])));
    }
    const record = { recordId, ...rest, system: this.system, occurredAt: when };
    let resolve!: (result: RecordResult) => void;
    let reject!: (error: DerbesClientError) => void;
    const promise = new Promise<RecordResult>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    const entry: Entry = { recordId, record, sequence: 0, reused: false, resolve, reject, done: promise.then(() => 'acknowledged' as const, () => 'failed' as const) };
    // Saved at once rather than only before sending: a crash then loses unseen only the records of the last write.
    if (this.numbers) {
      this.number(entry, this.numbers);
      this.numbers.saveInBackground((error) => this.report(storeError(error)));
    }
    this.open.set(recordId, entry);
    this.queue.push(entry);
    this.schedule();
    return handled(promise);
  }

  /**
   * Resolves when every record handed in so far is acknowledged or has failed, with how many of them each; keeps the
   * process alive meanwhile. It never rejects: each failed record's own promise says why.
   */
  async flush(): Promise<FlushResult> {
    const keepAlive = setInterval(() => undefined, 1 << 30);
    try {
      const pending = [...this.open.values()].map((e) => e.done);
      if (pending.length > 0) void this.drain();
      const outcomes = await Promise.all(pending);
      await this.numbers?.save().catch((error: unknown) => this.report(storeError(error)));
      const failed = outcomes.filter((o) => o === 'failed').length;
      return { acknowledged: outcomes.length - failed, failed };
    } finally {
      clearInterval(keepAlive);
    }
  }

  /** Refuses new records, flushes (its result is flush()'s), sends a last heartbeat and stops the timers. */
  async close(): Promise<FlushResult> {
    this.closed = true;
    const result = await this.flush();
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.flushTimer);
    await this.heartbeatSending;
    if (this.heartbeatTimer && !this.stopped) await this.heartbeat();
    return result;
  }

  /**
   * Numbers handed out and not acknowledged, not queued now: records refused, failed, or interrupted by a crash of an
   * earlier run. Each shows at the ledger as a gap until a record with that recordId is handed in again.
   */
  async awaitingResend(): Promise<readonly { recordId: string; sourceSequence: number }[]> {
    await this.ready;
    return (this.numbers?.pending() ?? []).filter((p) => !this.open.has(p.recordId));
  }

  /** Gives up the number reserved for a recordId (it stays a gap at the ledger). False if none was reserved. */
  async release(given: string): Promise<boolean> {
    const recordId = given.toLowerCase();
    await this.ready;
    if (this.open.has(recordId) || !this.numbers) return false;
    const released = this.numbers.release(recordId);
    await this.numbers.save();
    return released;
  }

  private start(numbers: SequenceNumbers): void {
    this.numbers = numbers;
    for (const entry of this.queue) this.number(entry, numbers);
    if (this.queue.length > 0) numbers.saveInBackground((error) => this.report(storeError(error)));
  }

  private number(entry: Entry, numbers: SequenceNumbers): void {
    const before = numbers.last;
    entry.sequence = numbers.assign(entry.recordId);
    entry.reused = entry.sequence <= before;
  }

  private schedule(): void {
    if (this.draining) return;
    if (this.queue.length >= this.settings.batchSize) {
      void this.drain();
    } else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.drain(), this.settings.flushIntervalMs).unref();
    }
  }

  private async drain(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.draining) return;
    this.draining = true;
    try {
      await this.ready;
      while (this.queue.length > 0) {
        this.inFlight = this.queue.splice(0, this.settings.batchSize);
        await this.deliver();
        this.inFlight = [];
      }
    } finally {
      this.draining = false;
    }
  }

  /** Sends the in-flight batch until each of its records is acknowledged or has failed. */
  private async deliver(): Promise<void> {
    let attempt = 0;
    while (this.inFlight.length > 0) {
      if (this.stopped) return this.fail(this.inFlight, this.stopped);
      const answer = await this.send(this.inFlight);
      switch (answer.kind) {
        case 'recorded':
          return this.acknowledge(answer.results);
        case 'refused':
          this.refuse(answer);
          break;
        case 'denied': {
          const { body, status } = answer;
          const code = status === 401 ? 'unauthenticated' : 'forbidden';
          this.stop(new DerbesClientError(code, `the ledger refused the key (${status} ${body.code}: ${body.message}); the client has stopped`, body.errors, status));
          break;
        }
        case 'too_large':
          if (this.inFlight.length === 1) return this.fail(this.inFlight, new DerbesClientError('delivery_failed', 'the record alone is over the ledger\'s body limit', [], 413));
          this.queue.unshift(...this.inFlight.splice(Math.ceil(this.inFlight.length / 2)));
          break;
        case 'transient': {
          attempt += 1;
          if (attempt > this.settings.maxRetries) {
            return this.fail(this.inFlight, new DerbesClientError('delivery_failed', `gave up after ${attempt} attempts; last: ${answer.reason}`));
          }
          const delay = backoffDelay(attempt, answer.retryAfterMs, this.settings.retryBaseMs, this.settings.maxRetryDelayMs);
          this.report(new DerbesClientError('retrying', `batch of ${this.inFlight.length}: ${answer.reason}; attempt ${attempt + 1} in ${Math.round(delay)} ms`));
          await sleep(delay);
          break;
        }
        case 'unexpected':
          return this.fail(this.inFlight, new DerbesClientError('delivery_failed', `unexpected answer: ${answer.reason}`, [], answer.status));
        default:
          return assertNever(answer);
      }
    }
  }

  /** The numbering is saved before the records carrying it leave, so a restart never hands a sent number out again. */
  private async send(batch: readonly Entry[]): Promise<BatchAnswer> {
    try {
      await this.numbers?.save();
    } catch (error) {
      return { kind: 'transient', reason: storeError(error).message };
    }
    return this.http.postBatch(batch.map((e) => ({ ...e.record, sourceSequence: e.sequence })));
  }

  private acknowledge(results: Extract<BatchAnswer, { kind: 'recorded' }>['results']): void {
    const batch = this.inFlight;
    if (batch.some((e, i) => results[i]?.recordId !== e.recordId)) {
      return this.fail(batch, new DerbesClientError('delivery_failed', 'the answer\'s results are not in the order of the records sent'));
    }
    batch.forEach((entry, i) => {
      this.numbers?.acknowledge(entry.recordId);
      this.open.delete(entry.recordId);
      entry.resolve({ ...(results[i] as RecordResult), sourceSequence: entry.sequence });
    });
    this.inFlight = [];
    this.numbers?.saveInBackground((error) => this.report(storeError(error)));
  }

  /** 400 or 409: the records named by index fail, the others are sent again; nothing was written. */
  private refuse(answer: Extract<BatchAnswer, { kind: 'refused' }>): void {
    const { body, status } = answer;
    const batch = this.inFlight;
    const named = body.errors.length > 0 && batch.length === 1 ? body.errors.map((e) => ({ ...e, index: e.index ?? 0 })) : body.errors;
    const indexes = new Set(named.flatMap((e) => (e.index !== undefined && e.index >= 0 && e.index < batch.length ? [e.index] : [])));
    const code = body.code === 'record_id_conflict' ? 'record_id_conflict' : 'invalid_request';
    if (indexes.size === 0) {
      return this.fail(batch, new DerbesClientError(code, `the ledger refused the batch without naming a record: ${body.message}`, body.errors, status));
    }
    this.inFlight = batch.filter((entry, i) => {
      if (!indexes.has(i)) return true;
      const errors = recordFieldErrors(named.filter((e) => e.index === i));
      const error = new RecordRejectedError(code, entry.recordId, entry.sequence, errors, status);
      this.report(error);
      this.settleFailed(entry, error);
      return false;
    });
  }

  /** Fails records with one error, reported once. */
  private fail(entries: readonly Entry[], error: DerbesClientError): void {
    if (entries.length > 0) this.report(error);
    for (const entry of entries) this.settleFailed(entry, error);
    if (entries === this.inFlight) this.inFlight = [];
  }

  private settleFailed(entry: Entry, error: DerbesClientError): void {
    this.open.delete(entry.recordId);
    entry.reject(error);
  }

  /** 401/403 or an unreadable store: every record queued fails, and so will every later one. */
  private stop(error: DerbesClientError): void {
    this.stopped ??= error;
    const entries = [...this.inFlight, ...this.queue.splice(0)];
    this.inFlight = [];
    this.fail(entries, error);
    clearInterval(this.heartbeatTimer);
  }

  /**
   * Sends the highest number at or below which nothing is still queued or in flight: every missing number up to it is
   * a real gap. Resends of old numbers (refills) do not hold it back, so it never goes down.
   */
  private heartbeat(): Promise<void> {
    if (this.heartbeatSending || this.stopped || !this.numbers) return this.heartbeatSending ?? Promise.resolve();
    // Fresh numbers are queued in increasing order, so the first one still in progress is the lowest.
    const first = this.inFlight.find((e) => !e.reused) ?? this.queue.find((e) => !e.reused);
    // Never a number the store has not kept: while saves fail, a restart would give those numbers to other records,
    // and a heartbeat that had claimed them would have told the ledger that their loss was no gap.
    const lastSequence = Math.min(first ? first.sequence - 1 : this.numbers.last, this.numbers.saved);
    this.heartbeatSending = this.http.postHeartbeat(this.system, lastSequence).then(
      (status) => {
        if (status < 200 || status > 299) this.report(new DerbesClientError('heartbeat_failed', `heartbeat refused: ${status}`, [], status));
      },
      (error: unknown) => this.report(new DerbesClientError('heartbeat_failed', `heartbeat not sent: ${String(error)}`, [], undefined, { cause: error })),
    ).finally(() => {
      this.heartbeatSending = undefined;
    });
    return this.heartbeatSending;
  }

  private report(error: DerbesClientError): void {
    try {
      this.settings.onError(error);
    } catch {
      // a failing error handler must not break delivery
    }
  }
}

/** The record's occurredAt as sent: a text as given (the ledger judges it), a valid Date as ISO 8601; else null. */
function occurredAtText(occurredAt: unknown): string | null {
  if (typeof occurredAt === 'string') return occurredAt;
  return occurredAt instanceof Date && !Number.isNaN(occurredAt.getTime()) ? occurredAt.toISOString() : null;
}

function storeError(error: unknown): DerbesClientError {
  return new DerbesClientError('sequence_store_failed', `cannot save the numbering: ${String(error)}`, [], undefined, { cause: error });
}

/** Marks a promise handled so that a caller who drops it does not crash the process; awaiting it still throws. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function assertNever(value: never): never {
  throw new Error(`unhandled answer ${JSON.stringify(value)}`);
}
