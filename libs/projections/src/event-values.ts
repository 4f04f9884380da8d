/**
 * Canonical UTC ISO text (`2026-11-20T09:30:00.000Z`): the same width for every year 0000-9999, so that text order
 * is time order and a column in this form compares with bounds in the same form. Throws RangeError otherwise.
 */
export function canonicalInstant(value: string): string {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new RangeError(`not an ISO 8601 instant: ${JSON.stringify(value)}`);
  return new Date(at).toISOString();
}

/** An event's occurredAt in canonical form; an event that lacks one cannot be projected, and says where it is. */
export function occurredAtOf(value: unknown, position: number): string {
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) throw new TypeError(`event at position ${position}: occurredAt is not an ISO 8601 instant`);
  return new Date(at).toISOString();
}
