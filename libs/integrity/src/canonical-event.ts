import { hash } from 'node:crypto';
import { sha256 } from './sha256';
import { CanonicalJsonError, canonicalJson, canonicalJsonOfStored, type JsonObject } from '@derbes/canonical-json';

/** The eight fields of a stored event (`RecordedEvent` of `@derbes/event-store` has this shape). */
export interface CanonicalEvent {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly created: string;
}

/** The fields the per-subject chain covers: known before the store assigns `position` and `created`. */
export type ChainedEvent = Pick<CanonicalEvent, 'id' | 'type' | 'streamId' | 'revision' | 'data' | 'metadata'>;

/** Domain-separation prefix of a chain hash; 0x00 and 0x01 are RFC 9162's leaf and node prefixes. */
export const CHAIN_HASH_PREFIX = Buffer.from([0x02]);
// The prefixes as characters: U+0000 and U+0002 are the single UTF-8 bytes 0x00 and 0x02, so that the one-shot
// crypto.hash (about twice as fast as createHash here) takes prefix and text as one string. Canonical JSON never
// holds a lone surrogate (they are escaped), so UTF-8 encoding it is exact.
const LEAF_PREFIX_CHAR = '\u0000';
const CHAIN_PREFIX_CHAR = '\u0002';

function str(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new CanonicalJsonError(field, `expected a string, got ${describe(value)}`);
  return JSON.stringify(value);
}

function nonNegativeInteger(value: unknown, field: string): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new CanonicalJsonError(field, `expected a non-negative safe integer, got ${describe(value)}`);
  }
  return '' + value;
}

function object(value: unknown, field: string): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CanonicalJsonError(field, `expected a JSON object, got ${describe(value)}`);
  }
  return canonicalJson(value, field);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'number' || typeof value === 'boolean' ? `${typeof value} ${value}` : typeof value;
}

// The members are written in their sorted order by hand: created, data, id, metadata, position, revision, streamId,
// type (and without position and created for the chain), so no sort runs at the top level.

/** The canonical JSON text of an event's eight fields (CANONICAL.md, "Canonical event bytes"). Other properties are ignored. */
export function canonicalEventJson(event: CanonicalEvent): string {
  return '{"created":' + str(event.created, 'created')
    + ',"data":' + object(event.data, 'data')
    + ',"id":' + str(event.id, 'id')
    + ',"metadata":' + object(event.metadata, 'metadata')
    + ',"position":' + nonNegativeInteger(event.position, 'position')
    + ',"revision":' + nonNegativeInteger(event.revision, 'revision')
    + ',"streamId":' + str(event.streamId, 'streamId')
    + ',"type":' + str(event.type, 'type') + '}';
}

/** UTF-8 bytes of `canonicalEventJson(event)`: the Merkle leaf's data. */
export function canonicalEventBytes(event: CanonicalEvent): Buffer {
  return Buffer.from(canonicalEventJson(event), 'utf8');
}

/** RFC 9162 leaf hash of the event: SHA-256(0x00 || canonicalEventBytes(event)), without an intermediate Buffer. */
export function eventLeafHash(event: CanonicalEvent): Buffer {
  return sha256(LEAF_PREFIX_CHAR + canonicalEventJson(event));
}

/** The canonical JSON text the chain hash covers: id, type, streamId, revision, data, metadata (sorted). */
export function chainJson(event: ChainedEvent): string {
  return chainPieces(event, object).join('');
}

type ChainFields = { readonly id: string; readonly type: string; readonly streamId: string; readonly revision: number; readonly data: unknown; readonly metadata: unknown };

/**
 * The chain's canonical text of an event in five pieces, its data and metadata written by `writeObject`: the one
 * place that orders the members (chainJson joins the pieces, chainHashOf writes them into its buffer).
 */
function chainPieces(event: ChainFields, writeObject: (value: unknown, field: string) => string): [string, string, string, string, string] {
  const data = writeObject(event.data, 'data');
  const id = str(event.id, 'id');
  const metadata = writeObject(event.metadata, 'metadata');
  return ['{"data":', data, ',"id":' + id + ',"metadata":', metadata,
    ',"revision":' + nonNegativeInteger(event.revision, 'revision')
    + ',"streamId":' + str(event.streamId, 'streamId')
    + ',"type":' + str(event.type, 'type') + '}'];
}

/**
 * The per-subject chain hash, hex: SHA-256(0x02 || UTF-8 of chainJson(event)). The event's `metadata.previousHash`
 * (the previous event's chain hash, or null for the first) is inside what is hashed, which makes it a chain.
 */
export function chainHash(event: ChainedEvent): string {
  return chainHashOf(event, object);
}

/** An event about to be appended: its data and metadata as the code holds them, before JSON.stringify stores them. */
export interface UnstoredChainedEvent extends Omit<ChainedEvent, 'data' | 'metadata'> {
  readonly data: object;
  readonly metadata: object;
}

/**
 * The chain hash the event will have once stored: `chainHash` of the canonical JSON of what JSON.stringify stores for
 * its data and metadata, without serialising and parsing them again. `write` makes that text (canonicalJsonOfStored;
 * the ledger passes keepStoredJson, so that the store writes the very text hashed here).
 */
export function chainHashOfUnstored(event: UnstoredChainedEvent, write: (value: object) => string = canonicalJsonOfStored): string {
  return chainHashOf(event, (value) => write(value as object));
}

// The chain's bytes are written piece by piece into one reused buffer instead of being concatenated into one string
// first: measured 8.9 -> 7.4 µs an event of the ledger, its data and metadata written included (no string of the
// whole text to build, copy and collect). Hashing is synchronous, so one buffer serves every call.
let scratch = Buffer.allocUnsafe(1 << 14);

/** SHA-256(0x02 || UTF-8 of the chain's text), hex. */
function chainHashOf(event: ChainFields, writeObject: (value: unknown, field: string) => string): string {
  const pieces = chainPieces(event, writeObject);
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  let most = 3;
  for (const piece of pieces) most += 3 * piece.length;
  if (scratch.length < most) scratch = Buffer.allocUnsafe(most);
  let n = scratch.write(CHAIN_PREFIX_CHAR, 0);
  for (const piece of pieces) n += scratch.write(piece, n);
  return hash('sha256', scratch.subarray(0, n), 'hex');
}
