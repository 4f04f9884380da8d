import { effectiveFromPublication } from './effective-date';

describe('effectiveFromPublication', () => {
  it.each([
    ['2017-11-21', '2017-12-01'], // Order No. 263's list: published 21 Nov 2017, replaced from 1 Dec 2017
    ['2025-12-04', '2025-12-14'],
    ['2025-12-25', '2026-01-04'],
    ['2024-02-25', '2024-03-06'],
    ['2023-02-25', '2023-03-07'],
  ])('%s + 10 calendar days = %s', (published, from) => {
    expect(effectiveFromPublication(published)).toBe(from);
  });

  it('does not depend on the process time zone', () => {
    const tz = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Kiritimati';
      expect(effectiveFromPublication('2025-03-25')).toBe('2025-04-04');
    } finally {
      process.env.TZ = tz;
    }
  });

  it.each(['2025-02-30', '2025-2-3', '', '2025-12-04T00:00:00Z'])('rejects %p', (bad) => {
    expect(() => effectiveFromPublication(bad)).toThrow(RangeError);
  });
});
