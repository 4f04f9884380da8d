import type { Position } from '@eventstore/db-client';
import { eventKey } from './event-mapping';

/**
 * The ledger's dense numbering of `$all`: the ledger's events, in `$all` order, are positions 1, 2, 3... (an event's
 * position is 1 + the number of ledger events before it). Every instance following the same `$all` with the same
 * filter numbers them alike. Kept in memory: two numbers per event for its `$all` position (sorted, so found back by
 * binary search) and a map from event id to position, about 100 bytes an event.
 */
export class LedgerIndex {
  // $all positions are byte offsets in the log: exact as doubles up to 2^53 (8 PiB), half the memory of bigints.
  private readonly commits: number[] = [];
  private readonly prepares: number[] = [];
  private readonly ids = new Map<string, number>();
  private taken: Position | undefined;
  private searchedTo: Position | undefined;
  private readonly listeners = new Set<() => void>();

  /** The last ledger position numbered; 0 when none. */
  get lastPosition(): number {
    return this.commits.length;
  }

  /** The `$all` position of the last ledger event numbered: a subscription resumes after it. */
  get lastTaken(): Position | undefined {
    return this.taken;
  }

  /**
   * Numbers the next ledger event of `$all`. An event at or before the last one numbered is one delivered again
   * (a resubscription overlapping the last): it is ignored and undefined returned.
   */
  add(id: string, position: Position): number | undefined {
    if (this.taken !== undefined && compare(position, this.taken) <= 0) return undefined;
    if (position.commit > BigInt(Number.MAX_SAFE_INTEGER) || position.prepare > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(`event ${id}: $all position ${position.commit}/${position.prepare} is beyond what the index can number`);
    }
    this.commits.push(Number(position.commit));
    this.prepares.push(Number(position.prepare));
    const ledgerPosition = this.commits.length;
    // An id stored twice (the race described in ESDB.md) keeps its first position, as a read by id finds it first.
    const key = eventKey(id);
    if (!this.ids.has(key)) this.ids.set(key, ledgerPosition);
    this.taken = position;
    if (this.searchedTo === undefined || compare(position, this.searchedTo) > 0) this.searchedTo = position;
    this.notify();
    return ledgerPosition;
  }

  /** The server has searched `$all` this far for ledger events (a filter checkpoint). */
  searched(position: Position): void {
    if (this.searchedTo !== undefined && compare(position, this.searchedTo) <= 0) return;
    this.searchedTo = position;
    this.notify();
  }

  /** Whether `$all` has been searched up to this position (every ledger event before it is numbered). */
  hasSearched(position: Position): boolean {
    return this.searchedTo !== undefined && compare(position, this.searchedTo) <= 0;
  }

  /** Whether the ledger event at this `$all` position is numbered. */
  hasTaken(position: Position): boolean {
    return this.taken !== undefined && compare(position, this.taken) <= 0;
  }

  /** The ledger position of the event at this `$all` position; undefined when it is not a numbered ledger event. */
  positionOf(position: Position): number | undefined {
    const commit = Number(position.commit);
    const prepare = Number(position.prepare);
    let low = 0;
    let high = this.commits.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const c = this.commits[mid]!;
      const p = this.prepares[mid]!;
      if (c === commit && p === prepare) return mid + 1;
      if (c < commit || (c === commit && p < prepare)) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }

  /** The `$all` position of a ledger position; undefined beyond the last. */
  allPositionOf(ledgerPosition: number): Position | undefined {
    const i = ledgerPosition - 1;
    if (!Number.isInteger(i) || i < 0 || i >= this.commits.length) return undefined;
    return { commit: BigInt(this.commits[i]!), prepare: BigInt(this.prepares[i]!) };
  }

  /** The ledger position of the event with this id; undefined when none is numbered yet. */
  positionOfId(id: string): number | undefined {
    return this.ids.get(eventKey(id));
  }

  /** Resolves true once `condition` holds (checked after every change), false after `timeoutMs`. */
  waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (!condition()) return;
        done(true);
      };
      const done = (result: boolean): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(result);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.listeners.add(check);
    });
  }

  /** Calls `listener` after every change until the returned function is called. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** `$all` order: by commit position, then prepare position. */
export function compare(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  return a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;
}
