import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/** A console form is a few fields; nothing the console asks for comes near this. */
export const FORM_BODY_LIMIT_BYTES = 64 * 1024;

/** Parses `a=1&b=2&b=3` into { a: '1', b: ['2', '3'] }, on an object without a prototype. */
export function parseForm(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = fields[name];
    fields[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return fields;
}

/**
 * HTML forms post `application/x-www-form-urlencoded`. The console's pages take it; every other route answers it
 * 415 as before, so that the API keeps taking JSON only.
 */
export function useConsoleFormParser(app: NestFastifyApplication): void {
  app.getHttpAdapter().getInstance().addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT_BYTES },
    (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, body?: unknown) => void) => {
      if (!request.url.startsWith('/console/')) {
        done(Object.assign(new Error('Unsupported Media Type: application/x-www-form-urlencoded'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }));
        return;
      }
      done(null, parseForm(String(body)));
    },
  );
}
