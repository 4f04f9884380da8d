import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LedgerError } from '../ledger-errors';
import { sendError, toErrorBody, type ErrorBody } from './error.filter';

const logger = new Logger('http');

/**
 * The errors Fastify's router answers before any hook or Nest handler runs: a malformed percent-encoding in the
 * path (FST_ERR_BAD_URL) or a path parameter over its length limit (FST_ERR_MAX_PARAM_LENGTH). By default Fastify
 * answers them in its own shape, without a correlation id, and echoes the path, which may hold what a client
 * misplaced there (an IIN); here they get the one error shape and the path is not repeated.
 */
export function frameworkError(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply): void {
  const correlationId = String(request.id);
  void reply.header('x-correlation-id', correlationId);
  const exception = error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? LedgerError.invalid([{ field: '(url)', reason: error.code === 'FST_ERR_BAD_URL' ? 'is not a valid URL: a malformed percent-encoding' : 'has a path segment longer than 100 characters' }])
    : error;
  sendError(reply, toErrorBody(exception, correlationId), exception, request, logger);
}

/**
 * The errors Node's HTTP parser meets before there is a request at all: Content-Length together with
 * Transfer-Encoding, a malformed header name, headers over Node's size limit (431), a request not received in time
 * (408). Fastify answers them in a shape of its own, without code or correlation id; here they get the one error
 * shape, written to the socket (there is no reply object), with a fresh correlation id: the client's own is in the
 * request that did not parse. The parser's code (HPE_...) says what was wrong; nothing of the request is echoed.
 */
export function clientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const correlationId = randomUUID();
  const what = error.code ? ` (${error.code})` : '';
  const body: ErrorBody = error.code === 'HPE_HEADER_OVERFLOW'
    ? { statusCode: 431, error: STATUS_CODES[431] as string, code: 'header_too_large', message: "the request's headers are larger than the server takes", errors: [{ field: '(headers)', reason: 'are too large' }], correlationId }
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? { statusCode: 408, error: STATUS_CODES[408] as string, code: 'request_timeout', message: 'the request did not arrive in time', errors: [], correlationId }
      : { statusCode: 400, error: STATUS_CODES[400] as string, code: 'invalid_request', message: `(request): is not a well-formed HTTP/1.1 request${what}`, errors: [{ field: '(request)', reason: `is not a well-formed HTTP/1.1 request${what}` }], correlationId };
  // As Node's own handler: never write into a response already under way on this connection.
  const inFlight = (socket as Socket & { _httpMessage?: { _headerSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?._headerSent) {
    const json = JSON.stringify(body);
    socket.write(`HTTP/1.1 ${body.statusCode} ${body.error}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(json)}\r\n`
      + `x-correlation-id: ${correlationId}\r\nconnection: close\r\n\r\n${json}`);
  }
  socket.destroy(error);
}
