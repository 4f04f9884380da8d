import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeys } from '../auth/api-keys';
import { keyOf } from '../auth/bearer-key';
import { sendError, toErrorBody } from './error.filter';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const logger = new Logger('http');

/**
 * Every route of the API that takes a body needs an API key (the routes opened to anyone or by a subject's link are
 * all GETs), so a request to /v1 with a body and no live key is answered 401 before its body is read: a stranger's
 * few megabytes of JSON cost no parsing. The route's guard checks the key again, with its role and rate limit.
 */
export function refuseBodiesWithoutKey(fastify: FastifyInstance, keys: ApiKeys): void {
  fastify.addHook('preParsing', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!WITH_BODY.has(request.method) || !request.url.startsWith('/v1/')) return;
    try {
      await keyOf(request, keys);
    } catch (error) {
      // The body is left unread: the connection closes after the answer instead of draining it.
      void reply.header('connection', 'close');
      sendError(reply, toErrorBody(error, String(request.id)), error, request, logger);
      return reply;
    }
  });
}
