import type { FastifyReply } from 'fastify';

/**
 * Headers of every console answer: no caching of pages that show personal data, no framing, no referrer (a
 * person's pseudonymous id is in some addresses), and a content policy that allows only the console's own assets.
 */
export function setPageHeaders(reply: FastifyReply): void {
  void reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy',
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; " +
      "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
}
