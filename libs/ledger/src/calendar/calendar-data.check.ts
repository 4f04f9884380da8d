import {
  CalendarData,
  CalendarDay,
  CalendarYear,
  DAY_KINDS,
  DayNames,
  YEAR_STATUSES,
  isWorkingKind,
} from './calendar.model';
import { dayNumber, weekdayOf } from './local-date';

/** Calendar data that failed a check. The message is `<origin>: <JSON path>: <reason>`. */
export class CalendarDataError extends Error {
  constructor(
    readonly origin: string,
    /** JSON path of the bad field, e.g. `years[1].days[3].date`; empty when the whole input is bad. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(field ? `${origin}: ${field}: ${reason}` : `${origin}: ${reason}`);
    this.name = 'CalendarDataError';
  }
}

/** The number of working days in `year` under the given weekend and the year's listed exceptions. */
export function countWorkingDays(year: number, weekend: readonly number[], days: readonly CalendarDay[]): number {
  const listed = new Map(days.map((d) => [dayNumber(d.date), isWorkingKind(d.kind)]));
  const first = dayNumber(`${year}-01-01`) as number;
  const end = dayNumber(`${year + 1}-01-01`) as number;
  let count = 0;
  for (let day = first; day < end; day++) {
    if (listed.get(day) ?? !weekend.includes(weekdayOf(day))) count++;
  }
  return count;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
type Fail = (field: string, reason: string) => never;
type Fields = Record<string, unknown>;

function got(value: unknown): string {
  if (value === undefined) return 'but it is missing';
  const json = JSON.stringify(value);
  return `got ${json.length > 40 ? `${json.slice(0, 40)}…` : json}`;
}

/** An object with no fields outside `allowed`: an unknown key is most likely a typo in an operator's file. */
function record(value: unknown, path: string, allowed: readonly string[], fail: Fail): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, `must be an object, ${got(value)}`);
  for (const key of Object.keys(value as object)) {
    if (!allowed.includes(key)) fail(path ? `${path}.${key}` : key, `is not a known field (expected ${allowed.join(', ')})`);
  }
  return value as Fields;
}

function text(value: unknown, path: string, fail: Fail): string {
  if (typeof value !== 'string' || value.trim() === '') fail(path, `must be a non-empty string, ${got(value)}`);
  return value as string;
}

function list(value: unknown, path: string, fail: Fail): readonly unknown[] {
  if (!Array.isArray(value)) fail(path, `must be an array, ${got(value)}`);
  return value as unknown[];
}

function integer(value: unknown, path: string, min: number, max: number, fail: Fail): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(path, `must be an integer from ${min} to ${max}, ${got(value)}`);
  }
  return value as number;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string, fail: Fail): T {
  if (!allowed.includes(value as T)) fail(path, `must be one of ${allowed.join(', ')}, ${got(value)}`);
  return value as T;
}

function checkDay(raw: unknown, path: string, year: number, weekend: readonly number[], fail: Fail): CalendarDay {
  const o = record(raw, path, ['date', 'kind', 'names', 'source'], fail);
  const date = text(o['date'], `${path}.date`, fail);
  const day = dayNumber(date);
  if (day === undefined) return fail(`${path}.date`, `${date} is not a calendar date (YYYY-MM-DD)`);
  if (!date.startsWith(`${year}-`)) fail(`${path}.date`, `${date} is not in ${year}`);
  const kind = oneOf(o['kind'], DAY_KINDS, `${path}.kind`, fail);
  const weekday = WEEKDAYS[weekdayOf(day)] as string;
  const onWeekend = weekend.includes(weekdayOf(day));
  // Listing a day that the five-day week already treats the same way changes nothing and hides a data mistake.
  if (isWorkingKind(kind) && !onWeekend) fail(`${path}.kind`, `${kind} on ${date}, a ${weekday}, which is already a working day`);
  if (!isWorkingKind(kind) && onWeekend) fail(`${path}.kind`, `${kind} on ${date}, a ${weekday}, which is already a day off`);
  const n = record(o['names'], `${path}.names`, ['kk', 'ru', 'en'], fail);
  const names: DayNames = {
    kk: text(n['kk'], `${path}.names.kk`, fail),
    ru: text(n['ru'], `${path}.names.ru`, fail),
    en: text(n['en'], `${path}.names.en`, fail),
  };
  return { date, kind, names, source: text(o['source'], `${path}.source`, fail) };
}

function checkYear(raw: unknown, path: string, weekend: readonly number[], fail: Fail): CalendarYear {
  const o = record(raw, path, ['year', 'status', 'sources', 'workingDays', 'days'], fail);
  const year = integer(o['year'], `${path}.year`, 1900, 9998, fail);
  const status = oneOf(o['status'], YEAR_STATUSES, `${path}.status`, fail);
  const sources = list(o['sources'], `${path}.sources`, fail).map((s, i) => text(s, `${path}.sources[${i}]`, fail));
  if (sources.length === 0) fail(`${path}.sources`, 'must name at least one source');
  const seen = new Map<string, number>();
  const days = list(o['days'], `${path}.days`, fail).map((d, i) => {
    const day = checkDay(d, `${path}.days[${i}]`, year, weekend, fail);
    const earlier = seen.get(day.date);
    if (earlier !== undefined) fail(`${path}.days[${i}].date`, `${day.date} is listed twice (also days[${earlier}])`);
    seen.set(day.date, i);
    return day;
  });
  const computed = countWorkingDays(year, weekend, days);
  if (o['workingDays'] === undefined) return { year, status, sources, days };
  const stated = integer(o['workingDays'], `${path}.workingDays`, 0, 366, fail);
  if (stated !== computed) fail(`${path}.workingDays`, `says ${stated}, but the listed days give ${computed}`);
  return { year, status, sources, workingDays: stated, days };
}

/**
 * Checks untrusted calendar data (a parsed JSON file) and returns it typed, or throws a {@link CalendarDataError}
 * naming `origin`, the JSON path of the first bad field and why it is bad.
 */
export function checkCalendarData(raw: unknown, origin: string): CalendarData {
  const fail: Fail = (field, reason) => {
    throw new CalendarDataError(origin, field, reason);
  };
  const o = record(raw, '', ['id', 'version', 'description', 'weekend', 'years'], fail);
  const id = text(o['id'], 'id', fail);
  const version = o['version'];
  if (typeof version !== 'string' && !(Number.isInteger(version) && (version as number) > 0)) {
    fail('version', `must be a positive integer or a string, ${got(version)}`);
  }
  if (typeof version === 'string') text(version, 'version', fail);
  const description = text(o['description'], 'description', fail);
  const weekend = list(o['weekend'], 'weekend', fail).map((d, i) => integer(d, `weekend[${i}]`, 0, 6, fail));
  // A seven-day weekend would leave no working day to count towards a deadline.
  if (new Set(weekend).size !== weekend.length || weekend.length > 6) fail('weekend', 'must list at most six distinct days');
  const seen = new Map<number, number>();
  const years = list(o['years'], 'years', fail).map((y, i) => {
    const year = checkYear(y, `years[${i}]`, weekend, fail);
    const earlier = seen.get(year.year);
    if (earlier !== undefined) fail(`years[${i}].year`, `${year.year} is listed twice (also years[${earlier}])`);
    seen.set(year.year, i);
    return year;
  });
  return { id, version: version as number | string, description, weekend, years };
}
