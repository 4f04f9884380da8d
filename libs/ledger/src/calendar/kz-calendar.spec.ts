import data from './kz-calendar.json';
import { WorkingDayCalendar } from './working-day-calendar';

const kz = WorkingDayCalendar.builtIn();

function datesOf(year: number): string[] {
  const dates: string[] = [];
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    dates.push(d.toISOString().slice(0, 10));
  }
  return dates;
}
const isWeekend = (date: string): boolean => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

// The tables of law.md §4.2-4.4, copied by hand: every weekday that is not worked, and every weekend day that is.
const LAW_MD: Record<number, { workingDays: number; weekdaysOff: string[]; weekendsWorked: string[] }> = {
  2025: {
    workingDays: 246,
    weekdaysOff: [
      '01-01', '01-02', '01-03', '01-07', '03-10', '03-21', '03-24', '03-25', '05-01', '05-07', '05-09', '06-06',
      '07-07', '09-01', '10-27', '12-16',
    ],
    weekendsWorked: ['01-05'],
  },
  2026: {
    workingDays: 247,
    weekdaysOff: [
      '01-01', '01-02', '01-07', '03-09', '03-23', '03-24', '03-25', '05-01', '05-07', '05-11', '05-27', '07-06',
      '10-26', '12-16',
    ],
    weekendsWorked: [],
  },
  2027: {
    workingDays: 247,
    weekdaysOff: [
      '01-01', '01-04', '01-07', '03-08', '03-15', '03-22', '03-23', '03-24', '05-03', '05-07', '05-10', '07-06',
      '10-25', '12-16',
    ],
    weekendsWorked: [],
  },
};

describe('kz-calendar.json against law.md §4', () => {
  it.each([2025, 2026, 2027])('%i has law.md\'s working-day count, in the data and as computed', (year) => {
    const expected = LAW_MD[year]?.workingDays;
    expect(datesOf(year).filter((d) => kz.isWorkingDay(d))).toHaveLength(expected as number);
    expect(data.years.find((y) => y.year === year)?.workingDays).toBe(expected);
  });

  it.each([2025, 2026, 2027])('%i has exactly law.md\'s non-working weekdays and working weekend days', (year) => {
    const law = LAW_MD[year];
    const dates = datesOf(year);
    expect(dates.filter((d) => !isWeekend(d) && !kz.isWorkingDay(d))).toEqual(law?.weekdaysOff.map((d) => `${year}-${d}`));
    expect(dates.filter((d) => isWeekend(d) && kz.isWorkingDay(d))).toEqual(law?.weekendsWorked.map((d) => `${year}-${d}`));
  });

  it('marks 2025 and 2026 verified and 2027 projected', () => {
    expect([kz.coverage(2025), kz.coverage(2026), kz.coverage(2027)]).toEqual(['verified', 'verified', 'projected']);
  });

  it('keeps 31 Aug 2026 a working day (30 Aug dropped in 2026)', () => {
    expect(kz.isWorkingDay('2026-08-31')).toBe(true);
  });

  it('names every listed day in Kazakh, Russian and English', () => {
    const nauryz = data.years[1]?.days.find((d) => d.date === '2026-03-23');
    expect(nauryz?.names).toEqual({ kk: 'Наурыз мейрамы', ru: 'Наурыз мейрамы', en: 'Nauryz' });
  });
});
