import { Logger, MethodNotAllowedException } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError, toErrorBody } from './error.filter';

const logger = new Logger('http');

/** Where HEAD is answered as GET would be, headers only: places that show no one's personal data. */
const HEAD_SERVED = /^\/(health|console\/assets\/)/;

/**
 * HEAD is refused (405, `Allow: GET`) everywhere else. Fastify answers HEAD by running the GET route and dropping
 * the body, and every route that shows a person's file records that read in the person's stream: a HEAD would add
 * "read by ..." to their history for an answer that showed nothing. Refusing it everywhere, rather than route by
 * route, keeps a route added later from doing so.
 */
export function refuseHeadRequests(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'HEAD' || HEAD_SERVED.test(request.url)) return;
    void reply.header('allow', 'GET');
    const refused = new MethodNotAllowedException('HEAD is not served here (it would record a read of the file that showed nothing): use GET');
    sendError(reply, toErrorBody(refused, String(request.id)), refused, request, logger);
    return reply;
  });
}
