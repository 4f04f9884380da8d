import { Link, type HashedColumns } from './hashed-columns';
import { SUBJECT_STREAM_PREFIX } from './log-verifier-hashing';
import type { Finding } from './log-verifier';

const fmt = (n: number) => n.toLocaleString('en-US');
const hex = (bytes: Uint8Array, at: number) => Buffer.from(bytes.buffer, bytes.byteOffset + at, 32).toString('hex');

const CHAINED = 1;
const BROKEN = 2;
const SUBJECT = 4;

/**
 * Every stream the verifier has seen, by the number a page gives it, in columns: the revision expected next, where
 * its last event is, whether it is a subject's stream, chained, broken, and its last chain hash (32 bytes each).
 */
export class StreamTable {
  readonly names: string[] = [];
  subjects = 0;
  /** The table's index of each stream number below 2^22 (+1; 0 for none), and of larger ones. */
  private small = new Int32Array(1024);
  private readonly large = new Map<number, number>();
  private next = new Float64Array(1024);
  private at = new Float64Array(1024);
  private flags = new Uint8Array(1024);
  private last = new Uint8Array(1024 * 32);

  get size(): number {
    return this.names.length;
  }

  /** Names the streams the page names (before its events are followed). */
  learn(names: ReadonlyArray<readonly [number, string]>): void {
    for (const [key, name] of names) {
      if (this.find(key) !== undefined) continue;
      const i = this.names.length;
      if (i === this.flags.length) this.grow();
      if ((key | 0) === key && key >= 0 && key < SMALL) {
        if (key >= this.small.length) this.small = grown(this.small, Math.min(SMALL, 2 ** Math.ceil(Math.log2(key + 1))));
        this.small[key] = i + 1;
      } else {
        this.large.set(key, i);
      }
      this.names.push(name);
      if (name.startsWith(SUBJECT_STREAM_PREFIX)) {
        this.flags[i] = SUBJECT;
        this.subjects++;
      }
    }
  }

  /** The table's index of a page's stream number. */
  indexOf(key: number): number {
    const i = this.find(key);
    if (i === undefined) throw new Error(`log verifier: stream ${key} was given no name`);
    return i;
  }

  private find(key: number): number | undefined {
    const i = (key | 0) === key && key >= 0 && key < this.small.length ? this.small[key]! - 1 : this.large.get(key) ?? -1;
    return i < 0 ? undefined : i;
  }

  broken(s: number): boolean {
    return (this.flags[s]! & BROKEN) !== 0;
  }

  /** How many events of the stream were followed (its last revision + 1, until it broke). */
  seen(s: number): number {
    return this.next[s]!;
  }

  /**
   * Event `i` of the page in stream `s`: its revision in order and, for a subject, its link to the chain hash of the
   * stream's event before (verifyChain's rules, one event at a time). Pushes the first break and stops following.
   */
  follow(page: HashedColumns, i: number, s: number, malformed: boolean, findings: Finding[]): void {
    const position = page.positions[i]!;
    const revision = page.revisions[i]!;
    const subject = page.chained[i] === 1 || (this.flags[s]! & SUBJECT) !== 0;
    if (revision !== this.next[s]) {
      return this.break(s, subject, position, revision, findings, 'revision-gap', `expected revision ${this.next[s]} here: an event of the stream is missing or out of order`);
    }
    this.next[s] = revision + 1;
    const previousAt = this.at[s]!;
    this.at[s] = position;
    if (!subject) return;
    if (malformed) {
      this.flags[s]! |= BROKEN; // named as malformed-event
      return;
    }
    // No hashing path gives a well-formed subject event without a chain hash; were one to, the chain would stop
    // being checked there: it is named, not passed over in silence.
    if (page.chained[i] !== 1) return this.break(s, subject, position, revision, findings, 'no-chain-hash', 'a subject event without a chain hash: its chain cannot be followed');
    const kind = page.linkKinds[i];
    const chained = (this.flags[s]! & CHAINED) !== 0;
    const same = kind === Link.Hash && chained && this.linksLast(page.links, i * 32, s);
    if (same) return this.keep(page, i, s); // the common case, first: the link names the chain hash computed for the event before
    if (kind === Link.Absent) {
      if (chained) this.break(s, subject, position, revision, findings, 'unchained-after-chained', 'has no previousHash after chained events');
      return;
    }
    if (kind === Link.Other) return this.break(s, subject, position, revision, findings, 'malformed-previous-hash', 'previousHash is neither null nor 64 lowercase hex digits');
    const link = kind === Link.Null ? 'null' : hex(page.links, i * 32);
    if (!chained && kind !== Link.Null) return this.break(s, subject, position, revision, findings, 'first-link-not-null', `the first chained event carries previousHash ${link}, expected null`);
    if (chained) {
      return this.break(s, subject, position, revision, findings, 'previous-hash-mismatch', `previousHash ${link.slice(0, 16)}... is not the chain hash of revision ${revision - 1} (${hex(this.last, s * 32).slice(0, 16)}...): this event's link was altered, or the event at position ${fmt(previousAt)} was, or one between them was removed or replaced`);
    }
    this.flags[s]! |= CHAINED;
    this.keep(page, i, s);
  }

  private break(s: number, subject: boolean, position: number, revision: number, findings: Finding[], code: string, why: string): void {
    this.flags[s]! |= BROKEN;
    findings.push({ kind: subject ? 'chain-break' : 'revision-gap', position, code, message: `${this.names[s]} revision ${revision} (position ${fmt(position)}): ${why}` });
  }

  private linksLast(links: Uint8Array, from: number, s: number): boolean {
    const last = this.last;
    const at = s * 32;
    for (let k = 0; k < 32; k++) if (links[from + k] !== last[at + k]) return false;
    return true;
  }

  private keep(page: HashedColumns, i: number, s: number): void {
    const { chains } = page;
    const last = this.last;
    for (let k = 0, from = i * 32, at = s * 32; k < 32; k++) last[at + k] = chains[from + k]!;
  }

  private grow(): void {
    const n = this.flags.length * 2;
    this.next = grown(this.next, n);
    this.at = grown(this.at, n);
    this.flags = grown(this.flags, n);
    this.last = grown(this.last, n * 32);
  }
}

const SMALL = 2 ** 22;

function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}
