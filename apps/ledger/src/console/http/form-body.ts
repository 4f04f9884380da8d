import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/** A console form is a few fields; nothing the console asks for comes near this. */
export const FORM_BODY_LIMIT_BYTES = 64 * 1024;
/**
 * The console's largest form (a request's registration, with its 30 category boxes) has a few dozen fields. Parsing
 * runs before the form token and sign-in are checked, so anyone may send one: more fields than this are refused.
 */
export const FORM_FIELD_LIMIT = 200;

/**
 * Parses `a=1&b=2&b=3` into { a: '1', b: ['2', '3'] }, on an object without a prototype; a form of more than
 * FORM_FIELD_LIMIT fields is an error with status 400.
 */
export function parseForm(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null);
  let count = 0;
  for (const [name, value] of new URLSearchParams(body)) {
    if (++count > FORM_FIELD_LIMIT) throw Object.assign(new Error(`Bad Request: a console form has at most ${FORM_FIELD_LIMIT} fields`), { statusCode: 400 });
    const previous = fields[name];
    if (previous === undefined) fields[name] = value;
    // Pushed, not copied: a copy per repeat of a name is quadratic in the repeats.
    else if (Array.isArray(previous)) previous.push(value);
    else fields[name] = [previous, value];
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
      let form: Record<string, string | string[]>;
      try {
        form = parseForm(String(body));
      } catch (error) {
        done(error as Error);
        return;
      }
      done(null, form);
    },
  );
}
