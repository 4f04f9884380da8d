import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CalendarData, CalendarDay, CalendarYear } from './calendar.model';
import { checkCalendarData } from './calendar-data.check';
import { loadCalendarFile, mergeCalendars } from './calendar-file';
import { WorkingDayCalendar } from './working-day-calendar';

const builtIn = loadCalendarFile(join(__dirname, 'kz-calendar.json'));
const y2026 = builtIn.years.find((y) => y.year === 2026) as CalendarYear;
const dir = mkdtempSync(join(tmpdir(), 'derbes-calendar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A hypothetical decree making Thu 26 Mar 2026 a day off, shipped as an operator's correction of the whole year.
const extraDayOff: CalendarDay = {
  date: '2026-03-26',
  kind: 'transfer-off',
  names: { kk: 'Демалыс күні', ru: 'Выходной день', en: 'Day off' },
  source: 'hypothetical decree, for the test',
};
const correction: CalendarData = {
  id: 'kz-2026-decree',
  version: 2,
  description: 'operator correction',
  weekend: [0, 6],
  years: [
    { ...y2026, workingDays: 246, days: [...y2026.days, extraDayOff] },
    { year: 2028, status: 'projected', sources: ['operator estimate'], days: [] },
  ],
};

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The same data with every object's keys in reverse order and every list of days reversed. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered).reverse();
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]));
}

describe('loadCalendarFile', () => {
  it('loads and checks a correction file', () => {
    const path = write('fix.json', JSON.stringify(correction, null, 2));
    expect(loadCalendarFile(path)).toEqual(correction);
  });

  it('names the path when the file is missing', () => {
    const path = join(dir, 'absent.json');
    expect(() => loadCalendarFile(path)).toThrow(`${path}: file not found`);
  });

  it('names the path when the JSON is bad', () => {
    const path = write('bad.json', '{ "id": ');
    expect(() => loadCalendarFile(path)).toThrow(`${path}: not valid JSON:`);
  });

  it('names the path and the field when the data is bad', () => {
    const path = write('wrong.json', JSON.stringify({ ...correction, years: [{ ...correction.years[1], status: 'x' }] }));
    expect(() => loadCalendarFile(path)).toThrow(`${path}: years[0].status: must be one of verified, projected`);
  });
});

describe('mergeCalendars', () => {
  const merged = mergeCalendars(builtIn, correction);

  it('replaces whole years, adds missing ones and names both versions', () => {
    expect(merged.id).toBe('kz-working-days');
    expect(merged.version).toBe('1+kz-2026-decree@2');
    expect(merged.years.map((y) => y.year)).toEqual([2025, 2026, 2027, 2028]);
    expect(merged.years[1]).toBe(correction.years[0]);
    expect(merged.years[0]).toBe(builtIn.years[0]);
  });

  it('moves a deadline that the corrected year changes', () => {
    // Fri 20 Mar 2026, 1 working day: 21-25 Mar off; Thu 26 Mar now off too; day 1 = Fri 27 Mar.
    const calendar = WorkingDayCalendar.fromData(merged);
    expect(WorkingDayCalendar.builtIn().deadline('2026-03-20', 1, 'after-receipt').date).toBe('2026-03-26');
    expect(calendar.deadline('2026-03-20', 1, 'after-receipt')).toEqual({ date: '2026-03-27', workingDays: 1, firstDay: 'after-receipt', coverage: 'verified' });
    expect(calendar.coverage(2028)).toBe('projected');
    expect(calendar.version).toBe('1+kz-2026-decree@2');
  });

  it('refuses a correction with another weekend', () => {
    expect(() => mergeCalendars(builtIn, { ...correction, weekend: [5, 6] })).toThrow(
      "kz-2026-decree: weekend: [5, 6] differs from the built-in calendar's [6, 0]",
    );
  });
});

describe('WorkingDayCalendar.fingerprint', () => {
  const base = WorkingDayCalendar.fromData(builtIn);

  it('is the SHA-256 hex of the effective days, the same for the built-in and the loaded file', () => {
    expect(base.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(WorkingDayCalendar.builtIn().fingerprint).toBe(base.fingerprint);
    expect([base.id, base.version]).toEqual(['kz-working-days', 1]);
  });

  it('does not change when keys, days or the weekend are reordered, or names and sources are edited', () => {
    const shuffled = checkCalendarData(reordered(builtIn), 'reordered');
    expect(shuffled.years[0]?.year).toBe(2027);
    expect(WorkingDayCalendar.fromData(shuffled).fingerprint).toBe(base.fingerprint);
    const rename = (d: CalendarDay): CalendarDay => ({ ...d, names: { ...d.names, en: 'x' }, source: 'x' });
    const renamed = { ...builtIn, years: builtIn.years.map((y) => ({ ...y, days: y.days.map(rename) })) };
    expect(WorkingDayCalendar.fromData(renamed).fingerprint).toBe(base.fingerprint);
  });

  it('changes when a day is added or a year changes status', () => {
    expect(WorkingDayCalendar.fromData(mergeCalendars(builtIn, correction)).fingerprint).not.toBe(base.fingerprint);
    const years = builtIn.years.map((y) => (y.year === 2027 ? { ...y, status: 'verified' as const } : y));
    expect(WorkingDayCalendar.fromData({ ...builtIn, years }).fingerprint).not.toBe(base.fingerprint);
  });

  it('changes when a listed day only changes kind, between day off and working day and back', () => {
    // The retimer compares fingerprints to find requests whose deadline may move: a day turned from holiday to
    // working (or back) moves deadlines, with the same dates listed.
    const withKind = (date: string, kind: CalendarDay['kind']): CalendarData => ({
      ...builtIn, years: builtIn.years.map((y) => ({ ...y, days: y.days.map((d) => (d.date === date ? { ...d, kind } : d)) })),
    });
    const worked = WorkingDayCalendar.fromData(withKind('2026-01-02', 'transfer-working'));
    expect(worked.isWorkingDay('2026-01-02')).toBe(true);
    expect(worked.fingerprint).not.toBe(base.fingerprint);
    expect(WorkingDayCalendar.fromData(withKind('2025-01-05', 'transfer-off')).fingerprint).not.toBe(base.fingerprint);
  });
});
