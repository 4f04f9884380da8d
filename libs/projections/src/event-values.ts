/**
 * Canonical UTC ISO text (`2026-11-20T09:30:00.000Z`): the same width for every year 0000-9999, so that text order
 * is time order and a column in this form compares with bounds in the same form. Throws RangeError otherwise.
 */
export function canonicalInstant(value: string): string {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new RangeError(`not an ISO 8601 instant: ${JSON.stringify(value)}`);
  return new Date(at).toISOString();
}

/**
 * The canonical forms of the occurredAt texts seen last. The projections read a batch one after another, each the
 * same events, and every one of them needs the event's occurredAt in canonical form: written once (~1.8 µs, most of it
 * toISOString), then looked up (~0.1 µs) by the others. Cleared when full; holds a batch of the largest size.
 */
const canonicalOf = new Map<string, string>();
const REMEMBERED = 50_000;

/** An event's occurredAt in canonical form; an event that lacks one cannot be projected, and says where it is. */
export function occurredAtOf(value: unknown, position: number): string {
  if (typeof value === 'string') {
    const known = canonicalOf.get(value);
    if (known !== undefined) return known;
  }
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) throw new TypeError(`event at position ${position}: occurredAt is not an ISO 8601 instant`);
  const canonical = new Date(at).toISOString();
  if (canonicalOf.size >= REMEMBERED) canonicalOf.clear();
  canonicalOf.set(value as string, canonical);
  return canonical;
}
