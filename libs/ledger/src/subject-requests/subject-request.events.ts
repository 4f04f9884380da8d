import type { DeadlineFirstDay } from '../calendar/working-day-calendar';
import type { Actor, CategoryRef } from '../processing-record.events';

/**
 * A data subject's request under Law 94-V, Art. 24, as events of the subject's own stream: received, then answered
 * or refused, possibly re-timed in between when a correction of the working-day calendar moved its deadline.
 */

export const REQUEST_KINDS = ['information', 'change', 'blocking', 'unblocking', 'destruction', 'consent-withdrawal'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** Kinds that act on categories of data: the request names them and answering records the processing. */
export const ACTING_KINDS: ReadonlySet<RequestKind> = new Set(['change', 'blocking', 'unblocking', 'destruction']);

export const REQUEST_CHANNELS = ['in-person', 'post', 'e-document', 'egov', 'email', 'other'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

/** The last working day to answer, and what it was computed on. */
export interface RequestDeadline {
  /** Local date (YYYY-MM-DD); the whole day counts. */
  readonly date: string;
  readonly workingDays: number;
  /**
   * Where its working days started, the rule in force at receipt (from v3 of received, v2 of re-timed; 'after-receipt'
   * before, the only rule then): a re-timing keeps it, as it keeps `workingDays`.
   */
  readonly firstDay: DeadlineFirstDay;
  /** Whether the calendar years crossed were verified, projected, or not covered (five-day week only). */
  readonly coverage: 'verified' | 'projected' | 'not-covered';
  readonly calendar: { readonly id: string; readonly version: string; readonly fingerprint: string };
}

export interface SubjectRequestReceivedData {
  readonly requestId: string;
  readonly subjectId: string;
  readonly subjectMask: string;
  readonly kind: RequestKind;
  readonly channel: RequestChannel;
  readonly receivedAt: string;
  readonly registeredBy: Actor;
  /** The categories a change, blocking, unblocking or destruction concerns; empty for the other kinds. */
  readonly categories: readonly CategoryRef[];
  /** What the subject asks, in their words: sealed from v2 (SEALED_TEXT_PREFIX). */
  readonly detail: string | null;
  readonly deadline: RequestDeadline;
}

/** Whether an answer came in time; an answer after the deadline is recorded as late, never hidden. */
export interface Timeliness {
  readonly deadline: string;
  readonly late: boolean;
  readonly workingDaysLate: number;
}

export interface SubjectRequestAnsweredData extends Timeliness {
  readonly requestId: string;
  readonly subjectId: string;
  readonly answeredAt: string;
  readonly answeredBy: Actor;
  /** recordIds of the processing the answer carried out (block, destroy... records in this stream). */
  readonly records: readonly string[];
  /** For an information request: the access report given, by language and the SHA-256 of its JSON. */
  readonly report: { readonly language: string; readonly sha256: string } | null;
  /** Sealed from v2 (SEALED_TEXT_PREFIX). */
  readonly note: string | null;
}

export interface SubjectRequestRefusedData extends Timeliness {
  readonly requestId: string;
  readonly subjectId: string;
  readonly refusedAt: string;
  readonly refusedBy: Actor;
  /** Each sealed from v2 (SEALED_TEXT_PREFIX). */
  readonly reasons: readonly string[];
}

export interface SubjectRequestRetimedData {
  readonly requestId: string;
  readonly subjectId: string;
  readonly retimedAt: string;
  readonly previous: RequestDeadline;
  readonly deadline: RequestDeadline;
  readonly reason: string;
}

export const SUBJECT_REQUEST_RECEIVED = 'SubjectRequestReceived' as const;
export const SUBJECT_REQUEST_ANSWERED = 'SubjectRequestAnswered' as const;
export const SUBJECT_REQUEST_REFUSED = 'SubjectRequestRefused' as const;
export const SUBJECT_REQUEST_RETIMED = 'SubjectRequestRetimed' as const;

export type SubjectRequestEvent =
  | { readonly type: typeof SUBJECT_REQUEST_RECEIVED; readonly data: SubjectRequestReceivedData }
  | { readonly type: typeof SUBJECT_REQUEST_ANSWERED; readonly data: SubjectRequestAnsweredData }
  | { readonly type: typeof SUBJECT_REQUEST_REFUSED; readonly data: SubjectRequestRefusedData }
  | { readonly type: typeof SUBJECT_REQUEST_RETIMED; readonly data: SubjectRequestRetimedData };

/**
 * Schema version of each request event. v2 of received and answered seals `detail` and `note`, v2 of refused each of
 * its `reasons` (same shape: v1 events keep their plain text and read as they are). v3 of received and v2 of
 * re-timed record each deadline's `firstDay`.
 */
export const SUBJECT_REQUEST_SCHEMA_VERSIONS: { readonly [T in SubjectRequestEvent['type']]: number } = {
  [SUBJECT_REQUEST_RECEIVED]: 3,
  [SUBJECT_REQUEST_ANSWERED]: 2,
  [SUBJECT_REQUEST_REFUSED]: 2,
  [SUBJECT_REQUEST_RETIMED]: 2,
};

export const SUBJECT_REQUEST_EVENT_TYPES: readonly string[] = [
  SUBJECT_REQUEST_RECEIVED, SUBJECT_REQUEST_ANSWERED, SUBJECT_REQUEST_REFUSED, SUBJECT_REQUEST_RETIMED,
];
