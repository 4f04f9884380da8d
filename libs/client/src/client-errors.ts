import type { FieldError } from './processing-record';

export type ClientErrorCode =
  /** 400: the ledger refused the record's content; fix it and hand it in again with the same recordId. */
  | 'invalid_request'
  /** 409: the recordId was already recorded (or repeated in the batch) with another content. */
  | 'record_id_conflict'
  /** 401/403: the key is unknown, revoked, or not bound to this system. The client has stopped. */
  | 'unauthenticated'
  | 'forbidden'
  /** Retries exhausted (network, 429, 5xx) or an answer the client does not understand. */
  | 'delivery_failed'
  /** The same recordId was handed in while the first is still queued or in flight. */
  | 'record_in_progress'
  /** record() after close(), or after the client stopped on 401/403. */
  | 'client_closed'
  /** Reported to onError only: an attempt failed (network, 429, 5xx) and the batch will be sent again. */
  | 'retrying'
  /** Reported to onError only: a heartbeat was not accepted. The next one is sent on time. */
  | 'heartbeat_failed'
  /** The sequence store could not be read or written; nothing is sent until it can be. */
  | 'sequence_store_failed';

/** Every error the client reports: a code, and the ledger's field errors when it gave any. */
export class DerbesClientError extends Error {
  override readonly name: string = 'DerbesClientError';
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    /** The ledger's field errors, with paths relative to the record (`subject.iin`, not `records[3].subject.iin`). */
    readonly errors: readonly FieldError[] = [],
    /** The HTTP status of the answer behind the error, when there was one. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * One record refused by the ledger (400 or 409). Nothing of it was written. Its sequence number stays reserved for
 * its recordId: handing in a corrected record with the same recordId fills the gap (see README).
 */
export class RecordRejectedError extends DerbesClientError {
  override readonly name = 'RecordRejectedError';
  constructor(
    code: 'invalid_request' | 'record_id_conflict',
    readonly recordId: string,
    readonly sourceSequence: number,
    errors: readonly FieldError[],
    status: number,
  ) {
    const first = errors[0];
    super(code, `record ${recordId} (sequence ${sourceSequence}) refused: ${first ? `${first.field}: ${first.reason}` : code}`, errors, status);
  }
}

/** Paths of a batch's field errors made relative to the record: `records[3].subject.iin` -> `subject.iin`. */
export function recordFieldErrors(errors: readonly FieldError[]): FieldError[] {
  return errors.map((e) => ({ ...e, field: e.field.replace(/^records\[\d+\]\.?/, '') || 'record' }));
}
