const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Epoch milliseconds of midnight UTC of an ISO date, or undefined when it is not a real calendar date. */
export function isoDateToUtcMs(value: string): number | undefined {
  const m = ISO_DATE.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2025-02-30 over to 2025-03-02; a real date survives the round trip.
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return ms;
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && isoDateToUtcMs(value) !== undefined;
}

/** An ISO date `days` calendar days after (or before, if negative) `isoDate`. Throws RangeError on a bad date. */
export function addCalendarDays(isoDate: string, days: number): string {
  const ms = isoDateToUtcMs(isoDate);
  if (ms === undefined) throw new RangeError(`not a real calendar date in YYYY-MM-DD form: ${JSON.stringify(isoDate)}`);
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar day (YYYY-MM-DD) of an instant at a fixed offset from UTC. Throws RangeError on an invalid Date. */
export function calendarDayAt(at: Date, utcOffsetMinutes: number): string {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  return new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}
