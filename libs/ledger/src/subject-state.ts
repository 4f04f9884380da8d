import type { CategoryRef, Operation, SubjectEvent } from './processing-record.events';
import type { RequestDeadline, RequestKind } from './subject-requests/subject-request.events';

/** An operation that changes what may be done with a category afterwards. */
export type MarkOperation = Extract<Operation, 'block' | 'unblock' | 'destroy' | 'depersonalize'>;

/**
 * A record that changes a category's status: a block, unblock, destroy or depersonalize, or a collect (which starts
 * the category anew after a destruction or depersonalization). When it happened and what it did.
 */
export interface CategoryMark {
  readonly operation: MarkOperation | 'collect';
  /** The record's occurredAt as stored. */
  readonly at: string;
  /** The same instant in ms since the epoch, for ordering and comparing. */
  readonly time: number;
}

/**
 * What the ledger knows of one category of a subject's data, as far as the rules need it: its marks in occurredAt
 * order (marks of one instant in log order). A record is judged on the marks in force when it happened, not on those
 * that reached the ledger before it: systems report late, and a record of February that arrives after a destruction
 * in March was not processing of destroyed data.
 */
export interface CategoryState {
  readonly marks: readonly CategoryMark[];
}

/** A category's status at an instant: since when it has been blocked, destroyed and depersonalized, or null. */
export interface CategoryStatus {
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

const UNMARKED: CategoryState = { marks: [] };

/**
 * The category's status at `time` (ms; the latest known when omitted): its marks up to and including that instant,
 * in order. Blocking holds until an unblock or a destruction; the first destruction and depersonalization count.
 * A collection after a destruction or depersonalization is new data (an employee hired again): from then on the
 * category is neither destroyed nor depersonalized until it is again. `collectStartsAnew: false` is the rule before
 * that (access reports of schema version 3 and older were made with it), kept only to check those reports.
 */
export function categoryStatusAt(category: CategoryState | undefined, time = Number.POSITIVE_INFINITY, collectStartsAnew = true): CategoryStatus {
  let blockedAt: string | null = null;
  let destroyedAt: string | null = null;
  let depersonalizedAt: string | null = null;
  for (const mark of category?.marks ?? []) {
    if (mark.time > time) break;
    switch (mark.operation) {
      case 'block': blockedAt ??= mark.at; break;
      case 'unblock': blockedAt = null; break;
      case 'destroy': destroyedAt ??= mark.at; blockedAt = null; break;
      case 'depersonalize': depersonalizedAt ??= mark.at; break;
      case 'collect':
        if (collectStartsAnew) {
          destroyedAt = null;
          depersonalizedAt = null;
        }
        break;
    }
  }
  return { blockedAt, destroyedAt, depersonalizedAt };
}

function isMark(operation: Operation): operation is MarkOperation | 'collect' {
  return operation === 'block' || operation === 'unblock' || operation === 'destroy' || operation === 'depersonalize' || operation === 'collect';
}

export function evolve(state: SubjectState, event: SubjectEvent): SubjectState {
  switch (event.type) {
    case 'ProcessingRecorded': {
      const { operation, occurredAt } = event.data;
      // Reading, changing and transferring leave what may be done with the data as it was. Every collect is kept,
      // not only those after a destruction: a destruction reported late may fall before one.
      if (!isMark(operation)) return state;
      const time = Date.parse(occurredAt);
      if (Number.isNaN(time)) throw new RangeError(`record ${event.data.recordId}: occurredAt is not an instant: ${occurredAt}`);
      const categories = new Map(state.categories);
      for (const { number } of event.data.categories) {
        categories.set(number, withMark(categories.get(number) ?? UNMARKED, { operation, at: occurredAt, time }));
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

/** The category with the mark in its place: after every mark of an earlier or the same instant. */
function withMark(before: CategoryState, mark: CategoryMark): CategoryState {
  let i = before.marks.length;
  while (i > 0 && (before.marks[i - 1] as CategoryMark).time > mark.time) i--;
  return { marks: [...before.marks.slice(0, i), mark, ...before.marks.slice(i)] };
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
