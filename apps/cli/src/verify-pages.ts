import { join } from 'node:path';
import { ThreadClient } from '@derbes/event-store';
import type { HashedEvent } from '@derbes/integrity';

/** Positions after `after` up to `upTo` (inclusive). */
export interface PageRequest {
  readonly after: number;
  readonly upTo: number;
  /** Events up to this position are hashed as stored, their text assumed canonical (hashStoredEvent says when that is sound). */
  readonly assumeCanonicalUpTo: number;
}

/** A page hashed by a verify worker, in columns (cheap to pass between threads). */
export interface HashedPage {
  positions: number[];
  /** The store's key of each event's stream; a worker names a key in `names` the first time it gives it. */
  streams: number[];
  names: Array<[number, string]>;
  revisions: number[];
  previous: unknown[];
  chains: Array<string | null>;
  /** 32 bytes per event. */
  leaves: Uint8Array;
  malformed: Array<[number, string]>;
}

/**
 * The log's events up to `last`, hashed by `threads` worker threads that each read their own ranges of positions
 * (pages of `pageSize`), yielded in position order. A few pages per thread are asked ahead. Events up to
 * `assumeCanonicalUpTo` are hashed with their stored text assumed canonical.
 */
export async function* hashedPages(path: string, last: number, threads: number, assumeCanonicalUpTo = 0, pageSize = 2048): AsyncGenerator<HashedEvent[]> {
  const workers = Array.from({ length: threads }, () => new ThreadClient('verify worker', join(__dirname, 'verify.worker'), { path }));
  const ahead = threads * 3;
  // Streams by key, so that a page carries a number per event rather than a copy of its stream's name: one string
  // per stream here, whose hash the verifier's map of streams computes once.
  const names = new Map<number, string>();
  const pending: Array<Promise<HashedPage>> = [];
  let next = 0;
  const ask = () => {
    const after = next * pageSize;
    pending.push(workers[next % threads]!.request<HashedPage>({ after, upTo: Math.min(after + pageSize, last), assumeCanonicalUpTo } satisfies PageRequest));
    next++;
  };
  try {
    while (next * pageSize < last && pending.length < ahead) ask();
    while (pending.length > 0) {
      const page = await pending.shift()!;
      if (next * pageSize < last) ask();
      for (const [key, name] of page.names) names.set(key, name);
      yield toEvents(page, names);
    }
  } finally {
    await Promise.allSettled(pending);
    await Promise.all(workers.map((w) => w.close()));
  }
}

function toEvents(page: HashedPage, names: ReadonlyMap<number, string>): HashedEvent[] {
  const bytes = Buffer.from(page.leaves.buffer, page.leaves.byteOffset, page.leaves.byteLength);
  const malformed = new Map(page.malformed);
  return page.positions.map((position, i) => ({
    position,
    streamId: names.get(page.streams[i]!)!,
    revision: page.revisions[i]!,
    previousHash: page.previous[i],
    chainHash: page.chains[i]!,
    leafHash: bytes.subarray(i * 32, i * 32 + 32),
    ...(malformed.has(i) && { malformed: malformed.get(i) }),
  }));
}
