import { isUtf8 } from 'node:buffer';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { duplicateMemberOf } from '@derbes/canonical-json';
import { LedgerError, type FieldError } from '../ledger-errors';
import { isPrototypeKey, withRecordIndex } from './validation';

/**
 * How deep arrays and objects may nest in a body. A batch needs 4; class-transformer (the DTO bodies) recurses once
 * per level and overflows the stack near 2,000, which answered a 500 before this limit.
 */
export const MAX_JSON_DEPTH = 32;
/**
 * How many members one object of a body may have. No body of this API has more than a few dozen; a body of 350,000
 * unknown keys kept the request thread busy for seconds listing each (the answer lists at most 100 anyway).
 */
export const MAX_JSON_MEMBERS = 1_000;

type Done = (error: Error | null, body?: unknown) => void;

/**
 * The one JSON body parser. Beyond JSON.parse it refuses, naming the field: bytes that are not UTF-8 (never silently
 * replaced by U+FFFD and stored so), nesting past the limit, a key that is `prototype` or named like a member of
 * Object.prototype (`__proto__`, `constructor`: JSON.parse makes them plain members, refused here as unknown
 * fields), a lone surrogate, and a member given twice in one object (JSON.parse keeps the last silently, while a
 * gateway or SQLite's json_extract reads the first: `"iin"` twice would file the record under another person than
 * the one a reader in front of the ledger saw). Registering it also keeps Nest from adding its form-urlencoded
 * parser, so that anything but JSON is a 415.
 */
export function useJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  app.useBodyParser('application/json', { bodyLimit }, (request: FastifyRequest, body: Buffer, done: Done) => {
    try {
      refuseEncodings(request.headers);
      done(null, parseJsonBody(body));
    } catch (error) {
      done(error as Error);
    }
  });
}

/**
 * A body sent compressed, or in a charset other than UTF-8, is a 415 that says so: read as UTF-8 it was a 400 "not
 * valid UTF-8", or worse, text read wrongly (a charset=utf-16 body that happens to be valid UTF-8).
 */
export function refuseEncodings(headers: FastifyRequest['headers']): void {
  // An empty list of codings is none, as `identity` is.
  const coding = String(headers['content-encoding'] ?? '').trim().toLowerCase();
  if (coding !== '' && coding !== 'identity') {
    throw new LedgerError('unsupported_media_type', `content-encoding ${coding} is not taken: send the JSON as it is`, [
      { field: 'content-encoding', reason: `"${coding}" is not taken: send the JSON as it is, with no content coding` },
    ]);
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(String(headers['content-type'] ?? ''))?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new LedgerError('unsupported_media_type', `charset ${charset} is not taken: JSON is UTF-8`, [
      { field: 'content-type', reason: `charset "${charset}" is not taken: JSON is UTF-8` },
    ]);
  }
}

/** A request body parsed as JSON; throws a LedgerError (400) naming the field and the reason. */
export function parseJsonBody(body: Buffer): unknown {
  const refuse = (problem: FieldError) => LedgerError.invalid([withRecordIndex(problem)]);
  if (body.length === 0) throw refuse({ field: '(body)', reason: 'is empty: a JSON value is expected with content-type application/json' });
  if (!isUtf8(body)) throw refuse({ field: '(body)', reason: 'is not valid UTF-8' });
  const text = body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw refuse({ field: '(body)', reason: `is not valid JSON${whereInvalid(error)}` });
  }
  // A lone surrogate can only come from a \uD800-\uDFFF escape: the walk looks for one only when the text has one.
  const problem = shapeProblem(value, SURROGATE_ESCAPE.test(text));
  if (problem) throw refuse(problem);
  const repeated = duplicateMemberOf(text, value);
  if (repeated) throw refuse({ field: repeated.path, reason: 'is given twice in its object; each member once' });
  return value;
}

/** Where JSON.parse stopped, from its message: never the message itself, which may quote the body (an IIN, say). */
function whereInvalid(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/end of JSON input/.test(message)) return ': it ends before the value is complete';
  const at = /at position (\d+)/.exec(message)?.[1];
  return at === undefined ? '' : ` at character ${Number(at) + 1}`;
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** A UTF-16 surrogate not paired with its other half: no character, and UTF-8 cannot store it (it becomes U+FFFD). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * The first nesting, key or text problem of a parsed body, walked without recursion (it may be as deep as the
 * limit allows). With `surrogates`, strings and keys holding a lone surrogate are refused: stored, such text would
 * come back altered, so the record acknowledged would not be the record kept.
 */
export function shapeProblem(value: unknown, surrogates = false): FieldError | null {
  const stack: [unknown, string, number][] = [[value, '', 1]];
  while (stack.length > 0) {
    const [node, path, depth] = stack.pop() as [unknown, string, number];
    if (surrogates && typeof node === 'string' && LONE_SURROGATE.test(node)) {
      return withRecordIndex({ field: path === '' ? '(body)' : path, reason: 'holds a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair): not a character' });
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_JSON_DEPTH) return withRecordIndex({ field: path === '' ? '(body)' : path, reason: `nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels` });
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        if ((typeof child === 'object' && child !== null) || (surrogates && typeof child === 'string')) stack.push([child, `${path}[${i}]`, depth + 1]);
      });
      continue;
    }
    const members = Object.entries(node);
    if (members.length > MAX_JSON_MEMBERS) {
      return withRecordIndex({ field: path === '' ? '(body)' : path, reason: `has ${members.length} members; an object of this API has at most ${MAX_JSON_MEMBERS}` });
    }
    for (const [key, child] of members) {
      const field = path === '' ? key : `${path}.${key}`;
      if (isPrototypeKey(key)) return withRecordIndex({ field, reason: 'is not a known field' });
      if (surrogates && LONE_SURROGATE.test(key)) return withRecordIndex({ field, reason: 'is a name holding a lone UTF-16 surrogate' });
      if ((typeof child === 'object' && child !== null) || (surrogates && typeof child === 'string')) stack.push([child, field, depth + 1]);
    }
  }
  return null;
}
