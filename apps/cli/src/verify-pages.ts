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
  streams: string[];
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
      yield toEvents(page);
    }
  } finally {
    await Promise.allSettled(pending);
    await Promise.all(workers.map((w) => w.close()));
  }
}

function toEvents(page: HashedPage): HashedEvent[] {
  const bytes = Buffer.from(page.leaves.buffer, page.leaves.byteOffset, page.leaves.byteLength);
  const malformed = new Map(page.malformed);
  return page.positions.map((position, i) => ({
    position,
    streamId: page.streams[i]!,
    revision: page.revisions[i]!,
    previousHash: page.previous[i],
    chainHash: page.chains[i]!,
    leafHash: bytes.subarray(i * 32, i * 32 + 32),
    ...(malformed.has(i) && { malformed: malformed.get(i) }),
  }));
}
