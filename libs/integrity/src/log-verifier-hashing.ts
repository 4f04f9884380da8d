import { hash } from 'node:crypto';
import { chainHash, eventLeafHash, type CanonicalEvent } from './canonical-event';
import { canonicalJson, type JsonObject } from './canonical-json';

/** What the log verifier needs of one event: where it is, its stream link, and its two hashes. */
export interface HashedEvent {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  /** `metadata.previousHash` as stored; `undefined` when the member is absent (an event from before the chain). */
  readonly previousHash: unknown;
  /** RFC 9162 leaf hash of the canonical event bytes (of the stored text when the event is not JSON). */
  readonly leafHash: Uint8Array;
  /** Hex chain hash; null for events outside subject streams, whose chain is not checked. */
  readonly chainHash: string | null;
  /** Why the stored event is not a canonical-JSON event, if it is not. */
  readonly malformed?: string;
}

/** An event as the store keeps it: data and metadata as JSON text. */
export interface StoredEventText {
  readonly position: number;
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: number;
  readonly data: string;
  readonly metadata: string;
  readonly created: string;
}

export const SUBJECT_STREAM_PREFIX = 'subject-';

/** The hashes of an event already parsed (tests, and any source that yields RecordedEvents). */
export function hashEvent(event: CanonicalEvent): HashedEvent {
  const subject = event.streamId.startsWith(SUBJECT_STREAM_PREFIX);
  const metadata = event.metadata as Record<string, unknown>;
  return {
    position: event.position,
    streamId: event.streamId,
    revision: event.revision,
    previousHash: Object.prototype.hasOwnProperty.call(metadata, 'previousHash') ? metadata.previousHash : undefined,
    leafHash: eventLeafHash(event),
    chainHash: subject ? chainHash(event) : null,
  };
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const str = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"');

/**
 * The hashes of an event from its stored text, without parsing and re-writing `data`: `canonicalJsonFromText`
 * reorders the text's members (equal to canonicalJson(JSON.parse(text)), about twice as fast). An event whose data
 * or metadata is not a JSON object is hashed over its stored text and marked malformed.
 */
export function hashStoredEvent(row: StoredEventText): HashedEvent {
  let data: string;
  let metadataText: string;
  let metadata: Record<string, unknown>;
  try {
    data = canonicalObjectText(row.data, 'data');
    const parsed: unknown = JSON.parse(row.metadata);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('metadata: not a JSON object');
    metadata = parsed as Record<string, unknown>;
    metadataText = canonicalJson(metadata as JsonObject, 'metadata');
  } catch (error) {
    return {
      position: row.position, streamId: row.streamId, revision: row.revision, previousHash: undefined, chainHash: null,
      leafHash: hash('sha256', '\u0000' + row.id + row.type + row.streamId + row.data + row.metadata + row.created, 'buffer'),
      malformed: (error as Error).message,
    };
  }
  const id = str(row.id);
  const type = str(row.type);
  const streamId = str(row.streamId);
  const revision = '' + row.revision;
  const leaf = '\u0000{"created":' + str(row.created) + ',"data":' + data + ',"id":' + id + ',"metadata":' + metadataText
    + ',"position":' + row.position + ',"revision":' + revision + ',"streamId":' + streamId + ',"type":' + type + '}';
  const subject = row.streamId.startsWith(SUBJECT_STREAM_PREFIX);
  return {
    position: row.position,
    streamId: row.streamId,
    revision: row.revision,
    previousHash: Object.prototype.hasOwnProperty.call(metadata, 'previousHash') ? metadata.previousHash : undefined,
    leafHash: hash('sha256', leaf, 'buffer'),
    chainHash: subject
      ? hash('sha256', '\u0002{"data":' + data + ',"id":' + id + ',"metadata":' + metadataText + ',"revision":' + revision
        + ',"streamId":' + streamId + ',"type":' + type + '}', 'hex')
      : null,
  };
}

function canonicalObjectText(text: string, field: string): string {
  if (text.charCodeAt(0) === 0x7b) {
    const fast = canonicalJsonFromText(text);
    if (fast !== undefined) return fast;
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${field}: not a JSON object`);
  return canonicalJson(parsed as JsonObject, field);
}

/** Thrown inside the scanner when the text is not in the form it handles; the caller then parses it. */
const BAIL = Symbol('bail');

/**
 * canonicalJson(JSON.parse(text)) computed on the text itself, for text as JSON.stringify writes it (no whitespace):
 * members are reordered, everything else is copied. Undefined when the text holds anything else (whitespace,
 * duplicate keys, escaped keys, non-canonical numbers, invalid JSON): parse it then.
 */
export function canonicalJsonFromText(text: string): string | undefined {
  const scanner = new Scanner(text);
  try {
    const out = scanner.value();
    return scanner.i === text.length ? out : undefined;
  } catch (error) {
    if (error === BAIL) return undefined;
    throw error;
  }
}

class Scanner {
  i = 0;
  constructor(private readonly t: string) {}

  value(): string {
    const c = this.t.charCodeAt(this.i);
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) return this.string();
    if (c === 0x74) return this.literal('true');
    if (c === 0x66) return this.literal('false');
    if (c === 0x6e) return this.literal('null');
    return this.number();
  }

  private object(): string {
    const t = this.t;
    this.i++;
    if (t.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return '{}';
    }
    const keys: string[] = [];
    const values: string[] = [];
    let sorted = true;
    for (;;) {
      if (t.charCodeAt(this.i) !== 0x22) throw BAIL;
      const start = this.i + 1;
      let j = start;
      for (let c = t.charCodeAt(j); c !== 0x22; c = t.charCodeAt(++j)) {
        // Keys with escapes or surrogates, and the end of the text, are left to the parser.
        if (c === 0x5c || c < 0x20 || (c >= 0xd800 && c <= 0xdfff) || Number.isNaN(c)) throw BAIL;
      }
      const key = t.slice(start, j);
      if (t.charCodeAt(j + 1) !== 0x3a) throw BAIL;
      this.i = j + 2;
      const value = this.value();
      const n = keys.length;
      if (n > 0 && !(keys[n - 1]! < key)) sorted = false;
      keys.push(key);
      values.push(value);
      const next = t.charCodeAt(this.i++);
      if (next === 0x7d) break;
      if (next !== 0x2c) throw BAIL;
    }
    const order = keys.map((_, k) => k);
    if (!sorted) {
      order.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
      for (let k = 1; k < order.length; k++) if (keys[order[k]!] === keys[order[k - 1]!]) throw BAIL; // a duplicate key
    }
    let out = '{';
    for (let k = 0; k < order.length; k++) {
      const at = order[k]!;
      out += (k === 0 ? '"' : ',"') + keys[at]! + '":' + values[at]!;
    }
    return out + '}';
  }

  private array(): string {
    const t = this.t;
    this.i++;
    if (t.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return '[]';
    }
    let out = '[';
    for (;;) {
      out += this.value();
      const next = t.charCodeAt(this.i++);
      if (next === 0x5d) return out + ']';
      if (next !== 0x2c) throw BAIL;
      out += ',';
    }
  }

  private string(): string {
    const t = this.t;
    const start = this.i;
    let j = start + 1;
    let plain = true;
    for (let c = t.charCodeAt(j); c !== 0x22; c = t.charCodeAt(++j)) {
      if (c === 0x5c) {
        plain = false;
        j++; // the escaped character, which may be a quote
      } else if (c < 0x20 || Number.isNaN(c)) {
        throw BAIL;
      } else if (c >= 0xd800 && c <= 0xdfff) {
        plain = false;
      }
    }
    this.i = j + 1;
    const raw = t.slice(start, j + 1);
    if (plain) return raw;
    // Escapes and surrogates: written as JSON.stringify writes the string (what canonical JSON prescribes).
    try {
      return JSON.stringify(JSON.parse(raw) as string);
    } catch {
      throw BAIL;
    }
  }

  private literal(word: string): string {
    if (!this.t.startsWith(word, this.i)) throw BAIL;
    this.i += word.length;
    return word;
  }

  private number(): string {
    const t = this.t;
    const start = this.i;
    let j = start;
    for (let c = t.charCodeAt(j); (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45; c = t.charCodeAt(++j));
    const raw = t.slice(start, j);
    // Only a number JavaScript writes back identically is copied; anything else (1.0, -0, 1E5, junk) is parsed.
    if (raw.length === 0 || '' + Number(raw) !== raw) throw BAIL;
    this.i = j;
    return raw;
  }
}
