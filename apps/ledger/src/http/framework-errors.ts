import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LedgerError } from '../ledger-errors';
import { sendError, toErrorBody } from './error.filter';

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
