import type { Operation } from '@derbes/ledger';

/** What the inventory keeps of one category of one subject (timestamps are canonical UTC ISO text). */
export interface CategoryInventoryState {
  /** Whether the latest record in time shows the data held; see `holdsAfter`. Shown only once `emitted`. */
  readonly held: boolean;
  /**
   * Whether a record of an emitting system names the category. Until one does, only the ledger's own records of
   * carrying out the subject's requests do (a blocking they asked for, say): they tell that the subject asked, not
   * that the body holds such data of theirs, so the inventory shows its holding as not known.
   */
  readonly emitted: boolean;
  /** occurredAt and log position of the record that decided `held`. */
  readonly heldBy: { readonly at: string; readonly position: number };
  readonly firstProcessedAt: string;
  readonly lastProcessedAt: string;
  readonly lastChangedAt: string | null;
  /**
   * occurredAt and log position of the latest collect in time, or null: a collect after a destruction or
   * depersonalization starts the category anew (categoryStatusAt), and for the status now only the latest one counts.
   */
  readonly lastCollectedBy: { readonly at: string; readonly position: number } | null;
}

/**
 * "Known to be held": every operation but destroy and depersonalize shows that the operator had the data when it
 * happened (one cannot access, change, transfer or block what one does not hold; blocked data is still held, only
 * its processing is suspended), while destroy and depersonalize end the holding of it as personal data.
 */
export function holdsAfter(operation: Operation): boolean {
  switch (operation) {
    case 'collect':
    case 'access':
    case 'change':
    case 'transfer':
    case 'block':
    case 'unblock':
      return true;
    case 'destroy':
    case 'depersonalize':
      return false;
    default: {
      const unknown: never = operation;
      throw new Error(`unknown operation ${String(unknown)}`);
    }
  }
}

/**
 * The category's inventory after one more record. `held` follows the record latest in time (occurredAt, then log
 * position), so a late-reported access that happened before a destruction does not make destroyed data held again,
 * while a record after it does (that record is flagged, and the inventory shows both). The blocked, destroyed and
 * depersonalized marks are not folded here: the projection keeps each block, unblock, destroy and depersonalize
 * record, and the query reads them with the decider's own rule (categoryStatusAt), so that they agree with the
 * violations it flagged.
 */
export function evolveCategoryInventory(
  before: CategoryInventoryState | undefined,
  operation: Operation,
  at: string,
  position: number,
  /** Whether the record is an emitting system's, not the ledger's own record of a subject's request (isSubjectRightsRecord). */
  emitted: boolean,
): CategoryInventoryState {
  const base: CategoryInventoryState = before ?? {
    held: holdsAfter(operation),
    emitted,
    heldBy: { at, position },
    firstProcessedAt: at,
    lastProcessedAt: at,
    lastChangedAt: null,
    lastCollectedBy: null,
  };
  // Log positions only grow, so an equal occurredAt goes to the record applied now.
  const decides = at >= base.heldBy.at;
  return {
    ...base,
    held: decides ? holdsAfter(operation) : base.held,
    heldBy: decides ? { at, position } : base.heldBy,
    emitted: base.emitted || emitted,
    firstProcessedAt: at < base.firstProcessedAt ? at : base.firstProcessedAt,
    lastProcessedAt: at > base.lastProcessedAt ? at : base.lastProcessedAt,
    lastChangedAt: operation === 'change' && (base.lastChangedAt === null || at > base.lastChangedAt) ? at : base.lastChangedAt,
    lastCollectedBy: operation === 'collect' && (base.lastCollectedBy === null || at >= base.lastCollectedBy.at) ? { at, position } : base.lastCollectedBy,
  };
}
