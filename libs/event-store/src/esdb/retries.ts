import { isTransient } from './esdb-errors';

/** Delay before the n-th retry (1-based): 100 ms doubling, at most 5 s. */
export function backoffMs(failures: number): number {
  return Math.min(5000, 100 * 2 ** Math.max(0, failures - 1));
}

/**
 * Runs `attempt`; after a transient failure (isTransient) tries again, `retries` more times with backoff. The last
 * transient failure goes to `giveUp`, which says what to throw; other failures are thrown at once.
 */
export async function withRetries<T>(attempt: () => Promise<T>, retries: number, giveUp: (error: unknown) => Error): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (failures >= retries) throw giveUp(error);
      await new Promise((resolve) => setTimeout(resolve, backoffMs(failures + 1)));
    }
  }
}
