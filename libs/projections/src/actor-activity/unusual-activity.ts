import { addDays } from './calendar-day';

/** One actor's counts on one calendar day, and the unit of their latest record that day. */
export interface DailyCounts {
  readonly actorId: string;
  readonly unit: string;
  /** YYYY-MM-DD, a calendar day in Kazakhstan. */
  readonly day: string;
  /** Distinct subjects whose data the actor processed that day. */
  readonly subjects: number;
  /** Records that touched at least one sensitive category, any operation. */
  readonly sensitive: number;
}

export type UnusualKind = 'subjects' | 'sensitive';

/** The thresholds of the rule; README "Unusual activity" states it in words. */
export interface UnusualActivityRule {
  /** A day's distinct subjects below this are never unusual. */
  readonly minSubjects: number;
  /** A day's sensitive accesses below this are never unusual. */
  readonly minSensitive: number;
  /** How many times the usual level a day must reach. */
  readonly factor: number;
  /** How many calendar days before the day make the usual level. */
  readonly windowDays: number;
}

/** The defaults the ledger reports with. */
export const UNUSUAL_ACTIVITY_RULE: UnusualActivityRule = Object.freeze({
  minSubjects: 20,
  minSensitive: 10,
  factor: 3,
  windowDays: 30,
});

/** A day flagged unusual, with every number that the rule compared. */
export interface UnusualActivity {
  readonly actorId: string;
  readonly unit: string;
  readonly day: string;
  readonly kind: UnusualKind;
  /** The day's count: distinct subjects or sensitive accesses. */
  readonly count: number;
  /** The rule's minimum for this kind. */
  readonly minimum: number;
  /** Median of the actor's counts on each of the `windowDays` calendar days before `day`, 0 for a day without any. */
  readonly ownBaseline: number;
  /** Median of the counts of the unit's other actors on their active days among the `windowDays` before `day`. */
  readonly unitUsual: number;
  /** Median of the counts of the unit's other actors active on `day`. */
  readonly unitSameDay: number;
  /** The higher of `unitUsual` and `unitSameDay`. */
  readonly unitBaseline: number;
  readonly factor: number;
  readonly windowDays: number;
}

/** The median of a list of numbers (the mean of the two middle ones for an even count); 0 for an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Judges each of `days` by the rule against `history`, which must hold every actor-day of the `windowDays` before
 * each judged day for the judged actors and for everyone of their units (it may also hold the judged days). A day is
 * unusual in a kind when its count is at least the minimum, at least `factor` times the actor's own baseline, and
 * more than `factor` times the unit's baseline. Flags come out by day, actor, then kind.
 */
export function findUnusualActivity(
  days: readonly DailyCounts[],
  history: readonly DailyCounts[],
  rule: UnusualActivityRule = UNUSUAL_ACTIVITY_RULE,
): UnusualActivity[] {
  const byActor = new Map<string, Map<string, DailyCounts>>();
  const byUnitDay = new Map<string, DailyCounts[]>();
  for (const row of [...history, ...days]) {
    let own = byActor.get(row.actorId);
    if (!own) byActor.set(row.actorId, (own = new Map()));
    if (own.has(row.day)) continue;
    own.set(row.day, row);
    const key = `${row.unit}\u0000${row.day}`;
    const list = byUnitDay.get(key);
    if (list) list.push(row);
    else byUnitDay.set(key, [row]);
  }
  const othersOfUnit = (row: DailyCounts, day: string, kind: UnusualKind) =>
    (byUnitDay.get(`${row.unit}\u0000${day}`) ?? []).filter((r) => r.actorId !== row.actorId).map((r) => r[kind]);

  const windows = new Map<string, string[]>();
  const windowBefore = (day: string) => {
    let window = windows.get(day);
    if (!window) windows.set(day, (window = Array.from({ length: rule.windowDays }, (_, i) => addDays(day, i - rule.windowDays))));
    return window;
  };

  const flags: UnusualActivity[] = [];
  const ordered = [...days].sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.actorId < b.actorId ? -1 : a.actorId > b.actorId ? 1 : 0));
  for (const row of ordered) {
    for (const kind of ['subjects', 'sensitive'] as const) {
      const count = row[kind];
      const minimum = kind === 'subjects' ? rule.minSubjects : rule.minSensitive;
      // The cheap test first: most days are below the minimum.
      if (count < minimum) continue;
      const window = windowBefore(row.day);
      const ownBaseline = median(window.map((day) => byActor.get(row.actorId)?.get(day)?.[kind] ?? 0));
      if (count < rule.factor * ownBaseline) continue;
      const unitUsual = median(window.flatMap((day) => othersOfUnit(row, day, kind)));
      const unitSameDay = median(othersOfUnit(row, row.day, kind));
      const unitBaseline = Math.max(unitUsual, unitSameDay);
      if (count <= rule.factor * unitBaseline) continue;
      flags.push({
        actorId: row.actorId, unit: row.unit, day: row.day, kind, count, minimum,
        ownBaseline, unitUsual, unitSameDay, unitBaseline, factor: rule.factor, windowDays: rule.windowDays,
      });
    }
  }
  return flags;
}
