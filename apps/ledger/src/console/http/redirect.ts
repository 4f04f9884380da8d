import type { FastifyReply } from 'fastify';

/** Answers a handled form with 303 See Other, so that reloading the next page does not send the form again. */
export function seeOther(reply: FastifyReply, location: string): string {
  void reply.status(303).header('location', location);
  return '';
}
