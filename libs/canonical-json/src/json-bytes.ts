import { CanonicalJsonError, sortKeys, writeKey, writeString } from './canonical-json';

/*
 * JSON written as UTF-8 straight into a Buffer, for values too large to hold as one string: an access report of
 * 8,000 entries is an 18 MB text, held by V8 as 36 MB (two bytes a character as soon as one character is not
 * Latin-1), and JSON.stringify followed by JSON.parse and canonicalJson held three such copies at once on the request
 * thread. Here only a short stretch of text is a string at any time; the bytes live outside the JavaScript heap.
 */

/** Characters of text gathered before they are encoded into the Buffer: small enough to be cheap, large enough to be few. */
const FLUSH_AT = 1 << 16;

class Utf8Sink {
  private pending = '';
  private readonly chunks: Buffer[] = [];
  private size = 0;

  // Each piece is a whole token (a written string, a number, punctuation): a surrogate pair is never split between two flushes.
  push(text: string): void {
    this.pending += text;
    if (this.pending.length >= FLUSH_AT) this.flush();
  }

  bytes(): Buffer {
    this.flush();
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
  }

  private flush(): void {
    if (this.pending === '') return;
    const chunk = Buffer.from(this.pending, 'utf8');
    this.chunks.push(chunk);
    this.size += chunk.length;
    this.pending = '';
  }
}

/** What JSON.stringify writes in place of a value that has a toJSON method (a Date's ISO string). */
function resolved(value: unknown): unknown {
  return value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function'
    ? (value as { toJSON: () => unknown }).toJSON()
    : value;
}

/** Values JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function write(value: unknown, sink: Utf8Sink, sorted: boolean): void {
  switch (typeof value) {
    case 'string':
      sink.push(writeString(value));
      return;
    case 'number':
      sink.push(Number.isFinite(value) ? '' + value : 'null');
      return;
    case 'boolean':
      sink.push(value ? 'true' : 'false');
      return;
    case 'object': {
      if (value === null) {
        sink.push('null');
        return;
      }
      if (Array.isArray(value)) {
        sink.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) sink.push(',');
          const item = resolved(value[i]);
          if (omitted(item)) sink.push('null');
          else write(item, sink, sorted);
        }
        sink.push(']');
        return;
      }
      // Object.keys gives JSON.stringify's own order (integer-like keys first, then as inserted).
      const keys = sorted ? sortKeys(Object.keys(value)) : Object.keys(value);
      let first = true;
      sink.push('{');
      for (const key of keys) {
        const member = resolved((value as Record<string, unknown>)[key]);
        if (omitted(member)) continue;
        sink.push(first ? writeKey(key) : ',' + writeKey(key));
        first = false;
        write(member, sink, sorted);
      }
      sink.push('}');
      return;
    }
    case 'bigint':
      throw new CanonicalJsonError('$', 'a bigint has no JSON form');
    default:
      throw new Error(`unreachable: ${typeof value} is left out before it is written`);
  }
}

function bytesOf(value: unknown, sorted: boolean, prefix: string): Buffer {
  const top = resolved(value);
  if (omitted(top)) throw new CanonicalJsonError('$', `JSON.stringify stores nothing for ${typeof top}`);
  const sink = new Utf8Sink();
  sink.push(prefix);
  write(top, sink, sorted);
  return sink.bytes();
}

/**
 * UTF-8 of `prefix` followed by `canonicalJsonOfStored(value)` (the canonical JSON of what JSON.stringify would store
 * for `value`), without ever holding that text as one string. For hashing or signing a large value.
 */
export function canonicalJsonBytesOfStored(value: unknown, prefix = ''): Buffer {
  return bytesOf(value, true, prefix);
}

/**
 * UTF-8 of `JSON.stringify(value)` (members in its order, undefined members left out, a toJSON method honoured),
 * without ever holding that text as one string. For sending a large value as it always was sent.
 */
export function stringifiedJsonBytes(value: unknown): Buffer {
  return bytesOf(value, false, '');
}
