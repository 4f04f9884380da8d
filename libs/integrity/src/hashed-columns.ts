import type { HashedEvent } from './log-verifier-hashing';

/**
 * What an event's `metadata.previousHash` is, as HashedColumns keeps it: no such member (an event from before the
 * chain), null, 64 lowercase hex digits (kept as their 32 bytes in `links`), or anything else (a malformed link).
 */
export const Link = { Absent: 0, Null: 1, Hash: 2, Other: 3 } as const;
export type LinkKind = (typeof Link)[keyof typeof Link];

/**
 * A page of hashed events, column by column: what verifyLog reads. Hashes are bytes side by side (32 an event), so a
 * page passes between threads as a few blocks of memory and is read without an object or a string per event.
 */
export interface HashedColumns {
  readonly count: number;
  readonly positions: Float64Array;
  /** A number per stream, chosen by whoever made the page and kept for the whole pass; `names` gives each its name. */
  readonly streams: Float64Array;
  /** [number, name] of each stream number that this page's maker gives for the first time. */
  readonly names: Array<[number, string]>;
  readonly revisions: Float64Array;
  /** Link kind of each event (`Link`). */
  readonly linkKinds: Uint8Array;
  /** 32 bytes an event: the link's bytes where its kind is Link.Hash. */
  readonly links: Uint8Array;
  /** 1 where the event has a chain hash (a subject's well-formed event). */
  readonly chained: Uint8Array;
  /** 32 bytes an event: the chain hash where `chained`. */
  readonly chains: Uint8Array;
  /** 32 bytes an event: the RFC 9162 leaf hash. */
  readonly leaves: Uint8Array;
  /** [index in the page, why the event is not a valid event]. */
  readonly malformed: Array<[number, string]>;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Fills a page's columns an event at a time (hashes given as 32-byte 'latin1' strings, as crypto.hash's 'binary' gives them). */
export class HashedColumnsWriter {
  private readonly page: HashedColumns & { count: number };
  private readonly links: Buffer;
  private readonly chains: Buffer;
  private readonly leaves: Buffer;

  constructor(capacity: number) {
    const bytes = (n: number) => new Uint8Array(Math.max(0, capacity) * n);
    this.page = {
      count: 0, positions: new Float64Array(Math.max(0, capacity)), streams: new Float64Array(Math.max(0, capacity)), names: [],
      revisions: new Float64Array(Math.max(0, capacity)), linkKinds: bytes(1), links: bytes(32), chained: bytes(1), chains: bytes(32),
      leaves: bytes(32), malformed: [],
    };
    const view = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    this.links = view(this.page.links);
    this.chains = view(this.page.chains);
    this.leaves = view(this.page.leaves);
  }

  name(stream: number, name: string): void {
    this.page.names.push([stream, name]);
  }

  /** One event; `chain` null when it has no chain hash. Throws past the capacity. */
  add(position: number, stream: number, revision: number, previousHash: unknown, leaf: string, chain: string | null, malformed?: string): void {
    const i = this.page.count;
    if (i >= this.page.positions.length) throw new RangeError(`hashed columns: more than ${this.page.positions.length} events`);
    this.page.positions[i] = position;
    this.page.streams[i] = stream;
    this.page.revisions[i] = revision;
    this.page.linkKinds[i] = linkKind(previousHash);
    if (this.page.linkKinds[i] === Link.Hash) this.links.write(previousHash as string, i * 32, 32, 'hex');
    this.leaves.write(leaf, i * 32, 32, 'latin1');
    if (chain !== null) {
      this.page.chained[i] = 1;
      this.chains.write(chain, i * 32, 32, 'latin1');
    }
    if (malformed !== undefined) this.page.malformed.push([i, malformed]);
    this.page.count = i + 1;
  }

  /** The page; the writer is spent. */
  finish(): HashedColumns {
    return this.page;
  }
}

function linkKind(link: unknown): LinkKind {
  if (link === undefined) return Link.Absent;
  if (link === null) return Link.Null;
  return typeof link === 'string' && HEX64.test(link) ? Link.Hash : Link.Other;
}

/** Events hashed one by one (hashEvent), as columns; `keys` numbers their streams and is kept from page to page. */
export function columnsOf(events: readonly HashedEvent[], keys: Map<string, number>): HashedColumns {
  const writer = new HashedColumnsWriter(events.length);
  for (const e of events) {
    let key = keys.get(e.streamId);
    if (key === undefined) {
      key = keys.size;
      keys.set(e.streamId, key);
      writer.name(key, e.streamId);
    }
    const leaf = Buffer.from(e.leafHash.buffer, e.leafHash.byteOffset, e.leafHash.byteLength).toString('latin1');
    const chain = e.chainHash === null ? null : Buffer.from(e.chainHash, 'hex').toString('latin1');
    writer.add(e.position, key, e.revision, e.previousHash, leaf, chain, e.malformed);
  }
  return writer.finish();
}
