import { WorkingDayCalendar, localDate } from './working-day-calendar';

const kz = WorkingDayCalendar.builtIn();

describe('WorkingDayCalendar.deadline on real Kazakhstan dates, day 1 after the day of receipt', () => {
  it.each([
    // Fri 20 Mar 2026, eve of Nauryz: 21-22 Mar weekend, 23 Mar Nauryz, 24-25 Mar moved for 21-22 Mar;
    // day 1 = Thu 26 Mar.
    ['2026-03-20', 1, '2026-03-26'],
    // ... day 2 = Fri 27 Mar; 28-29 Mar weekend; day 3 = Mon 30 Mar.
    ['2026-03-20', 3, '2026-03-30'],
    // Received on the weekend itself, Sat 21 Mar 2026: 22 Sun, 23-25 off; day 1 = Thu 26 Mar.
    ['2026-03-21', 1, '2026-03-26'],
    // Fri 6 Mar 2026: 7-8 Mar weekend, Mon 9 Mar off for Sun 8 Mar; day 1 = Tue 10 Mar.
    ['2026-03-06', 1, '2026-03-10'],
    // ... day 2 = Wed 11 Mar, day 3 = Thu 12 Mar.
    ['2026-03-06', 3, '2026-03-12'],
    // Tue 30 Dec 2025: day 1 = Wed 31 Dec; 1-2 Jan New Year; 3-4 Jan weekend; day 2 = Mon 5 Jan; day 3 = Tue 6 Jan.
    ['2025-12-30', 3, '2026-01-06'],
    // Wed 31 Dec 2025: 1-2 Jan holidays, 3-4 weekend; day 1 = Mon 5 Jan, day 2 = Tue 6 Jan,
    // Wed 7 Jan Orthodox Christmas, day 3 = Thu 8 Jan.
    ['2025-12-31', 3, '2026-01-08'],
    // Sun 5 Jan 2025 was worked (transfer to Fri 3 Jan), but day 1 comes after receipt: day 1 = Mon 6 Jan.
    ['2025-01-05', 1, '2025-01-06'],
    // Fri 3 Jan 2025 was off (transfer); Sat 4 Jan weekend; day 1 = Sun 5 Jan, a working Sunday.
    ['2025-01-03', 1, '2025-01-05'],
    // Sat 4 Jan 2025: day 1 = Sun 5 Jan (working), day 2 = Mon 6 Jan, Tue 7 Jan Christmas, day 3 = Wed 8 Jan.
    ['2025-01-04', 3, '2025-01-08'],
    // Tue 26 May 2026: Wed 27 May Kurban Ait; day 1 = Thu 28 May.
    ['2026-05-26', 1, '2026-05-28'],
    // Mon 25 May 2026: day 1 = Tue 26 May, Wed 27 May Kurban Ait, day 2 = Thu 28 May, day 3 = Fri 29 May.
    ['2026-05-25', 3, '2026-05-29'],
    // Fri 5 Jun 2025: Fri 6 Jun 2025 Kurban Ait; 7-8 Jun weekend; day 1 = Mon 9 Jun.
    ['2025-06-05', 1, '2025-06-09'],
  ])('received %s, %i working day(s) → %s', (receivedOn, n, expected) => {
    expect(kz.deadline(receivedOn, n, 'after-receipt')).toEqual({ date: expected, workingDays: n, firstDay: 'after-receipt', coverage: 'verified' });
  });

  it('does not move a religious day off a weekend: Kurban Ait ~Sun 16 May 2027 leaves Mon 17 May working', () => {
    // Fri 14 May 2027: 15-16 May weekend; day 1 = Mon 17 May (no moved day off for Kurban Ait).
    expect(kz.deadline('2027-05-14', 1, 'after-receipt')).toEqual({ date: '2027-05-17', workingDays: 1, firstDay: 'after-receipt', coverage: 'projected' });
  });

  it('reports the weakest coverage of the years crossed: 2026 verified into 2027 projected', () => {
    // Wed 30 Dec 2026: day 1 = Thu 31 Dec 2026; Fri 1 Jan 2027 New Year; 2-3 Jan weekend; Mon 4 Jan off for
    // Sat 2 Jan; day 2 = Tue 5 Jan 2027; day 3 = Wed 6 Jan 2027.
    expect(kz.deadline('2026-12-30', 3, 'after-receipt')).toEqual({ date: '2027-01-06', workingDays: 3, firstDay: 'after-receipt', coverage: 'projected' });
    // Only the counted days matter: Thu 31 Dec 2026 is day 1 and lies in verified 2026.
    expect(kz.deadline('2026-12-30', 1, 'after-receipt').coverage).toBe('verified');
  });

  it('takes the coverage of the days counted, not of the day received, across New Year', () => {
    // Received Tue 31 Dec 2024 (a year the data does not cover): 1-2 Jan 2025 New Year, Fri 3 Jan off, Sat 4 Jan;
    // day 1 = Sun 5 Jan 2025, a working Sunday, in verified 2025.
    expect(kz.coverage(2024)).toBe('not-covered');
    expect(kz.deadline('2024-12-31', 1, 'after-receipt')).toEqual({ date: '2025-01-05', workingDays: 1, firstDay: 'after-receipt', coverage: 'verified' });
    // Received Thu 31 Dec 2026 (verified): Fri 1 Jan 2027 New Year, 2-3 Jan weekend, Mon 4 Jan off; day 1 = Tue 5 Jan 2027.
    expect(kz.deadline('2026-12-31', 1, 'after-receipt')).toEqual({ date: '2027-01-05', workingDays: 1, firstDay: 'after-receipt', coverage: 'projected' });
    // Received Fri 31 Dec 2027 (projected): 1-2 Jan 2028 weekend; day 1 = Mon 3 Jan 2028, not covered.
    expect(kz.deadline('2027-12-31', 1, 'after-receipt')).toEqual({ date: '2028-01-03', workingDays: 1, firstDay: 'after-receipt', coverage: 'not-covered' });
  });

  it('falls back to the five-day week for 2028 and says so', () => {
    // Thu 30 Dec 2027: day 1 = Fri 31 Dec 2027; 1-2 Jan 2028 weekend; day 2 = Mon 3 Jan 2028 (no New Year
    // day off is known for 2028); day 3 = Tue 4 Jan 2028.
    expect(kz.deadline('2027-12-30', 3, 'after-receipt')).toEqual({ date: '2028-01-04', workingDays: 3, firstDay: 'after-receipt', coverage: 'not-covered' });
    expect(kz.coverage(2028)).toBe('not-covered');
    expect(kz.coverage(2027)).toBe('projected');
    expect(kz.coverage(2025)).toBe('verified');
    expect(kz.isWorkingDay('2028-01-03')).toBe(true);
    expect(kz.isWorkingDay('2028-01-08')).toBe(false);
  });

  it.each([0, -1, 1.5, NaN, Infinity])('rejects %p working days', (n) => {
    expect(() => kz.deadline('2026-03-20', n, 'after-receipt')).toThrow(RangeError);
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(() => kz.deadline('2026-02-30', 1, 'after-receipt')).toThrow('"2026-02-30" is not a YYYY-MM-DD calendar date');
    expect(() => kz.isWorkingDay('20.03.2026')).toThrow(RangeError);
  });
});

describe('WorkingDayCalendar.deadline by where day 1 falls (the rule is data: counting.firstDay)', () => {
  it.each([
    // A Friday receipt, Fri 13 Nov 2026 (no holiday near): counted that Friday, or from Mon 16 Nov.
    ['2026-11-13', 1, '2026-11-13', '2026-11-16'],
    ['2026-11-13', 3, '2026-11-17', '2026-11-18'],
    // A Friday before Nauryz, Fri 20 Mar 2026 (21-22 weekend, 23-25 off): day 1 is that Friday, or Thu 26 Mar.
    ['2026-03-20', 1, '2026-03-20', '2026-03-26'],
    ['2026-03-20', 3, '2026-03-27', '2026-03-30'],
    // A receipt on a holiday, Mon 23 Mar 2026 (Nauryz; 24-25 off): the day of receipt is no working day, so both
    // rules start on Thu 26 Mar.
    ['2026-03-23', 1, '2026-03-26', '2026-03-26'],
    ['2026-03-23', 3, '2026-03-30', '2026-03-30'],
    // ... and on a religious day off, Wed 27 May 2026 (Kurban Ait): both start on Thu 28 May.
    ['2026-05-27', 1, '2026-05-28', '2026-05-28'],
    // A receipt on a working day, Tue 26 May 2026: day 1 is Tue 26, or Thu 28 May after Kurban Ait.
    ['2026-05-26', 1, '2026-05-26', '2026-05-28'],
    ['2026-05-26', 3, '2026-05-29', '2026-06-01'],
    // A receipt on a worked Sunday, 5 Jan 2025 (transfer): that Sunday is day 1, or Mon 6 Jan.
    ['2025-01-05', 1, '2025-01-05', '2025-01-06'],
    // A receipt on a Saturday, 21 Mar 2026: no working day, both start on Thu 26 Mar.
    ['2026-03-21', 1, '2026-03-26', '2026-03-26'],
  ])('received %s, %i working day(s): %s counting the day of receipt, %s counting after it', (receivedOn, n, onReceipt, afterReceipt) => {
    expect(kz.deadline(receivedOn, n, 'receipt')).toEqual({ date: onReceipt, workingDays: n, firstDay: 'receipt', coverage: 'verified' });
    expect(kz.deadline(receivedOn, n, 'after-receipt')).toEqual({ date: afterReceipt, workingDays: n, firstDay: 'after-receipt', coverage: 'verified' });
  });

  it('takes the coverage of the day of receipt when that day is counted', () => {
    // Thu 31 Dec 2026 (verified) is day 1 itself: nothing of projected 2027 is counted.
    expect(kz.deadline('2026-12-31', 1, 'receipt')).toEqual({ date: '2026-12-31', workingDays: 1, firstDay: 'receipt', coverage: 'verified' });
    expect(kz.deadline('2026-12-31', 2, 'receipt')).toMatchObject({ date: '2027-01-05', coverage: 'projected' });
  });

  it('refuses a rule it does not know, naming both it knows', () => {
    expect(() => kz.deadline('2026-03-20', 1, 'next-day' as never)).toThrow(`deadline: firstDay must be 'after-receipt' or 'receipt', got "next-day"`);
  });
});

describe('WorkingDayCalendar.workingDaysLate', () => {
  it.each([
    ['2026-03-30', '2026-03-27', 0], // early
    ['2026-03-30', '2026-03-30', 0], // on the deadline day itself
    ['2026-03-27', '2026-03-28', 1], // Sat after a Friday deadline: no working day passed, still late
    ['2026-03-27', '2026-03-30', 1], // Mon 30 Mar
    ['2026-03-27', '2026-03-31', 2], // Mon 30, Tue 31 Mar
    ['2026-03-20', '2026-03-26', 1], // 21-22 weekend, 23-25 off, Thu 26 Mar
    ['2025-12-31', '2026-01-08', 3], // Mon 5, Tue 6, (Christmas 7), Thu 8 Jan
    ['2025-01-03', '2025-01-05', 1], // the working Sunday 5 Jan 2025
  ])('deadline %s, answered %s → %i', (deadline, answeredOn, late) => {
    expect(kz.workingDaysLate(deadline, answeredOn)).toBe(late);
  });
});

describe('localDate', () => {
  it('gives the Kazakhstan (UTC+5) date of an instant', () => {
    expect(localDate(new Date('2026-03-20T18:59:59Z'), 300)).toBe('2026-03-20');
    expect(localDate(new Date('2026-03-20T19:00:00Z'), 300)).toBe('2026-03-21');
    expect(localDate(new Date('2026-03-20T00:30:00Z'), -60)).toBe('2026-03-19');
  });

  it('rejects an invalid instant or offset', () => {
    expect(() => localDate(new Date('nope'), 300)).toThrow(RangeError);
    expect(() => localDate(new Date(0), 300.5)).toThrow(RangeError);
    // No place is more than 18 hours from UTC (14 h in practice): an offset beyond, either way, is a mistake.
    expect(localDate(new Date('2026-03-20T12:00:00Z'), 18 * 60)).toBe('2026-03-21');
    expect(localDate(new Date('2026-03-20T12:00:00Z'), -18 * 60)).toBe('2026-03-19');
    for (const offset of [18 * 60 + 1, -(18 * 60 + 1), 300 * 60, -300 * 60]) {
      expect(() => localDate(new Date('2026-03-20T12:00:00Z'), offset)).toThrow(`localDate: ${offset} is not a UTC offset in whole minutes`);
    }
  });
});
