/**
 * Calendar-date arithmetic on `YYYY-MM-DD` strings. Dates are turned into day numbers (days since 1970-01-01) on the
 * UTC time line, which has no daylight-saving gaps, so adding a day is adding 1.
 */

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or undefined when the text is not a real calendar date. */
export function dayNumber(date: string): number | undefined {
  const match = ISO_DATE.exec(date);
  if (!match) return undefined;
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MS_PER_DAY;
  // Date.UTC silently rolls 2026-02-30 over to 2 March (and years 0-99 to 19xx): a round trip catches both.
  return formatDay(day) === date ? day : undefined;
}

/** Like {@link dayNumber}, but throws a RangeError naming the argument. */
export function requireDayNumber(date: string, what: string): number {
  const day = dayNumber(date);
  if (day === undefined) throw new RangeError(`${what}: ${JSON.stringify(date)} is not a YYYY-MM-DD calendar date`);
  return day;
}

/** The `YYYY-MM-DD` date of a day number. */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day of the week of a day number, as `Date#getUTCDay` (0 = Sunday); 1970-01-01 was a Thursday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Calendar year of a day number. */
export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/**
 * The local calendar date (`YYYY-MM-DD`) of an instant at a fixed UTC offset. Kazakhstan has used a single
 * UTC+5 zone (300 minutes) since 1 March 2024; the offset is a parameter so that the caller, not this lib, owns it.
 */
export function localDate(instant: Date, utcOffsetMinutes: number): string {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('localDate: invalid instant');
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 18 * 60) {
    throw new RangeError(`localDate: ${utcOffsetMinutes} is not a UTC offset in whole minutes`);
  }
  return new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}
