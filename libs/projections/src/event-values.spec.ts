import { canonicalInstant, occurredAtOf } from './event-values';

describe('occurredAtOf', () => {
  it('gives the canonical UTC text of any ISO 8601 instant, the same when asked again', () => {
    for (let round = 0; round < 3; round++) {
      expect(occurredAtOf('2026-11-20T14:30:00+05:00', 1)).toBe('2026-11-20T09:30:00.000Z');
      expect(occurredAtOf('2026-11-20T09:30:00Z', 2)).toBe('2026-11-20T09:30:00.000Z');
      expect(occurredAtOf('2026-11-20T09:30:00.000Z', 3)).toBe('2026-11-20T09:30:00.000Z');
    }
  });

  it('refuses what is not an instant, every time, naming the position', () => {
    for (let round = 0; round < 2; round++) {
      expect(() => occurredAtOf('yesterday', 7)).toThrow('event at position 7: occurredAt is not an ISO 8601 instant');
      expect(() => occurredAtOf(undefined, 8)).toThrow(/position 8/);
      expect(() => occurredAtOf(1_700_000_000_000, 9)).toThrow(/position 9/);
    }
  });

  it('stays right past the texts it remembers', () => {
    const start = Date.UTC(2026, 0, 1);
    // More distinct texts than are remembered (50,000), each in a zone, then the first ones again.
    const wrong: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const at = new Date(start + i * 60_000);
      const local = new Date(at.getTime() + 5 * 3_600_000).toISOString().replace('Z', '+05:00');
      if (occurredAtOf(local, i) !== at.toISOString()) wrong.push(local);
    }
    expect(wrong).toEqual([]);
    expect(occurredAtOf(new Date(start).toISOString().replace('.000Z', '+00:00'), 1)).toBe(canonicalInstant('2026-01-01T00:00:00Z'));
  });
});
