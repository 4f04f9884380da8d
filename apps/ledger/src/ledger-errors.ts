/** One field that failed validation: its path in the request (`records[3].subject.iin`) and why. */
export interface FieldError {
  readonly field: string;
  readonly reason: string;
  /** For batches: the index of the record concerned. */
  readonly index?: number;
}

export type LedgerErrorCode =
  | 'invalid_request'
  | 'record_id_conflict'
  | 'event_id_conflict'
  | 'subject_not_found'
  | 'no_register_in_force'
  | 'concurrency_exhausted'
  | 'store_unavailable'
  | 'projection_behind'
  | 'projection_building'
  | 'shutting_down'
  | 'request_exists'
  | 'request_not_found'
  | 'request_closed'
  | 'event_not_found'
  | 'tree_head_not_found'
  | 'key_not_found'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'unsupported_media_type'
  | 'report_too_large';

/**
 * The errors the ledger reports to clients: a small union of codes, mapped to HTTP statuses in one place
 * (http/error.filter.ts). Nothing below the controllers throws HTTP exceptions.
 */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly errors: readonly FieldError[] = [],
    /** For rate_limited: seconds until a retry may succeed (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  static invalid(errors: readonly FieldError[]): LedgerError {
    const first = errors[0];
    const summary = first ? `${first.field}: ${first.reason}` : 'invalid request';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    return new LedgerError('invalid_request', summary + more, errors);
  }
}
