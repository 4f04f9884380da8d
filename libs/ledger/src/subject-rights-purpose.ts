import type { RecordProcessing } from './processing-record.command';

/**
 * The purpose of processing that carries out a data subject's request: changing, blocking, unblocking or destroying
 * their data because they asked (Law 94-V, Arts. 24-25). Not one of an order's purposes, so the ledger names it;
 * only records the ledger makes itself for a request carry it, and only those are not flagged for it.
 */
export const SUBJECT_RIGHTS_PURPOSE = {
  code: 'SUBJECT-RIGHTS',
  slug: 'subject-rights',
  /** Cited, not a register act code: the statute itself. */
  legalBasis: ['LAW-94-V-ART-24-25'],
} as const;

/** Who reads when the data subject opens their own access report with their link: the person, not a member of staff. */
export const DATA_SUBJECT_READER = { id: 'data-subject', role: 'data-subject', unit: 'self' } as const;

/** Whether an actor is DATA_SUBJECT_READER: the whole actor, since an API key's holder may bear any id. */
export function isDataSubjectReader(actor: { readonly id: string; readonly role: string; readonly unit: string }): boolean {
  return actor.id === DATA_SUBJECT_READER.id && actor.role === DATA_SUBJECT_READER.role && actor.unit === DATA_SUBJECT_READER.unit;
}

/**
 * Names the ledger records for itself: the data subject reading their own report, and `derbes`, the ledger's own
 * code (the system of the records it makes carrying out a subject's request). No API key may be named so (in any
 * case): its holder's acts would be recorded under the ledger's or the subject's name.
 */
export const RESERVED_ACTOR_IDS: readonly string[] = [DATA_SUBJECT_READER.id, 'derbes'];

/**
 * The codes of who acted that only the ledger records: the data subject's (DATA_SUBJECT_READER's id, role and unit)
 * and the ledger's own (`derbes`). Their built-in names read "the data subject themself", "the Derbes ledger": an
 * emitting system's record bearing one would show its processing in the subject's report and on the console as
 * done by the person, or by the ledger. Compared ignoring case, as key names are.
 */
export const RESERVED_ACTOR_CODES: { readonly [F in 'id' | 'role' | 'unit']: readonly string[] } = {
  id: RESERVED_ACTOR_IDS,
  role: [DATA_SUBJECT_READER.role],
  unit: [DATA_SUBJECT_READER.unit, 'derbes'],
};

/** Whether `code`, as an actor's `field`, is one the ledger records for itself (RESERVED_ACTOR_CODES). */
export function isReservedActorCode(field: keyof typeof RESERVED_ACTOR_CODES, code: string): boolean {
  return RESERVED_ACTOR_CODES[field].includes(code.toLowerCase());
}

export function isSubjectRightsRecord(command: Pick<RecordProcessing, 'purpose' | 'requestId'>): boolean {
  return command.purpose.code === SUBJECT_RIGHTS_PURPOSE.code && command.requestId !== null;
}
