import { formatDate, formatDateTime, formatUtcOffset } from './report-dates';

const KZ = 300;

describe('report dates', () => {
  it('formats an instant in each language at the local offset', () => {
    const at = '2026-11-25T09:30:00.000Z';
    expect(formatDate(at, 'kk', KZ)).toBe('2026 ж. 25 қараша');
    expect(formatDate(at, 'ru', KZ)).toBe('25.11.2026');
    expect(formatDate(at, 'en', KZ)).toBe('25 November 2026');
    expect(formatDateTime(at, 'kk', KZ)).toBe('2026 ж. 25 қараша, 14:30');
    expect(formatDateTime(at, 'ru', KZ)).toBe('25.11.2026, 14:30');
    expect(formatDateTime(at, 'en', KZ)).toBe('25 November 2026, 14:30');
  });

  it('moves to the local day across midnight and the new year', () => {
    expect(formatDateTime('2026-12-31T19:05:00Z', 'kk', KZ)).toBe('2027 ж. 1 қаңтар, 00:05');
    expect(formatDateTime('2026-12-31T19:05:00Z', 'ru', 0)).toBe('31.12.2026, 19:05');
    expect(formatDateTime('2026-03-01T02:00:00Z', 'en', -180)).toBe('28 February 2026, 23:00');
    expect(formatDate('2026-06-01T00:30:00+05:00', 'ru', KZ)).toBe('01.06.2026');
  });

  it('names every month in Kazakh and English', () => {
    const kk = Array.from({ length: 12 }, (_, m) => formatDate(`2026-${String(m + 1).padStart(2, '0')}-15`, 'kk', KZ));
    expect(kk.map((d) => d.split(' ')[3])).toEqual([
      'қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан',
    ]);
    expect(formatDate('2026-09-07', 'en', KZ)).toBe('7 September 2026');
  });

  it('shows a plain YYYY-MM-DD date as it is, whatever the offset', () => {
    for (const offset of [-720, 0, KZ, 840]) {
      expect(formatDate('2026-12-01', 'ru', offset)).toBe('01.12.2026');
      expect(formatDateTime('2026-12-01', 'en', offset)).toBe('1 December 2026');
    }
  });

  it('refuses what is not a date', () => {
    for (const bad of ['2026-02-30', '2026-11-25T09:30:00', 'yesterday', '25.11.2026', '']) {
      expect(() => formatDateTime(bad, 'kk', KZ)).toThrow(RangeError);
    }
  });

  it('writes the offset as UTC±hh:mm', () => {
    expect(formatUtcOffset(300)).toBe('UTC+05:00');
    expect(formatUtcOffset(0)).toBe('UTC+00:00');
    expect(formatUtcOffset(-210)).toBe('UTC−03:30');
  });
});
