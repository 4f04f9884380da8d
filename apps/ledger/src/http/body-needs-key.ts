import { Logger, NotFoundException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeys } from '../auth/api-keys';
import { keyOf } from '../auth/bearer-key';
import { sendError, toErrorBody } from './error.filter';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const logger = new Logger('http');

/**
 * Why a request's body will not be read, or null: no route takes it (404), a JSON body outside the API (the
 * console's forms are not JSON: 415), or a request to the API without a live key (401: every route of the API that
 * takes a body needs one; those opened to anyone or by a subject's link are all GETs).
 */
async function refusal(request: FastifyRequest, keys: ApiKeys): Promise<unknown> {
  if (!request.routeOptions.url) return new NotFoundException();
  if (!request.url.startsWith('/v1/')) {
    const type = String(request.headers['content-type'] ?? '').toLowerCase();
    return type.includes('json') ? new UnsupportedMediaTypeException('the console takes forms (application/x-www-form-urlencoded), not JSON') : null;
  }
  try {
    await keyOf(request, keys);
    return null;
  } catch (error) {
    return error;
  }
}

/**
 * A body is read only when a route will take it: a stranger's few megabytes of JSON, to the API without a key, to a
 * route that does not exist or to the console, cost no parsing (0.3-0.6 s of the request thread each). The route's
 * guard checks the key again, with its role and rate limit.
 */
export function refuseBodiesWithoutKey(fastify: FastifyInstance, keys: ApiKeys): void {
  fastify.addHook('preParsing', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!WITH_BODY.has(request.method)) return;
    const refused = await refusal(request, keys);
    if (refused === null) return;
    // The body is left unread: the connection closes after the answer instead of draining it.
    void reply.header('connection', 'close');
    sendError(reply, toErrorBody(refused, String(request.id)), refused, request, logger);
    return reply;
  });
}
