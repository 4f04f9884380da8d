import type { Actor, CategoryRef, Operation, RecipientKind, SourceKind, TransferGroundKind } from './processing-record.events';

/**
 * A processing record after validation: IIN already turned into the subject's pseudonym, categories and purpose
 * resolved to canonical codes, `occurredAt` normalised to UTC. Whether the register allows it is for the decider.
 */
export interface RecordProcessing {
  readonly recordId: string;
  readonly subjectId: string;
  readonly operation: Operation;
  readonly categories: readonly CategoryRef[];
  readonly purpose: { readonly code: string; readonly slug: string };
  readonly actor: Actor;
  readonly system: string;
  readonly occurredAt: string;
  /**
   * Nanoseconds past `occurredAt`'s millisecond as sent (absent for none): orders the records of one batch by the
   * instant given, while the ledger stores and compares milliseconds (not in the event, nor in the record's hash).
   */
  readonly occurredAtSubMillisecond?: number;
  readonly source: { readonly kind: SourceKind; readonly name?: string } | null;
  readonly recipient: { readonly name: string; readonly country: string; readonly kind?: RecipientKind } | null;
  readonly transferGround: { readonly kind: TransferGroundKind; readonly reference: string } | null;
  readonly note: string | null;
  /** Local date before which the subject's report does not show the record. */
  readonly embargoUntil: string | null;
  /** First and last digits of the IIN, e.g. 7**********8. */
  readonly subjectMask: string | null;
  /** Set by the ledger when it carries out a subject request. */
  readonly requestId: string | null;
  /** The source system's own number of the record (consecutive per system from 1), when it numbers them. */
  readonly sourceSequence: number | null;
}
