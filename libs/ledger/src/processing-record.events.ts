import type { SubjectRequestEvent } from './subject-requests/subject-request.events';

/**
 * Events of a subject's stream about the processing of their personal data. JSON-only data; immutable once
 * appended. A change of shape adds a schema version and an upcaster; stored events are never rewritten.
 */

export const OPERATIONS = [
  'collect',
  'access',
  'change',
  'transfer',
  'block',
  'unblock',
  'depersonalize',
  'destroy',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Where collected data came from. */
export const SOURCE_KINDS = ['subject', 'state-database', 'third-party'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Who received transferred data: a body or company, or a natural person (whose name is itself personal data). */
export const RECIPIENT_KINDS = ['organization', 'person'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

/** Grounds for a transfer abroad besides an adequate country (Law 94-V, Art. 16). */
export const TRANSFER_GROUND_KINDS = ['consent', 'treaty'] as const;
export type TransferGroundKind = (typeof TRANSFER_GROUND_KINDS)[number];

export const VIOLATION_CODES = [
  'no-register-in-force',
  'category-not-in-register',
  'purpose-not-in-register',
  'purpose-not-approved-for-category',
  'category-destroyed',
  'category-depersonalized',
  'blocked-data-processed',
  'cross-border-without-ground',
] as const;
export type ViolationCode = (typeof VIOLATION_CODES)[number];

export interface Violation {
  readonly code: ViolationCode;
  /** The category concerned, where the rule is about one. */
  readonly category?: number;
  /**
   * v5, for the state reasons (category-destroyed, category-depersonalized, blocked-data-processed): when the category
   * was destroyed, depersonalized or blocked (ISO 8601 as recorded). Read from `detail` for earlier events; null where
   * that text does not give it.
   */
  readonly since?: string | null;
  /** The reason in English words, as the rules wrote it when recording; reports word its facts in the reader's language. */
  readonly detail: string;
}

export interface CategoryRef {
  readonly number: number;
  readonly slug: string;
}

export interface Actor {
  readonly id: string;
  readonly role: string;
  readonly unit: string;
}

/**
 * Text that could identify a person beyond the pseudonym is stored sealed from v3 on: encrypted with the subject's
 * data key, so that destroying the key (crypto-shredding) leaves the event readable as metadata and its text not at
 * all. A sealed value is still a string and is recognised by this prefix (`sealed:v1:<keyVersion>:<base64url>`);
 * anything else is plain text, as every such field of v1 and v2 events is. Sealed in ProcessingRecorded: `note`,
 * `source.name` of a third party, `recipient.name` of a person, `transferGround.reference`; in the request events:
 * `detail` (received), `note` (answered) and each of `reasons` (refused). Only the ledger's application layer seals
 * and opens them.
 */
export const SEALED_TEXT_PREFIX = 'sealed:';

export interface ProcessingRecordedData {
  readonly recordId: string;
  readonly subjectId: string;
  readonly operation: Operation;
  readonly categories: readonly CategoryRef[];
  readonly purpose: { readonly code: string; readonly slug: string; readonly clause: number | null };
  /** The register in force at `occurredAt`, or null when there was none. */
  readonly register: { readonly id: string; readonly version: number; readonly order: string } | null;
  /** Codes of the legal acts grounding the purpose in the register named by `register` (titles are there). */
  readonly legalBasis: readonly string[];
  readonly actor: Actor;
  readonly system: string;
  readonly occurredAt: string;
  /** `name` sealed (v3) when `kind` is third-party. */
  readonly source: { readonly kind: SourceKind; readonly name?: string } | null;
  /** v3: `kind` (absent before: an organization); `name` sealed when the recipient is a person. */
  readonly recipient: { readonly name: string; readonly country: string; readonly kind?: RecipientKind } | null;
  readonly crossBorder: boolean;
  /** `reference` sealed (v3): consent and treaty documents name the person. */
  readonly transferGround: { readonly kind: TransferGroundKind; readonly reference: string } | null;
  /** Sealed (v3). */
  readonly note: string | null;
  readonly violations: readonly Violation[];
  /** v2: local date (YYYY-MM-DD) before which the subject's own report does not show the record (an investigation). */
  readonly embargoUntil: string | null;
  /** v2: the subject's IIN masked to its first and last digits, for their report; null in v1 events. */
  readonly subjectMask: string | null;
  /** v2: the subject request this record carries out (blocking, destruction...), or null. */
  readonly requestId: string | null;
  /** v4: the source system's number of the record (consecutive per system from 1), or null when it sent none. */
  readonly sourceSequence: number | null;
}

export const PROCESSING_RECORDED = 'ProcessingRecorded' as const;
/**
 * v1 had no embargoUntil, subjectMask or requestId (read as null). v3 seals the texts named at SEALED_TEXT_PREFIX
 * and adds `recipient.kind`; v2 events keep their plain text and read as they are. v4 adds `sourceSequence` (read
 * as null before). v5 gives the state violations (destroyed, depersonalized, blocked data) their `since`, which v4
 * and earlier wrote only inside `detail`.
 */
export const PROCESSING_RECORDED_SCHEMA_VERSION = 5;

export interface ProcessingRecorded {
  readonly type: typeof PROCESSING_RECORDED;
  readonly data: ProcessingRecordedData;
}

export const SUBJECT_FILE_READ = 'SubjectFileRead' as const;
export const SUBJECT_FILE_READ_SCHEMA_VERSION = 1;

/**
 * Somebody read this subject's file through the ledger (their history, inventory or events): itself an access to
 * personal data, recorded so that the subject sees who looked. It is not a processing record: it touches no
 * category's data, so it is never flagged against blocked or destroyed data and leaves the inventory as it was.
 */
export interface SubjectFileReadData {
  readonly readId: string;
  readonly subjectId: string;
  /** Which view was read, e.g. `GET /v1/subjects/{subjectId}/history`. */
  readonly view: string;
  /** The categories the answer mentioned. */
  readonly categories: readonly CategoryRef[];
  /** The purpose the reader stated: a register purpose, or OVERSIGHT. */
  readonly purpose: { readonly code: string; readonly slug: string };
  readonly actor: Actor;
  readonly occurredAt: string;
}

export interface SubjectFileRead {
  readonly type: typeof SUBJECT_FILE_READ;
  readonly data: SubjectFileReadData;
}

export const SUBJECT_DATA_KEY_DESTROYED = 'SubjectDataKeyDestroyed' as const;
export const SUBJECT_DATA_KEY_DESTROYED_SCHEMA_VERSION = 1;

/**
 * The subject's data key was destroyed (Law 94-V, Art. 18: a destruction request answered, or the end of the storage
 * period): every text sealed with it is unreadable from then on, while the events stay as metadata. A record that
 * arrives later is new processing and is sealed with a fresh key.
 */
export interface SubjectDataKeyDestroyedData {
  readonly subjectId: string;
  readonly destroyedAt: string;
  /** Why, in words (a destruction request's id, the storage period ended...); never names the person. */
  readonly reason: string;
  readonly by: Actor;
}

export interface SubjectDataKeyDestroyed {
  readonly type: typeof SUBJECT_DATA_KEY_DESTROYED;
  readonly data: SubjectDataKeyDestroyedData;
}

/** Every event of a subject's stream. */
export type SubjectEvent = ProcessingRecorded | SubjectFileRead | SubjectRequestEvent | SubjectDataKeyDestroyed;

/** Metadata stored beside each event. */
export interface EventMetadata {
  readonly schemaVersion: number;
  readonly recordedAt: string;
  readonly correlationId: string;
  /** SHA-256 of the normalised record: a repeated recordId with another body is told apart by it. */
  readonly requestHash: string;
}
