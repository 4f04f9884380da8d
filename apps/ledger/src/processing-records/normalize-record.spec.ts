import { instantProblem, parseInstant, subMillisecondOf } from './normalize-record';

describe('instantProblem', () => {
  it('takes ISO 8601 instants with a zone, milliseconds kept and finer digits dropped', () => {
    for (const text of ['2026-11-20T09:30:00Z', '2026-11-20T09:30Z', '2024-02-29T00:30:00+06:00', '2026-01-01T10:00:00-12:00', '2026-01-01T10:00:00+14:00', '2026-01-01T10:00:00-00:00']) {
      expect(instantProblem(text)).toBeNull();
    }
    expect(parseInstant('2026-11-20T09:30:00.123456789Z')?.toISOString()).toBe('2026-11-20T09:30:00.123Z');
  });

  it('says what is wrong: the form, a day the calendar has not, a time of day out of range, a zone no place has', () => {
    expect(instantProblem('2026-11-20 09:30:00Z')).toBe('must be an ISO 8601 date-time with a time zone, e.g. 2026-11-20T09:30:00Z');
    expect(instantProblem('2026-11-20T09:30:00', '2026-11-25T12:00:00Z')).toContain('e.g. 2026-11-25T12:00:00Z');
    expect(instantProblem('2026-02-29T10:00:00Z')).toBe('has the date 2026-02-29, which is not a day of the calendar');
    expect(instantProblem('2026-06-30T23:59:60Z')).toBe('has the time 23:59:60, which is not a time of day (00:00:00 to 23:59:59)');
    expect(instantProblem('2026-01-01T24:00Z')).toBe('has the time 24:00, which is not a time of day (00:00:00 to 23:59:59)');
    expect(instantProblem('2026-01-01T10:00:00+23:59')).toBe('has the time zone +23:59, which is not a UTC offset (-12:00 to +14:00)');
    expect(instantProblem('2026-01-01T10:00:00-12:30')).toContain('not a UTC offset');
    expect(instantProblem('2026-01-01T10:00:00+05:60')).toContain('not a UTC offset');
    for (const bad of ['2026-02-29T10:00:00Z', '2026-01-01T10:00:00+23:59']) expect(parseInstant(bad)).toBeNull();
  });

  it('refuses a month past December or before January as a day the calendar has not, and a zone past +14:00 by any minutes', () => {
    // Date.UTC rolls month 13 over into the next January, whose day 1 would pass a check of the day alone.
    expect(instantProblem('2026-13-01T10:00:00Z')).toBe('has the date 2026-13-01, which is not a day of the calendar');
    expect(instantProblem('2026-00-01T10:00:00Z')).toBe('has the date 2026-00-01, which is not a day of the calendar');
    expect(instantProblem('2026-01-01T10:00:00+14:30')).toBe('has the time zone +14:30, which is not a UTC offset (-12:00 to +14:00)');
    expect(instantProblem('2026-01-01T10:00:00+14:01')).toContain('not a UTC offset');
    for (const bad of ['2026-13-01T10:00:00Z', '2026-01-01T10:00:00+14:30']) expect(parseInstant(bad)).toBeNull();
  });
});

describe('subMillisecondOf', () => {
  it('gives the fraction\'s digits past the millisecond, in nanoseconds', () => {
    expect(subMillisecondOf('2026-03-01T10:00:00.123456789Z')).toBe(456_789);
    expect(subMillisecondOf('2026-03-01T10:00:00.1234Z')).toBe(400_000);
    expect(subMillisecondOf('2026-03-01T10:00:00.0008+05:00')).toBe(800_000);
    expect(subMillisecondOf('2026-03-01T10:00:00.000001-03:00')).toBe(1_000);
  });

  // A fraction of one to three digits is followed by the zone: its offset's digits are no part of the fraction.
  it('is 0 for a fraction of three digits or fewer, or none, whatever the zone', () => {
    for (const text of ['2026-03-01T10:00:00.1+05:00', '2026-03-01T10:00:00.12-03:00', '2026-03-01T10:00:00.100+05:00', '2026-03-01T10:00:00.1Z', '2026-03-01T10:00:00+05:00', '2026-03-01T10:00Z']) {
      expect(subMillisecondOf(text)).toBe(0);
    }
  });
});
