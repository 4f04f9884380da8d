import data from './kz-calendar.json';
import { CalendarDataError, checkCalendarData } from './calendar-data.check';

// `any`: the tests break the data on purpose, in ways its type forbids.
function broken(change: (d: any) => void): unknown {
  const copy = JSON.parse(JSON.stringify(data));
  change(copy);
  return copy;
}

describe('checkCalendarData', () => {
  it('accepts the built-in calendar', () => {
    expect(checkCalendarData(data, 'kz-calendar.json').years.map((y) => y.year)).toEqual([2025, 2026, 2027]);
  });

  it.each<[string, (d: any) => void, string]>([
    ['years that are not a list', (d) => (d.years = 'none'), 'years: must be an array, got "none"'],
    ['a missing id', (d) => delete d.id, 'id: must be a non-empty string, but it is missing'],
    ['a zero version', (d) => (d.version = 0), 'version: must be a positive integer or a string, got 0'],
    ['a bad weekend day', (d) => (d.weekend = [6, 7]), 'weekend[1]: must be an integer from 0 to 6, got 7'],
    ['a repeated weekend day', (d) => (d.weekend = [6, 6]), 'weekend: must list at most six distinct days'],
    ['an unknown field', (d) => (d.years[0].workingdays = 1), 'years[0].workingdays: is not a known field'],
    ['a year as text', (d) => (d.years[0].year = '2025'), 'years[0].year: must be an integer from 1900 to 9998'],
    ['a repeated year', (d) => d.years.push(d.years[1]), 'years[3].year: 2026 is listed twice (also years[1])'],
    ['a bad status', (d) => (d.years[2].status = 'draft'), 'years[2].status: must be one of verified, projected'],
    ['no sources', (d) => (d.years[0].sources = []), 'years[0].sources: must name at least one source'],
    ['an impossible date', (d) => (d.years[1].days[3].date = '2026-02-30'),
      'years[1].days[3].date: 2026-02-30 is not a calendar date'],
    ['a badly written date', (d) => (d.years[1].days[3].date = '2026-3-9'),
      'years[1].days[3].date: 2026-3-9 is not a calendar date'],
    ['a date in another year', (d) => (d.years[0].days[0].date = '2026-01-01'),
      'years[0].days[0].date: 2026-01-01 is not in 2025'],
    ['a bad kind', (d) => (d.years[0].days[0].kind = 'bank-holiday'),
      'years[0].days[0].kind: must be one of holiday, holiday-moved, transfer-off, transfer-working, religious'],
    ['a working weekday listed as worked', (d) => (d.years[0].days[0].kind = 'transfer-working'),
      'years[0].days[0].kind: transfer-working on 2025-01-01, a Wednesday, which is already a working day'],
    ['a holiday on a weekend', (d) => (d.years[0].days[0].date = '2025-01-04'),
      'years[0].days[0].kind: holiday on 2025-01-04, a Saturday, which is already a day off'],
    ['a religious day on a weekend', (d) => (d.years[1].days[10].date = '2026-05-30'),
      'years[1].days[10].kind: religious on 2026-05-30, a Saturday, which is already a day off'],
    ['a repeated date', (d) => (d.years[0].days[1].date = '2025-01-01'),
      'years[0].days[1].date: 2025-01-01 is listed twice (also days[0])'],
    ['an empty Kazakh name', (d) => (d.years[0].days[0].names.kk = ' '), 'years[0].days[0].names.kk: must be a non-empty string'],
    ['a missing English name', (d) => delete d.years[2].days[4].names.en,
      'years[2].days[4].names.en: must be a non-empty string, but it is missing'],
    ['a missing source', (d) => delete d.years[0].days[2].source, 'years[0].days[2].source: must be a non-empty string'],
    ['a wrong working-day count', (d) => (d.years[0].workingDays = 245),
      'years[0].workingDays: says 245, but the listed days give 246'],
    ['a day dropped under a stated count', (d) => d.years[1].days.pop(),
      'years[1].workingDays: says 247, but the listed days give 248'],
  ])('rejects %s, naming the path', (_what, change, message) => {
    expect(() => checkCalendarData(broken(change), 'kz-calendar.json')).toThrow(`kz-calendar.json: ${message}`);
  });

  it('rejects a non-object root and throws CalendarDataError with the parts', () => {
    expect(() => checkCalendarData([], 'fix.json')).toThrow('fix.json: must be an object, got []');
    try {
      checkCalendarData(broken((d) => (d.years[1].days[3].date = '2026-02-30')), 'kz-calendar.json');
      throw new Error('expected a CalendarDataError');
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarDataError);
      expect(error).toMatchObject({ origin: 'kz-calendar.json', field: 'years[1].days[3].date' });
    }
  });

  it('accepts a year without a stated count and a string version', () => {
    const fix = broken((d) => {
      d.version = '2026-decree';
      delete d.years[0].workingDays;
    });
    expect(checkCalendarData(fix, 'fix.json').years[0]?.workingDays).toBeUndefined();
  });
});
