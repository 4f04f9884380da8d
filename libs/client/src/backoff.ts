/**
 * The wait before attempt `attempt + 1`: exponential from `baseMs` with jitter (half fixed, half random, so that
 * clients that failed together do not come back together), or the server's Retry-After plus a little jitter.
 * Never more than `maxMs`.
 */
export function backoffDelay(attempt: number, retryAfterMs: number | undefined, baseMs: number, maxMs: number): number {
  if (retryAfterMs !== undefined) return Math.min(maxMs, retryAfterMs + Math.random() * Math.min(baseMs, retryAfterMs / 10 + 1));
  const step = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return step / 2 + (Math.random() * step) / 2;
}

/** A wait that does not keep the process alive by itself (flush() and close() do while they wait). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
