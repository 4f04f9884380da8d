import type { Actor, Operation, ProcessingRecorded } from '../processing-record.events';
import { derivedUuid } from '../derived-uuid';
import { decide, type DecideContext } from '../processing-record.decider';
import type { RequestState, SubjectState } from '../subject-state';
import { SUBJECT_RIGHTS_PURPOSE } from '../subject-rights-purpose';
import {
  ACTING_KINDS,
  SUBJECT_REQUEST_ANSWERED,
  SUBJECT_REQUEST_RECEIVED,
  SUBJECT_REQUEST_REFUSED,
  SUBJECT_REQUEST_RETIMED,
  type SubjectRequestReceivedData,
  type RequestDeadline,
  type RequestKind,
  type SubjectRequestEvent,
  type Timeliness,
} from './subject-request.events';

export type SubjectRequestErrorCode =
  | 'request_exists' | 'request_not_found' | 'request_closed' | 'categories_required' | 'categories_not_allowed';

/** A request the subject's state does not allow; the message says why. */
export class SubjectRequestError extends Error {
  override readonly name = 'SubjectRequestError';
  constructor(readonly code: SubjectRequestErrorCode, message: string, readonly field?: string) {
    super(message);
  }
}

/** A request as received: exactly what SubjectRequestReceived records. */
export type ReceiveRequest = SubjectRequestReceivedData;

export interface AnswerRequest {
  readonly requestId: string;
  readonly subjectId: string;
  readonly answeredAt: string;
  readonly answeredBy: Actor;
  readonly report: { readonly language: string; readonly sha256: string } | null;
  readonly note: string | null;
}

export interface RefuseRequest {
  readonly requestId: string;
  readonly subjectId: string;
  readonly refusedAt: string;
  readonly refusedBy: Actor;
  readonly reasons: readonly string[];
}

/** How late an answer on a local date is for a deadline: working days, from the working-day calendar. */
export type Lateness = (deadline: string, answeredOn: string) => number;

/** What each acting kind of request does to the categories it names. */
const OPERATION_OF: Partial<Record<RequestKind, Operation>> = {
  change: 'change', blocking: 'block', unblocking: 'unblock', destruction: 'destroy',
};

export function decideReceive(command: ReceiveRequest, state: SubjectState): SubjectRequestEvent[] {
  if (state.requests.has(command.requestId)) {
    throw new SubjectRequestError('request_exists', `request ${command.requestId} was already received`, 'requestId');
  }
  if (ACTING_KINDS.has(command.kind) && command.categories.length === 0) {
    throw new SubjectRequestError('categories_required', `a ${command.kind} request must name the categories it concerns`, 'categories');
  }
  if (!ACTING_KINDS.has(command.kind) && command.categories.length > 0) {
    throw new SubjectRequestError('categories_not_allowed', `a ${command.kind} request concerns all the subject's data; do not name categories`, 'categories');
  }
  return [{ type: SUBJECT_REQUEST_RECEIVED, data: { ...command } }];
}

/**
 * Answers an open request. A change, blocking, unblocking or destruction request is carried out in the same
 * append: one processing record for its categories, with the request's id, so that the history shows the cause.
 */
export function decideAnswer(
  command: AnswerRequest, state: SubjectState, context: DecideContext & { readonly lateness: Lateness; readonly answeredOn: string },
): (SubjectRequestEvent | ProcessingRecorded)[] {
  const request = openRequest(state, command.requestId);
  const operation = OPERATION_OF[request.kind];
  const records = operation ? decide({
    recordId: derivedUuid(`${command.requestId}/${operation}`),
    subjectId: command.subjectId,
    operation,
    categories: request.categories,
    purpose: { code: SUBJECT_RIGHTS_PURPOSE.code, slug: SUBJECT_RIGHTS_PURPOSE.slug },
    actor: command.answeredBy,
    system: 'derbes',
    occurredAt: command.answeredAt,
    source: null,
    recipient: null,
    transferGround: null,
    note: null,
    embargoUntil: null,
    subjectMask: request.subjectMask,
    requestId: command.requestId,
    sourceSequence: null,
  }, state, context) : [];
  const answered: SubjectRequestEvent = {
    type: SUBJECT_REQUEST_ANSWERED,
    data: {
      ...command,
      ...timeliness(request, context.answeredOn, context.lateness),
      records: records.map((r) => r.data.recordId),
    },
  };
  return [...records, answered];
}

export function decideRefuse(
  command: RefuseRequest, state: SubjectState, context: { readonly lateness: Lateness; readonly refusedOn: string },
): SubjectRequestEvent[] {
  const request = openRequest(state, command.requestId);
  return [{ type: SUBJECT_REQUEST_REFUSED, data: { ...command, ...timeliness(request, context.refusedOn, context.lateness) } }];
}

/** Moves an open request's deadline when a corrected calendar gives another date; nothing when it does not. */
export function decideRetime(
  requestId: string, subjectId: string, deadline: RequestDeadline, retimedAt: string, reason: string, state: SubjectState,
): SubjectRequestEvent[] {
  const request = state.requests.get(requestId);
  if (!request || request.status !== 'open' || request.deadline.date === deadline.date) return [];
  return [{ type: SUBJECT_REQUEST_RETIMED, data: { requestId, subjectId, retimedAt, previous: request.deadline, deadline, reason } }];
}

function openRequest(state: SubjectState, requestId: string): RequestState {
  const request = state.requests.get(requestId);
  if (!request) throw new SubjectRequestError('request_not_found', `no request ${requestId} for this subject`);
  if (request.status !== 'open') {
    throw new SubjectRequestError('request_closed', `request ${requestId} was already ${request.status} at ${request.closedAt}`);
  }
  return request;
}

function timeliness(request: RequestState, closedOn: string, lateness: Lateness): Timeliness {
  const workingDaysLate = lateness(request.deadline.date, closedOn);
  return { deadline: request.deadline.date, late: closedOn > request.deadline.date, workingDaysLate };
}
