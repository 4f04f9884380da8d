import { join } from 'node:path';
import { ThreadClient } from '@derbes/event-store';
import type { HashedColumns } from '@derbes/integrity';

/** Positions after `after` up to `upTo` (inclusive). */
export interface PageRequest {
  readonly after: number;
  readonly upTo: number;
  /** Events up to this position are hashed as stored, their text assumed canonical (hashStoredEvent says when that is sound). */
  readonly assumeCanonicalUpTo: number;
}

/**
 * The log's events up to `last`, hashed by `threads` worker threads that each read their own ranges of positions
 * (pages of `pageSize`), yielded in position order. A few pages per thread are asked ahead. Events up to
 * `assumeCanonicalUpTo` are hashed with their stored text assumed canonical.
 */
export async function* hashedPages(path: string, last: number, threads: number, assumeCanonicalUpTo = 0, pageSize = 2048): AsyncGenerator<HashedColumns> {
  const workers = Array.from({ length: threads }, () => new ThreadClient('verify worker', join(__dirname, 'verify.worker'), { path }));
  const ahead = threads * 3;
  const pending: Array<Promise<HashedColumns>> = [];
  let next = 0;
  const ask = () => {
    const after = next * pageSize;
    pending.push(workers[next % threads]!.request<HashedColumns>({ after, upTo: Math.min(after + pageSize, last), assumeCanonicalUpTo } satisfies PageRequest));
    next++;
  };
  try {
    while (next * pageSize < last && pending.length < ahead) ask();
    while (pending.length > 0) {
      const page = await pending.shift()!;
      if (next * pageSize < last) ask();
      yield page;
    }
  } finally {
    await Promise.allSettled(pending);
    await Promise.all(workers.map((w) => w.close()));
  }
}
