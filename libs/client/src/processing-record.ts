// The wire shapes of POST /v1/processing-records/batch, repeated here rather than imported from @derbes/ledger so
// that an emitting service depends on this library alone (the ledger's DTO is the authority on the rules).

export type Operation = 'collect' | 'access' | 'change' | 'transfer' | 'block' | 'unblock' | 'depersonalize' | 'destroy';

/** What an emitting service hands to {@link DerbesClient.record}: a record without `system` and `sourceSequence`. */
export interface RecordInput {
  /**
   * The idempotency key, a UUID of any version but 8 (the ledger's own ids, refused). Generated when absent (version
   * 4); derive it from your own operation id (e.g. a version 5 UUID) to be able to resend after a crash.
   */
  readonly recordId?: string;
  readonly operation: Operation;
  readonly subject: { readonly iin: string };
  /** Order numbers (1-30) or codes ("medical-results"). */
  readonly categories: readonly (number | string)[];
  /** P01-P12 or the purpose's slug. */
  readonly purpose: string;
  /**
   * Codes: letters, the digits 0-9 and . _ : @ / -, in Unicode NFC, each word (a run of letters) in one script
   * (`hr-кадр` yes, `hг-17` with a Cyrillic г no). The ledger refuses the record otherwise (400 naming the field).
   */
  readonly actor: { readonly id: string; readonly role: string; readonly unit: string };
  /** ISO 8601 with a time zone; a Date is sent as its ISO string (UTC). */
  readonly occurredAt: string | Date;
  /**
   * Required with `collect`, refused otherwise. Names (here and the recipient's): in Unicode NFC, without invisible
   * characters (zero-width space or joiner, soft hyphen...), each word in one script (`Kаzpost` with a Cyrillic а no).
   */
  readonly source?: { readonly kind: 'subject' | 'state-database' | 'third-party'; readonly name?: string };
  /** Required with `transfer`, refused otherwise. */
  readonly recipient?: { readonly name: string; readonly country: string; readonly kind?: 'organization' | 'person' };
  readonly transferGround?: { readonly kind: 'consent' | 'treaty'; readonly reference: string };
  /** Free text, at most 2,000 characters, never an IIN. */
  readonly note?: string;
  /** A local date YYYY-MM-DD, at most DERBES_EMBARGO_MAX_DAYS (366 by default) after the ledger's local date of occurredAt. */
  readonly embargoUntil?: string;
}

/** A record as sent: the input with its recordId, the client's system and its sequence number. */
export interface ProcessingRecord extends Omit<RecordInput, 'recordId' | 'occurredAt'> {
  readonly recordId: string;
  readonly system: string;
  readonly occurredAt: string;
  readonly sourceSequence: number;
}

export interface Violation {
  readonly code: string;
  readonly category?: number;
  /** When the category was destroyed, depersonalized or blocked, for those reasons (null when the ledger did not record it). */
  readonly since?: string | null;
  /** The reason in English words. */
  readonly detail: string;
}

/** The ledger's answer for one record, with the sequence number the client gave it. */
export interface RecordResult {
  readonly recordId: string;
  readonly status: 'created' | 'duplicate';
  readonly subjectId: string;
  readonly eventId: string;
  readonly streamRevision: number;
  readonly position: number;
  readonly recordedAt: string;
  readonly violations: readonly Violation[];
  readonly sourceSequence: number;
}

/** One field the ledger refused: its path (`records[3].subject.iin`), why, and for batches the record's index. */
export interface FieldError {
  readonly field: string;
  readonly reason: string;
  readonly index?: number;
}

/** The ledger's one error shape (apps/ledger/src/http/error.filter.ts). */
export interface ErrorBody {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  readonly errors: readonly FieldError[];
  readonly correlationId?: string;
}
