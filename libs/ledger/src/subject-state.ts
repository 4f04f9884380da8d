import type { CategoryRef, Operation, SubjectEvent } from './processing-record.events';
import type { RequestDeadline, RequestKind } from './subject-requests/subject-request.events';

/** What the ledger knows of one category of a subject's data, as far as the rules need it. */
export interface CategoryState {
  readonly blockedAt: string | null;
  readonly destroyedAt: string | null;
  readonly depersonalizedAt: string | null;
}

/** A request of the subject as far as deciding on it needs. */
export interface RequestState {
  readonly kind: RequestKind;
  readonly status: 'open' | 'answered' | 'refused';
  readonly receivedAt: string;
  readonly subjectMask: string;
  readonly categories: readonly CategoryRef[];
  readonly deadline: RequestDeadline;
  readonly closedAt: string | null;
}

/** A subject's state for deciding on new records and requests: only categories the ledger has seen. */
export interface SubjectState {
  readonly categories: ReadonlyMap<number, CategoryState>;
  readonly requests: ReadonlyMap<string, RequestState>;
}

export const initialSubjectState: SubjectState = { categories: new Map(), requests: new Map() };

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
      return { categories, requests: state.requests };
    }
    case 'SubjectFileRead':
      return state;
    case 'SubjectRequestReceived': {
      const { requestId, kind, receivedAt, subjectMask, categories, deadline } = event.data;
      const request: RequestState = { kind, status: 'open', receivedAt, subjectMask, categories, deadline, closedAt: null };
      return withRequest(state, requestId, request);
    }
    case 'SubjectRequestAnswered':
      return updateRequest(state, event.data.requestId, (r) => ({ ...r, status: 'answered', closedAt: event.data.answeredAt }));
    case 'SubjectRequestRefused':
      return updateRequest(state, event.data.requestId, (r) => ({ ...r, status: 'refused', closedAt: event.data.refusedAt }));
    case 'SubjectRequestRetimed':
      return updateRequest(state, event.data.requestId, (r) => ({ ...r, deadline: event.data.deadline }));
    case 'SubjectDataKeyDestroyed':
      // Destroys texts, not data categories: which categories were destroyed is told by `destroy` records.
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

function withRequest(state: SubjectState, requestId: string, request: RequestState): SubjectState {
  const requests = new Map(state.requests);
  requests.set(requestId, request);
  return { categories: state.categories, requests };
}

function updateRequest(state: SubjectState, requestId: string, change: (r: RequestState) => RequestState): SubjectState {
  const request = state.requests.get(requestId);
  return request ? withRequest(state, requestId, change(request)) : state;
}
