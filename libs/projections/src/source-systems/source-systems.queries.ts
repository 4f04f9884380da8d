import type { ReadModelTables } from '../projection';
import { cachedStatement } from '../statement-cache';

/** A range of numbers never received, both ends included. */
export interface MissingRange {
  readonly from: number;
  readonly to: number;
}

/** A number received again on another record than the first that carried it. */
export interface RepeatedNumber {
  readonly sequence: number;
  /** The later record: the one that repeated the number. */
  readonly recordId: string;
  readonly position: number;
  readonly recordedAt: string;
}

/** What the ledger has received from one source system, as stored; silence is judged by the caller. */
export interface SourceSystemState {
  readonly system: string;
  /** Every record of the system, numbered or not. */
  readonly records: number;
  /** Records that came without a sourceSequence. */
  readonly unsequenced: number;
  /** The highest number received; null when none. */
  readonly highestSequence: number | null;
  /** The highest number received or announced by a heartbeat. */
  readonly coveredSequence: number;
  /** The log position of its first numbered record: where a repeated number's first holder is looked for. */
  readonly firstNumberedPosition: number | null;
  readonly firstRecordAt: string | null;
  readonly lastRecordAt: string | null;
  readonly heartbeats: number;
  readonly lastHeartbeat: { readonly receivedAt: string; readonly sentAt: string; readonly lastSequence: number } | null;
  /** Ranges in order, at most the limit asked for. */
  readonly missing: MissingRange[];
  readonly missingRanges: number;
  /** How many numbers the ranges hold together. */
  readonly missingNumbers: number;
  /** In log order, at most the limit asked for. */
  readonly duplicates: RepeatedNumber[];
  readonly duplicateCount: number;
}

interface SystemRow {
  readonly system: string;
  readonly records: number;
  readonly unsequenced: number;
  readonly highest: number;
  readonly covered: number;
  readonly first_numbered_position: number | null;
  readonly first_recorded_at: string | null;
  readonly last_recorded_at: string | null;
  readonly heartbeats: number;
  readonly heartbeat_received_at: string | null;
  readonly heartbeat_sent_at: string | null;
  readonly heartbeat_last_sequence: number | null;
}

/** Every source system the ledger has heard from (or only `system`), by code, with up to `limit` gaps and repeats each. */
export function sourceSystemStates(tables: ReadModelTables, options: { readonly system?: string; readonly limit: number }): SourceSystemState[] {
  const systems = tables.table('systems');
  const rows = options.system === undefined
    ? cachedStatement<SystemRow>(tables, `SELECT * FROM "${systems}" ORDER BY system`).all({})
    : cachedStatement<SystemRow>(tables, `SELECT * FROM "${systems}" WHERE system = @system`).all({ system: options.system });
  return rows.map((row) => {
    const params = { system: row.system, limit: options.limit };
    const gaps = tables.table('gaps');
    const duplicates = tables.table('duplicates');
    const missing = cachedStatement<MissingRange>(tables, `SELECT first AS "from", last AS "to" FROM "${gaps}" WHERE system = @system ORDER BY first LIMIT @limit`).all(params);
    const missingTotals = cachedStatement<{ ranges: number; numbers: number | null }>(
      tables, `SELECT count(*) AS ranges, sum(last - first + 1) AS numbers FROM "${gaps}" WHERE system = @system`,
    ).get({ system: row.system }) as { ranges: number; numbers: number | null };
    const repeated = cachedStatement<RepeatedNumber>(tables, `SELECT sequence, record_id AS recordId, position, recorded_at AS recordedAt
      FROM "${duplicates}" WHERE system = @system ORDER BY position LIMIT @limit`).all(params);
    const duplicateCount = cachedStatement<{ n: number }>(tables, `SELECT count(*) AS n FROM "${duplicates}" WHERE system = @system`)
      .get({ system: row.system }) as { n: number };
    return {
      system: row.system,
      records: row.records,
      unsequenced: row.unsequenced,
      highestSequence: row.highest > 0 ? row.highest : null,
      coveredSequence: row.covered,
      firstNumberedPosition: row.first_numbered_position,
      firstRecordAt: row.first_recorded_at,
      lastRecordAt: row.last_recorded_at,
      heartbeats: row.heartbeats,
      lastHeartbeat: row.heartbeat_received_at === null || row.heartbeat_sent_at === null || row.heartbeat_last_sequence === null
        ? null
        : { receivedAt: row.heartbeat_received_at, sentAt: row.heartbeat_sent_at, lastSequence: row.heartbeat_last_sequence },
      missing: missing.map((r) => ({ from: r.from, to: r.to })),
      missingRanges: missingTotals.ranges,
      missingNumbers: missingTotals.numbers ?? 0,
      duplicates: repeated.map((r) => ({ sequence: r.sequence, recordId: r.recordId, position: r.position, recordedAt: r.recordedAt })),
      duplicateCount: duplicateCount.n,
    };
  });
}
