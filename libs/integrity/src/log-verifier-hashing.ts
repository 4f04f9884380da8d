import { hash } from 'node:crypto';
import { chainHash, eventLeafHash, type CanonicalEvent } from './canonical-event';
import type { HashedColumnsWriter } from './hashed-columns';
import { canonicalJson, duplicateMemberName, isCanonicalJson, type JsonObject } from '@derbes/canonical-json';

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

/** Text as the UTF-8 bytes `bytes[start, end)`, as SQLite keeps it (read without making a string of it). */
export interface Utf8Text {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
}

/** A stored event whose data is given as its UTF-8 bytes. */
export type StoredEventBytes = Omit<StoredEventText, 'data'> & { readonly data: Utf8Text };

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
 * The hashes of an event from its stored text, without parsing and re-writing `data`. Text the store wrote is
 * canonical already (isCanonicalJson proves it) and is hashed as it is; older text, written by JSON.stringify, has its
 * members reordered by `canonicalJsonFromText` (equal to canonicalJson(JSON.parse(text)), about twice as fast). An
 * event whose data or metadata is not a JSON object is hashed over its stored text and marked malformed.
 *
 * `assumeCanonical` skips the proof: text of JSON objects is hashed as it is stored. The hashes are then right only if
 * the text is canonical; a caller may rely on them only where something independent confirms them (`derbes verify`:
 * a signed tree head whose root they give, see verify.command.ts).
 *
 * `data` may come as its UTF-8 bytes (`Utf8Text`, as `derbes verify` reads a page of it): hashed as they are where the
 * text is assumed canonical and is an object, else decoded and treated as the text would be.
 */
export function hashStoredEvent(row: StoredEventText | StoredEventBytes, assumeCanonical = false): HashedEvent {
  const d = digestStoredEvent(row, assumeCanonical);
  return {
    position: row.position, streamId: row.streamId, revision: row.revision, previousHash: d.previousHash,
    leafHash: Buffer.from(d.leaf, 'latin1'), chainHash: d.chain === null ? null : Buffer.from(d.chain, 'latin1').toString('hex'),
    ...(d.malformed !== undefined && { malformed: d.malformed }),
  };
}

/** hashStoredEvent into a page's columns, under the writer's number for the event's stream. */
export function addStoredEvent(writer: HashedColumnsWriter, stream: number, row: StoredEventText | StoredEventBytes, assumeCanonical = false): void {
  const d = digestStoredEvent(row, assumeCanonical);
  writer.add(row.position, stream, row.revision, d.previousHash, d.leaf, d.chain, d.malformed);
}

/** An event's link and its hashes as 32-byte 'latin1' strings (crypto.hash's 'binary'), and why it is malformed if it is. */
interface StoredDigests {
  readonly previousHash: unknown;
  readonly leaf: string;
  readonly chain: string | null;
  readonly malformed?: string;
}

function digestStoredEvent(row: StoredEventText | StoredEventBytes, assumeCanonical: boolean): StoredDigests {
  // Bytes are hashed as they are only where the text would be (assumed canonical, an object); else as its string.
  if (isUtf8Text(row.data) && !(assumeCanonical && row.data.bytes[row.data.start] === 0x7b)) {
    return digestStoredEvent({ ...row, data: textOf(row.data) }, assumeCanonical);
  }
  let data: string | Utf8Text;
  let metadataText: string;
  let previousHash: unknown;
  try {
    data = isUtf8Text(row.data) ? row.data : canonicalObjectText(row.data, 'data', assumeCanonical);
    previousHash = assumeCanonical ? linkInCanonicalText(row.metadata) : UNREAD;
    if (previousHash === UNREAD) {
      const parsed: unknown = JSON.parse(row.metadata);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('metadata: not a JSON object');
      const metadata = parsed as Record<string, unknown>;
      metadataText = assumeCanonical || isCanonicalJson(row.metadata) ? row.metadata : canonicalJson(uniqueMembers(metadata, row.metadata, 'metadata') as JsonObject, 'metadata');
      previousHash = Object.prototype.hasOwnProperty.call(metadata, 'previousHash') ? metadata.previousHash : undefined;
    } else {
      metadataText = row.metadata;
    }
  } catch (error) {
    return {
      previousHash: undefined, chain: null,
      leaf: hash('sha256', '\u0000' + row.id + row.type + row.streamId + textOf(row.data) + row.metadata + row.created, 'binary'),
      malformed: (error as Error).message,
    };
  }
  const { leaf, chain } = hashTexts(row, data, metadataText, row.streamId.startsWith(SUBJECT_STREAM_PREFIX));
  return { previousHash, leaf, chain };
}

const isUtf8Text = (value: unknown): value is Utf8Text => typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && 'bytes' in value;

/** Stored data as text: bytes decoded, and what a tampered column may hold instead of text (a blob, NULL) as String() writes it. */
function textOf(data: unknown): string {
  if (typeof data === 'string') return data;
  return isUtf8Text(data) ? data.bytes.toString('utf8', data.start, data.end) : String(data);
}

/** Said by linkInCanonicalText when it cannot read the link from the text: parse the metadata. */
const UNREAD = Symbol('unread');
const LINK_KEY = '"previousHash":';

/**
 * `previousHash` of metadata stored as canonical JSON, read from the text without parsing it: null, the string, or
 * undefined when the object has no such member. UNREAD for anything else (a nested object, whose members could hold
 * the same key; an escape in the string; another kind of value; text that is not an object).
 *
 * Exact only for canonical text, so only for text assumed canonical (hashStoredEvent's `assumeCanonical`). There the
 * key can only be a member's name: inside a string a quote is escaped, and after a string value comes `,`, `]` or
 * `}`, never `:`.
 */
function linkInCanonicalText(text: string): unknown {
  if (text.charCodeAt(0) !== 0x7b || text.charCodeAt(text.length - 1) !== 0x7d || text.indexOf('{', 1) !== -1) return UNREAD;
  const at = text.indexOf(LINK_KEY);
  if (at === -1) return undefined;
  const from = at + LINK_KEY.length;
  let value: unknown;
  let end: number;
  if (text.startsWith('null', from)) {
    value = null;
    end = from + 4;
  } else if (text.charCodeAt(from) === 0x22) {
    end = text.indexOf('"', from + 1) + 1;
    value = text.slice(from + 1, end - 1);
    if (end === 0 || (value as string).indexOf('\\') !== -1) return UNREAD;
  } else {
    return UNREAD;
  }
  const next = text.charCodeAt(end);
  return next === 0x2c || next === 0x7d ? value : UNREAD;
}

/**
 * The RFC 9162 leaf hash of an event from its stored text, when its data and metadata are stored as canonical JSON
 * objects (as the store writes them): equal to `eventLeafHash` of the parsed event, without writing the objects
 * again. Undefined for other text (a ledger written before canonical storage): hash the parsed event then.
 */
export function storedLeafHash(row: StoredEventText): Buffer | undefined {
  if (row.data.charCodeAt(0) !== 0x7b || row.metadata.charCodeAt(0) !== 0x7b) return undefined;
  if (!isCanonicalJson(row.data) || !isCanonicalJson(row.metadata)) return undefined;
  return Buffer.from(hashTexts(row, row.data, row.metadata, false).leaf, 'latin1');
}

// The leaf's canonical bytes are written into one reused buffer, and the chain's are made from them in place: no
// text is concatenated into a new string (measured: about half the time of hashing the two concatenated strings,
// and much less garbage), and data and metadata are encoded once.
let scratch = Buffer.allocUnsafe(1 << 16);

/** The leaf hash (CANONICAL.md, "Canonical event bytes") and, for a subject's event, the chain hash, as 'latin1' strings. */
function hashTexts(row: StoredEventText | StoredEventBytes, data: string | Utf8Text, metadata: string, subject: boolean): { leaf: string; chain: string | null } {
  const id = str(row.id);
  const type = str(row.type);
  const streamId = str(row.streamId);
  const tail = ',"revision":' + row.revision + ',"streamId":' + streamId + ',"type":' + type + '}';
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  const dataBytes = typeof data === 'string' ? 3 * data.length : data.end - data.start;
  const most = dataBytes + 3 * (metadata.length + tail.length + id.length + row.created.length + 64);
  if (scratch.length < most) scratch = Buffer.allocUnsafe(most);
  const b = scratch;
  // \0{"created":C,"data":D,"id":I,"metadata":M,"position":P,"revision":R,"streamId":S,"type":T}
  let n = b.write('\u0000{"created":' + str(row.created) + ',"data":', 0);
  const dataKey = n - 7; // where "data": is
  n += typeof data === 'string' ? b.write(data, n) : data.bytes.copy(b, n, data.start, data.end);
  n += b.write(',"id":' + id + ',"metadata":', n);
  n += b.write(metadata, n);
  const metadataEnd = n;
  n += b.write(',"position":' + row.position + tail, n);
  const leaf = hash('sha256', b.subarray(0, n), 'binary');
  if (!subject) return { leaf, chain: null };
  // \2{"data":D,"id":I,"metadata":M,"revision":R,"streamId":S,"type":T}: the leaf's bytes from "data" to the end of
  // M, after \2{ written over the two before (the quote that ends C, and a comma), with the tail written over
  // ,"position":P and what follows.
  b[dataKey - 2] = 0x02;
  b[dataKey - 1] = 0x7b;
  const end = metadataEnd + b.write(tail, metadataEnd);
  return { leaf, chain: hash('sha256', b.subarray(dataKey - 2, end), 'binary') };
}

/** The canonical text of a stored object: the text itself when it is canonical already (as the store writes it), or assumed to be. */
function canonicalObjectText(text: string, field: string, assumeCanonical: boolean): string {
  // A column changed behind the store's back may hold a blob or NULL: the event is malformed, named so.
  const value: unknown = text;
  if (typeof value !== 'string') throw new Error(`${field}: not text but ${value === null ? 'NULL' : Buffer.isBuffer(value) ? 'a blob' : typeof value}`);
  if (text.charCodeAt(0) === 0x7b) {
    if (assumeCanonical || isCanonicalJson(text)) return text;
    const fast = canonicalJsonFromText(text);
    if (fast !== undefined) return fast;
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${field}: not a JSON object`);
  return canonicalJson(uniqueMembers(parsed, text, field) as JsonObject, field);
}

/**
 * `parsed`, when `text` (what it was parsed from) names each member of an object once. Only text the fast paths
 * declined comes here: isCanonicalJson and canonicalJsonFromText refuse a repeated name themselves.
 */
function uniqueMembers(parsed: object, text: string, field: string): object {
  const name = duplicateMemberName(text);
  if (name !== undefined) throw new Error(`${field}: the member name ${JSON.stringify(name)} appears twice in an object`);
  return parsed;
}

/** Thrown inside the scanner when the text is not in the form it handles; the caller then parses it. */
const BAIL = Symbol('bail');

// With none of these anywhere in the text, every string is plain: a quote always ends one, and its characters are
// written by canonical JSON as they are. Text that has any (escapes, raw control characters, surrogates) is parsed.
const NOT_PLAIN = /[\u0000-\u001f\\\ud800-\udfff]/;

/**
 * canonicalJson(JSON.parse(text)) computed on the text itself, for text as JSON.stringify writes it (no whitespace)
 * and with no escapes or surrogates in its strings: members are reordered, everything else is copied. Undefined when
 * the text holds anything else (whitespace, escapes, duplicate keys, non-canonical numbers, invalid JSON): parse it
 * then.
 */
export function canonicalJsonFromText(text: string): string | undefined {
  if (NOT_PLAIN.test(text)) return undefined;
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
  /** Whether the value just scanned was written otherwise than the text has it (its members reordered). */
  private changed = false;
  constructor(private readonly t: string) {}

  value(): string {
    const c = this.t.charCodeAt(this.i);
    if (c === 0x22) return this.string();
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x74) return this.literal('true');
    if (c === 0x66) return this.literal('false');
    if (c === 0x6e) return this.literal('null');
    return this.number();
  }

  private object(): string {
    const t = this.t;
    const start = this.i++;
    if (t.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return '{}';
    }
    const keys: string[] = [];
    const values: string[] = [];
    let sorted = true;
    let changed = false;
    for (;;) {
      if (t.charCodeAt(this.i) !== 0x22) throw BAIL;
      const end = t.indexOf('"', this.i + 1);
      if (end < 0 || t.charCodeAt(end + 1) !== 0x3a) throw BAIL;
      const key = t.slice(this.i + 1, end);
      this.i = end + 2;
      this.changed = false;
      const value = this.value();
      if (this.changed) changed = true;
      const n = keys.length;
      if (n > 0 && !(keys[n - 1]! < key)) sorted = false;
      keys.push(key);
      values.push(value);
      const next = t.charCodeAt(this.i++);
      if (next === 0x7d) break;
      if (next !== 0x2c) throw BAIL;
    }
    if (sorted && !changed) {
      this.changed = false;
      return t.slice(start, this.i);
    }
    this.changed = true;
    // Insertion sort of the members by key (objects here have a handful, mostly in order): no comparator closure.
    for (let k = 1; k < keys.length; k++) {
      const key = keys[k]!;
      const value = values[k]!;
      let j = k - 1;
      while (j >= 0 && keys[j]! > key) {
        keys[j + 1] = keys[j]!;
        values[j + 1] = values[j]!;
        j--;
      }
      if (j >= 0 && keys[j] === key) throw BAIL; // a duplicate key: the parser keeps the last
      keys[j + 1] = key;
      values[j + 1] = value;
    }
    let out = '{"' + keys[0]! + '":' + values[0]!;
    for (let k = 1; k < keys.length; k++) out += ',"' + keys[k]! + '":' + values[k]!;
    return out + '}';
  }

  private array(): string {
    const t = this.t;
    const start = this.i++;
    if (t.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return '[]';
    }
    const items: string[] = [];
    let changed = false;
    for (;;) {
      this.changed = false;
      items.push(this.value());
      if (this.changed) changed = true;
      const next = t.charCodeAt(this.i++);
      if (next === 0x5d) break;
      if (next !== 0x2c) throw BAIL;
    }
    this.changed = changed;
    return changed ? '[' + items.join(',') + ']' : t.slice(start, this.i);
  }

  private string(): string {
    const end = this.t.indexOf('"', this.i + 1);
    if (end < 0) throw BAIL;
    const raw = this.t.slice(this.i, end + 1);
    this.i = end + 1;
    return raw;
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
