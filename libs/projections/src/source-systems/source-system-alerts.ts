import type { SourceSystemState } from './source-systems.queries';

/** How long each system may stay silent, in seconds (null: never flagged silent), as configuration gives it. */
export interface SilenceRules {
  /** The systems expected to report: one never heard from is itself an alert. */
  readonly expected: ReadonlyMap<string, number | null>;
  /** For any other system heard from. */
  readonly otherwise: number | null;
}

export type SourceSystemAlertKind = 'gap' | 'duplicate' | 'silent' | 'never-reported';

export interface SourceSystemAlert {
  readonly kind: SourceSystemAlertKind;
  /** In plain words, naming the numbers and times. */
  readonly detail: string;
  /** gap: the numbers never received. */
  readonly missing?: { readonly from: number; readonly to: number };
  /** duplicate: the number, and the records that carried it, the first one first (null when it could not be found). */
  readonly sequence?: number;
  readonly recordIds?: readonly (string | null)[];
  /** silent: the last time anything came from the system. */
  readonly since?: string | null;
}

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

const UNITS: readonly [number, string][] = [[86400, 'd'], [3600, 'h'], [60, 'min'], [1, 's']];

/** `2 d 3 h`, `15 min`, `45 s`: the two largest units. */
export function formatSeconds(total: number): string {
  const parts: string[] = [];
  let rest = Math.floor(total);
  for (const [size, unit] of UNITS) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return parts.length === 0 ? '0 s' : parts.join(' ');
}

const numbers = (from: number, to: number) => (from === to ? `number ${from} was` : `numbers ${from} to ${to} (${to - from + 1}) were`);

function gapAlert(state: SourceSystemState, from: number, to: number): SourceSystemAlert {
  const highest = state.highestSequence ?? 0;
  const heartbeat = state.lastHeartbeat;
  const detail = to > highest && heartbeat
    ? `${numbers(from, to)} never received, though a heartbeat said every number up to ${Math.max(to, heartbeat.lastSequence)} had been sent (last heartbeat received ${heartbeat.receivedAt}); the highest number received is ${highest}`
    : `${numbers(from, to)} never received; the highest number received is ${highest}`;
  return { kind: 'gap', detail, missing: { from, to } };
}

function duplicateAlert(system: string, repeat: SourceSystemState['duplicates'][number], firstHolders: FirstHolders): SourceSystemAlert {
  const first = firstHolders.get(`${system}/${repeat.sequence}`) ?? null;
  const detail = first === null
    ? `number ${repeat.sequence} was used again by record ${repeat.recordId} (recorded ${repeat.recordedAt}) after an earlier record`
    : `number ${repeat.sequence} was used by two records: ${first} first, then ${repeat.recordId} (recorded ${repeat.recordedAt})`;
  return { kind: 'duplicate', detail, sequence: repeat.sequence, recordIds: [first, repeat.recordId] };
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
        alerts: [{ kind: 'never-reported', detail: `${system} is expected to report (DERBES_SOURCE_SYSTEMS) but the ledger has received no record and no heartbeat from it`, since: null }],
      };
    }
    const lastSeenAt = latest(state.lastRecordAt, state.lastHeartbeat?.receivedAt);
    const alerts: SourceSystemAlert[] = [
      ...state.missing.map((r) => gapAlert(state, r.from, r.to)),
      ...state.duplicates.map((d) => duplicateAlert(system, d, firstHolders)),
    ];
    if (lastSeenAt !== null && maxSilenceSeconds !== null) {
      const silentSeconds = (now.getTime() - Date.parse(lastSeenAt)) / 1000;
      if (silentSeconds > maxSilenceSeconds) {
        const last = [
          state.lastRecordAt && `last record ${state.lastRecordAt}`,
          state.lastHeartbeat && `last heartbeat ${state.lastHeartbeat.receivedAt}`,
        ].filter(Boolean).join(', ');
        alerts.push({
          kind: 'silent', since: lastSeenAt,
          detail: `nothing received from ${system} since ${lastSeenAt} (${last}): silent for ${formatSeconds(silentSeconds)} at ${now.toISOString()}, longer than the ${formatSeconds(maxSilenceSeconds)} allowed`,
        });
      }
    }
    const { system: _s, firstNumberedPosition: _p, coveredSequence: _c, ...shown } = state;
    return { system, expected, maxSilenceSeconds, lastSeenAt, state: shown, alerts };
  });
}
