import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StoreUnavailableError } from '@derbes/event-store';
import { redactIins } from '@derbes/ledger';
import { LedgerError, type FieldError, type LedgerErrorCode } from '../ledger-errors';
import { ReadRecordedError } from '../subjects/read-recorded.error';

const STATUS: Record<LedgerErrorCode, number> = {
  invalid_request: HttpStatus.BAD_REQUEST,
  record_id_conflict: HttpStatus.CONFLICT,
  event_id_conflict: HttpStatus.CONFLICT,
  subject_not_found: HttpStatus.NOT_FOUND,
  no_register_in_force: HttpStatus.NOT_FOUND,
  concurrency_exhausted: HttpStatus.SERVICE_UNAVAILABLE,
  store_unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  projection_behind: HttpStatus.CONFLICT,
  projection_building: HttpStatus.SERVICE_UNAVAILABLE,
  shutting_down: HttpStatus.SERVICE_UNAVAILABLE,
  request_exists: HttpStatus.CONFLICT,
  request_not_found: HttpStatus.NOT_FOUND,
  event_not_found: HttpStatus.NOT_FOUND,
  tree_head_not_found: HttpStatus.NOT_FOUND,
  key_not_found: HttpStatus.NOT_FOUND,
  request_closed: HttpStatus.CONFLICT,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  unsupported_media_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  // That form of the answer cannot be made here; another can (JSON, HTML). Not a 503: asking again fails again.
  report_too_large: HttpStatus.NOT_ACCEPTABLE,
};

/** The one error shape of the API (documented in the README): never a stack trace, always a code and a message. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly code: string;
  readonly message: string;
  readonly errors: readonly FieldError[];
  readonly correlationId: string;
}

const HTTP_CODES: Record<number, string> = {
  400: 'invalid_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = toErrorBody(exception, String(request.id));
    sendError(reply, body, exception, request, this.logger);
  }
}

/**
 * A store that cannot take writes (a full disk) refuses every write at once: one line for each would fill the log,
 * on that same disk perhaps. The first refusal is logged, then one line at most every STORE_REFUSALS_EVERY_MS
 * saying how many there were between.
 */
export const STORE_REFUSALS_EVERY_MS = 10_000;
const storeRefusals = { loggedAt: -Infinity, unlogged: 0 };

function logStoreRefusal(now: number): { readonly log: boolean; readonly between: number } {
  if (now - storeRefusals.loggedAt < STORE_REFUSALS_EVERY_MS) {
    storeRefusals.unlogged++;
    return { log: false, between: 0 };
  }
  const between = storeRefusals.unlogged;
  storeRefusals.loggedAt = now;
  storeRefusals.unlogged = 0;
  return { log: true, between };
}

/** Sends the error shape; logs server-side failures by route only (never the URL or body, which may hold an IIN). */
export function sendError(reply: FastifyReply, body: ErrorBody, exception: unknown, request: FastifyRequest, logger: Logger, now = performance.now()): void {
  // A failure after a recorded read is always logged: its line names the read that the answer could not show.
  const refusal = body.code === 'store_unavailable' && !(exception instanceof ReadRecordedError) ? logStoreRefusal(now) : null;
  if (body.statusCode >= 500 && refusal?.log !== false) {
    // Logged without any IIN the message may quote, as answers are (toErrorBody).
    const what = redactIins(exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception));
    // A read model still being built first is a state the answer names (503, retry), not a failure of the server.
    const expected = exception instanceof LedgerError && (exception.code === 'projection_building' || exception.code === 'shutting_down');
    const between = refusal && refusal.between > 0 ? ` (${refusal.between} more refused by the store since the last such line)` : '';
    logger[expected ? 'warn' : 'error'](`${request.method} ${request.routeOptions?.url ?? '?'} ${expected ? 'answered 503' : 'failed'}: ${what}${between}`);
  }
  if (body.statusCode === 503) void reply.header('retry-after', '1');
  if (body.statusCode === 401) void reply.header('www-authenticate', 'Bearer realm="derbes"');
  if (exception instanceof LedgerError && exception.retryAfterSeconds !== undefined) void reply.header('retry-after', String(exception.retryAfterSeconds));
  void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
}

/**
 * Maps anything thrown to the error shape. Its texts may quote what the client sent (an unknown category or key, a
 * parser's snippet), which may be an IIN: each one is masked, so that no body echoes it. Its list of errors is
 * cut short (see shownErrors).
 */
export function toErrorBody(exception: unknown, correlationId: string): ErrorBody {
  const body = errorBody(exception, correlationId);
  return { ...body, message: redactIins(body.message), errors: shownErrors(body.errors) };
}

/**
 * How many field errors one answer lists: a body of 350,000 unknown keys was answered with as many (18 MB, 6.6 s).
 * The first ones say what is wrong; the message still counts them all.
 */
export const MAX_LISTED_ERRORS = 100;

/**
 * Field errors as an answer shows them: the first MAX_LISTED_ERRORS, then one entry in the same shape saying how
 * many more there were, each with any IIN in its field name and reason masked (see redactIins).
 */
export function shownErrors(errors: readonly FieldError[]): FieldError[] {
  const listed = errors.slice(0, MAX_LISTED_ERRORS).map((e) => ({ ...e, field: redactIins(e.field), reason: redactIins(e.reason) }));
  const more = errors.length - listed.length;
  return more > 0 ? [...listed, { field: '(more)', reason: `${more} more ${more === 1 ? 'error' : 'errors'}, not listed` }] : listed;
}

function errorBody(exception: unknown, correlationId: string): ErrorBody {
  if (exception instanceof ReadRecordedError) return afterReadBody(exception, correlationId);
  if (exception instanceof LedgerError) {
    const statusCode = STATUS[exception.code];
    return { statusCode, error: reason(statusCode), code: exception.code, message: exception.message, errors: exception.errors, correlationId };
  }
  if (exception instanceof StoreUnavailableError) {
    return { statusCode: 503, error: reason(503), code: 'store_unavailable', message: 'the event store cannot take writes now; nothing was recorded', errors: [], correlationId };
  }
  const statusCode = statusOf(exception);
  if (statusCode >= 500) {
    return { statusCode: 500, error: reason(500), code: 'internal_error', message: 'internal error: the request may have been carried out in part or whole; repeating it (with the same recordId or requestId) answers what the ledger holds', errors: [], correlationId };
  }
  // A 404's default message repeats the URL, which must not be echoed (it might hold what a client misplaced there).
  const message = statusCode === 404 ? 'no such route' : exception instanceof HttpException ? httpMessage(exception) : (exception as Error).message;
  return { statusCode, error: reason(statusCode), code: HTTP_CODES[statusCode] ?? 'client_error', message, errors: [], correlationId };
}

/**
 * A failure after a read of a person's file was recorded: the cause's status (503 store_unavailable for a store that
 * cannot write, a LedgerError's own, else 500 internal_error), but a message that says the read is in the log, by
 * its event id, never "nothing was recorded".
 */
function afterReadBody(exception: ReadRecordedError, correlationId: string): ErrorBody {
  const cause = errorBody(exception.cause, correlationId);
  const why = afterReadCause(exception);
  const message = cause.statusCode >= 500 ? `${exception.saying(why)}; ask again (that records another read)` : exception.saying(why);
  return { ...cause, message };
}

/** What an answer may tell of why the work after a recorded read failed (never an internal error's own text). */
export function afterReadCause(exception: ReadRecordedError): string {
  return exception.cause instanceof LedgerError ? exception.cause.message
    : exception.cause instanceof StoreUnavailableError ? 'the event store cannot take writes now'
      : 'internal error (logged)';
}

/** Fastify's own errors (bad JSON, body too large, wrong content type) carry a statusCode. */
function statusOf(exception: unknown): number {
  if (exception instanceof HttpException) return exception.getStatus();
  const status = (exception as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

function httpMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
}

function reason(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 409: 'Conflict', 413: 'Payload Too Large',
    415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
  };
  return names[status] ?? 'Error';
}
