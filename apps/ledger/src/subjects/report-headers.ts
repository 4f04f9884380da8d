import type { FastifyReply } from 'fastify';

/**
 * Headers of an access report, whichever route gives it (the official's, the subject's link): its type, and for a
 * page holding a person's data nothing to run, load or frame it (the HTML has one inline style and nothing else), so
 * that a text that ever slipped past its escaping would still do nothing.
 */
export function setReportHeaders(reply: FastifyReply, contentType: string): void {
  void reply
    .header('content-type', contentType)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
}
