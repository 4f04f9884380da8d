import type { SourceSystemState } from './source-systems.queries';

/** How long each system may stay silent, in seconds (null: never flagged silent), as configuration gives it. */
export interface SilenceRules {
  /** The systems expected to report: one never heard from is itself an alert. */
  readonly expected: ReadonlyMap<string, number | null>;
  /** For any other system heard from. */
  readonly otherwise: number | null;
}

/**
 * What an official should look at, as facts: the words for them, in the reader's language, are made where the report
 * is served (apps/ledger/src/reports/source-system-alert.text.ts).
 */
export type SourceSystemAlert =
  | {
    readonly kind: 'gap';
    /** The numbers never received. */
    readonly missing: { readonly from: number; readonly to: number };
    /** The highest number received. */
    readonly highest: number;
    /** The last heartbeat, when the gap reaches past the highest number received (the heartbeat said it was sent). */
    readonly heartbeat?: { readonly lastSequence: number; readonly receivedAt: string };
  }
  | {
    readonly kind: 'duplicate';
    readonly sequence: number;
    /** The records that carried the number, the first one first (null when it could not be found). */
    readonly recordIds: readonly [string | null, string];
    /** When the repeat was recorded. */
    readonly recordedAt: string;
  }
  /** Nothing since `since` for `silentSeconds` (up to the time of the report), longer than allowed. */
  | { readonly kind: 'silent'; readonly since: string; readonly silentSeconds: number }
  | { readonly kind: 'never-reported'; readonly since: null };

export type SourceSystemAlertKind = SourceSystemAlert['kind'];

/** One system in the report: what it sent, and what an official should look at. */
export interface SourceSystemReport {
  readonly system: string;
  /** Named in the configuration (expected to report). */
  readonly expected: boolean;
  /** The longest silence allowed, in seconds; null: never flagged. */
  readonly maxSilenceSeconds: number | null;
  /** The last record or heartbeat received; null when nothing was. */
  readonly lastSeenAt: string | null;
  readonly state: Omit<SourceSystemState, 'system' | 'firstNumberedPosition' | 'coveredSequence'> | null;
  readonly alerts: SourceSystemAlert[];
}

/** `recordId` of the first record that carried `sequence` in `system`, when known: key `${system}/${sequence}`. */
export type FirstHolders = ReadonlyMap<string, string>;

function gapAlert(state: SourceSystemState, from: number, to: number): SourceSystemAlert {
  const highest = state.highestSequence ?? 0;
  const heartbeat = state.lastHeartbeat;
  return {
    kind: 'gap', missing: { from, to }, highest,
    ...(to > highest && heartbeat ? { heartbeat: { lastSequence: heartbeat.lastSequence, receivedAt: heartbeat.receivedAt } } : {}),
  };
}

function duplicateAlert(system: string, repeat: SourceSystemState['duplicates'][number], firstHolders: FirstHolders): SourceSystemAlert {
  const first = firstHolders.get(`${system}/${repeat.sequence}`) ?? null;
  return { kind: 'duplicate', sequence: repeat.sequence, recordIds: [first, repeat.recordId], recordedAt: repeat.recordedAt };
}

function latest(...times: (string | null | undefined)[]): string | null {
  return times.reduce<string | null>((a, b) => (b == null ? a : a === null || b > a ? b : a), null);
}

/**
 * Each system heard from or expected, with its alerts as of `now`: the numbers missing, the numbers used twice, a
 * silence longer than allowed, and an expected system never heard from. Computed when asked, never stored.
 */
export function sourceSystemReports(
  states: readonly SourceSystemState[], rules: SilenceRules, now: Date, firstHolders: FirstHolders, only?: string,
): SourceSystemReport[] {
  const bySystem = new Map(states.map((s) => [s.system, s]));
  const names = new Set([...bySystem.keys(), ...[...rules.expected.keys()].filter((s) => only === undefined || s === only)]);
  return [...names].sort().map((system): SourceSystemReport => {
    const state = bySystem.get(system);
    const expected = rules.expected.has(system);
    const maxSilenceSeconds = expected ? (rules.expected.get(system) ?? null) : rules.otherwise;
    if (!state) {
      return {
        system, expected, maxSilenceSeconds, lastSeenAt: null, state: null,
        alerts: [{ kind: 'never-reported', since: null }],
      };
    }
    const lastSeenAt = latest(state.lastRecordAt, state.lastHeartbeat?.receivedAt);
    const alerts: SourceSystemAlert[] = [
      ...state.missing.map((r) => gapAlert(state, r.from, r.to)),
      ...state.duplicates.map((d) => duplicateAlert(system, d, firstHolders)),
    ];
    if (lastSeenAt !== null && maxSilenceSeconds !== null) {
      const silentSeconds = (now.getTime() - Date.parse(lastSeenAt)) / 1000;
      if (silentSeconds > maxSilenceSeconds) alerts.push({ kind: 'silent', since: lastSeenAt, silentSeconds: Math.floor(silentSeconds) });
    }
    const { system: _s, firstNumberedPosition: _p, coveredSequence: _c, ...shown } = state;
    return { system, expected, maxSilenceSeconds, lastSeenAt, state: shown, alerts };
  });
}
