import { isTransient } from './esdb-errors';

/** Delay before the n-th retry (1-based): 100 ms doubling, at most 5 s. */
export function backoffMs(failures: number): number {
  return Math.min(5000, 100 * 2 ** Math.max(0, failures - 1));
}

/** Waits `ms`, or less if the function handed to `setWake` is called first (the waiter is being stopped). */
export function wakeablePause(ms: number, setWake: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      resolve();
    }
    setWake(done);
  });
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
