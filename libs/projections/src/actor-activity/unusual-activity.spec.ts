import { addDays } from './calendar-day';
import { UNUSUAL_ACTIVITY_RULE, findUnusualActivity, median, type DailyCounts } from './unusual-activity';

const D = '2026-11-20';

/** `count` subjects and `sensitive` accesses on each of the `days` calendar days before D. */
function before(actorId: string, unit: string, days: number, subjects: number, sensitive = 0): DailyCounts[] {
  return Array.from({ length: days }, (_, i) => ({ actorId, unit, day: addDays(D, -1 - i), subjects, sensitive }));
}

function on(actorId: string, unit: string, subjects: number, sensitive = 0, day = D): DailyCounts {
  return { actorId, unit, day, subjects, sensitive };
}

describe('median', () => {
  it('is the middle value, the mean of the two middle ones for an even count, and 0 for none', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([])).toBe(0);
  });
});

describe('findUnusualActivity', () => {
  const unit = 'personnel-management';
  const colleagues = [...before('hr-2', unit, 30, 6, 2), ...before('hr-3', unit, 30, 4, 2)];

  it('leaves an actor working at their usual level alone', () => {
    const history = [...before('hr-1', unit, 30, 25, 12), ...colleagues];
    expect(findUnusualActivity([on('hr-1', unit, 30, 14)], history)).toEqual([]);
  });

  it("flags a spike far above the actor's own and the unit's level, with the numbers compared", () => {
    const history = [...before('hr-1', unit, 30, 5, 1), ...colleagues];
    const today = [on('hr-1', unit, 60, 15), on('hr-2', unit, 6, 2), on('hr-3', unit, 4, 2)];
    const flags = findUnusualActivity([today[0]!], [...history, ...today]);
    expect(flags).toEqual([
      { actorId: 'hr-1', unit, day: D, kind: 'subjects', count: 60, minimum: 20, ownBaseline: 5, unitUsual: 5, unitSameDay: 5, unitBaseline: 5, factor: 3, windowDays: 30 },
      { actorId: 'hr-1', unit, day: D, kind: 'sensitive', count: 15, minimum: 10, ownBaseline: 1, unitUsual: 2, unitSameDay: 2, unitBaseline: 2, factor: 3, windowDays: 30 },
    ]);
  });

  it('does not flag a spike the whole unit shares on the day', () => {
    const history = [...before('hr-1', unit, 30, 5), ...colleagues];
    const today = [on('hr-1', unit, 60), on('hr-2', unit, 55), on('hr-3', unit, 50)];
    expect(findUnusualActivity(today, [...history, ...today])).toEqual([]);
  });

  it('judges a new actor against the minimum and the unit only (own baseline 0)', () => {
    expect(findUnusualActivity([on('new-1', unit, 19)], colleagues)).toEqual([]);
    expect(findUnusualActivity([on('new-1', unit, 20)], colleagues)).toEqual([
      expect.objectContaining({ kind: 'subjects', count: 20, ownBaseline: 0, unitBaseline: 5 }),
    ]);
    // In a unit that usually works at 30 a day, 60 on the first day is not three times the unit's level.
    const busy = [...before('hr-8', 'archive', 30, 30), ...before('hr-9', 'archive', 30, 30)];
    expect(findUnusualActivity([on('new-2', 'archive', 60)], busy)).toEqual([]);
  });

  it("counts the window's days without activity as 0: active on 15 of 30 days the median is halfway, on 14 it is 0", () => {
    const fifteen = before('hr-1', unit, 30, 40).filter((_, i) => i % 2 === 0);
    // 15 zeros and 15 forties: median 20, so the day must reach 60.
    expect(findUnusualActivity([on('hr-1', unit, 40)], [...fifteen, ...colleagues])).toEqual([]);
    expect(findUnusualActivity([on('hr-1', unit, 60)], [...fifteen, ...colleagues])).toEqual([
      expect.objectContaining({ kind: 'subjects', count: 60, ownBaseline: 20 }),
    ]);
    const fourteen = fifteen.slice(1);
    expect(findUnusualActivity([on('hr-1', unit, 40)], [...fourteen, ...colleagues])).toEqual([
      expect.objectContaining({ count: 40, ownBaseline: 0 }),
    ]);
  });

  it('takes exactly the 30 calendar days before the day: the 31st day back does not count', () => {
    const longAgo = { actorId: 'hr-1', unit, day: addDays(D, -31), subjects: 500, sensitive: 0 };
    const history = [...before('hr-1', unit, 30, 10), longAgo, ...colleagues];
    expect(findUnusualActivity([on('hr-1', unit, 30)], history)).toEqual([expect.objectContaining({ ownBaseline: 10 })]);
  });

  it('flags at exactly factor x own baseline, but not at exactly factor x unit baseline', () => {
    const history = [...before('hr-1', unit, 30, 8), ...before('hr-2', unit, 30, 8)];
    expect(findUnusualActivity([on('hr-1', unit, 24)], history)).toEqual([]);
    const lower = [...before('hr-1', unit, 30, 8), ...before('hr-2', unit, 30, 7)];
    expect(findUnusualActivity([on('hr-1', unit, 24)], lower)).toEqual([expect.objectContaining({ ownBaseline: 8, unitBaseline: 7 })]);
  });

  it('uses the unit of the judged day and leaves the actor out of their own unit baseline', () => {
    const history = [...before('hr-1', 'archive', 30, 50), ...colleagues];
    // hr-1 usually works 50 a day elsewhere: own baseline 50, so 60 in personnel-management is not unusual.
    expect(findUnusualActivity([on('hr-1', unit, 60)], history)).toEqual([]);
    const alone = findUnusualActivity([on('solo', 'audit', 25)], before('solo', 'audit', 30, 0));
    expect(alone).toEqual([expect.objectContaining({ unitUsual: 0, unitSameDay: 0, unitBaseline: 0 })]);
  });

  it('gives its flags by day, then actor, then kind (subjects before sensitive), whatever the order of the days given', () => {
    // New actors alone in their units: every day at the minimums is flagged in both kinds.
    const next = addDays(D, 1);
    const days = [on('hr-b', 'unit-b', 20, 10, next), on('hr-a', 'unit-a', 20, 10, next), on('hr-b', 'unit-b', 20, 10), on('hr-a', 'unit-a', 20, 10)];
    expect(findUnusualActivity(days, days).map((f) => [f.day, f.actorId, f.kind])).toEqual([
      [D, 'hr-a', 'subjects'], [D, 'hr-a', 'sensitive'], [D, 'hr-b', 'subjects'], [D, 'hr-b', 'sensitive'],
      [next, 'hr-a', 'subjects'], [next, 'hr-a', 'sensitive'], [next, 'hr-b', 'subjects'], [next, 'hr-b', 'sensitive'],
    ]);
  });

  it('has the defaults stated in the README', () => {
    expect(UNUSUAL_ACTIVITY_RULE).toEqual({ minSubjects: 20, minSensitive: 10, factor: 3, windowDays: 30 });
  });
});
