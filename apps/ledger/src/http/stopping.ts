import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LedgerError } from '../ledger-errors';
import { sendError, toErrorBody } from './error.filter';

const logger = new Logger('http');

/**
 * From the moment the server starts to stop (SIGTERM: Nest closes Fastify), a request that still arrives on an open
 * connection is answered 503 `shutting_down` in the one error shape, with Retry-After, and its connection closed:
 * Fastify's own answer (return503OnClosing, turned off in create-app.ts) has neither code nor correlation id.
 */
export function answerWhileStopping(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!closing) return;
    void reply.header('connection', 'close');
    const stopping = new LedgerError('shutting_down', 'the ledger is stopping; nothing was recorded: send it again in a moment');
    sendError(reply, toErrorBody(stopping, String(request.id)), stopping, request, logger);
  });
}
