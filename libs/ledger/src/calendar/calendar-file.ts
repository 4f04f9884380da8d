import { readFileSync } from 'node:fs';
import { CalendarData } from './calendar.model';
import { CalendarDataError, checkCalendarData } from './calendar-data.check';

/**
 * Reads and checks a calendar JSON file, such as an operator's correction file. Every failure (missing or
 * unreadable file, bad JSON, bad data) is a {@link CalendarDataError} whose message starts with the path.
 */
export function loadCalendarFile(path: string): CalendarData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CalendarDataError(path, '', code === 'ENOENT' ? 'file not found' : `cannot read the file: ${String(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CalendarDataError(path, '', `not valid JSON: ${(error as Error).message}`);
  }
  return checkCalendarData(raw, path);
}

/**
 * Applies an operator's correction on top of the built-in calendar. Each year in the correction replaces the
 * built-in year as a whole (a partial year would silently mix two publications), and years the built-in lacks are
 * added. The result keeps the built-in `id` and description; its `version` is
 * `"<built-in version>+<correction id>@<correction version>"`, e.g. `"1+kz-2026-decree@2"`, so a deadline records
 * both inputs. Both calendars must have the same weekend, which the correction's working-day counts rely on.
 */
export function mergeCalendars(builtIn: CalendarData, correction: CalendarData): CalendarData {
  const sameWeekend =
    builtIn.weekend.length === correction.weekend.length && builtIn.weekend.every((d) => correction.weekend.includes(d));
  if (!sameWeekend) {
    throw new CalendarDataError(
      correction.id,
      'weekend',
      `[${correction.weekend.join(', ')}] differs from the built-in calendar's [${builtIn.weekend.join(', ')}]`,
    );
  }
  const byYear = new Map(builtIn.years.map((y) => [y.year, y]));
  for (const year of correction.years) byYear.set(year.year, year);
  return {
    id: builtIn.id,
    version: `${builtIn.version}+${correction.id}@${correction.version}`,
    description: builtIn.description,
    weekend: builtIn.weekend,
    years: [...byYear.values()].sort((a, b) => a.year - b.year),
  };
}
