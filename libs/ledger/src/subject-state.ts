import type { Operation, SubjectEvent } from './processing-record.events';

/** What the ledger knows of one category of a subject's data, as far as the rules need it. */
export interface CategoryState {
  readonly blockedAt: string | null;
  readonly destroyedAt: string | null;
  readonly depersonalizedAt: string | null;
}

/** A subject's state for deciding on new records: per category, only categories the ledger has seen. */
export interface SubjectState {
  readonly categories: ReadonlyMap<number, CategoryState>;
}

export const initialSubjectState: SubjectState = { categories: new Map() };

const FRESH: CategoryState = { blockedAt: null, destroyedAt: null, depersonalizedAt: null };

export function evolve(state: SubjectState, event: SubjectEvent): SubjectState {
  switch (event.type) {
    case 'ProcessingRecorded': {
      const { operation, occurredAt } = event.data;
      const categories = new Map(state.categories);
      for (const { number } of event.data.categories) {
        const before = categories.get(number) ?? FRESH;
        categories.set(number, nextCategoryState(before, operation, occurredAt));
      }
      return { categories };
    }
    case 'SubjectFileRead':
      return state;
    default: {
      const unknown: never = event;
      throw new Error(`unknown subject event ${String((unknown as { type: string }).type)}`);
    }
  }
}

function nextCategoryState(before: CategoryState, operation: Operation, at: string): CategoryState {
  switch (operation) {
    case 'block':
      return before.blockedAt ? before : { ...before, blockedAt: at };
    case 'unblock':
      return { ...before, blockedAt: null };
    case 'destroy':
      return before.destroyedAt ? before : { ...before, destroyedAt: at, blockedAt: null };
    case 'depersonalize':
      return before.depersonalizedAt ? before : { ...before, depersonalizedAt: at };
    case 'collect':
    case 'access':
    case 'change':
    case 'transfer':
      return before;
    default: {
      const unknown: never = operation;
      throw new Error(`unknown operation ${String(unknown)}`);
    }
  }
}
