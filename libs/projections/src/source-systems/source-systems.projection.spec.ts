import type { EventStore, RecordedEvent } from '@derbes/event-store';
import type { ReadModelTables } from '../projection';
import { openReadModelDatabase } from '../read-model-database';
import { recorded } from '../recorded-event.fixture';
import { findFirstHolders } from './first-holders';
import { sourceSystemReports, type SilenceRules } from './source-system-alerts';
import { sourceSystemsProjection } from './source-systems.projection';
import { sourceSystemStates, type SourceSystemState } from './source-systems.queries';

/** A record of `system` carrying number `n` (null: none), recorded at `at`. */
function numbered(n: number | null, system = 'hr-portal', at = '2026-11-25T12:00:00.000Z'): RecordedEvent {
  const event = recorded({ system, sourceSequence: n });
  return { ...event, metadata: { ...event.metadata, recordedAt: at } };
}

function heartbeat(lastSequence: number, system = 'hr-portal', receivedAt = '2026-11-25T12:00:00.000Z'): RecordedEvent {
  const base = recorded();
  return {
    ...base, id: `hb-${base.position}`, type: 'SourceSystemHeartbeat', streamId: `source-system-${system}`,
    data: { system, lastSequence, sentAt: '2026-11-25T11:59:59.000Z', receivedAt },
    metadata: { schemaVersion: 1, recordedAt: receivedAt, correlationId: 'hb' },
  };
}

function project(events: readonly RecordedEvent[]): ReadModelTables {
  const tables: ReadModelTables = { db: openReadModelDatabase(':memory:'), table: (n) => 'ss_g1_' + n };
  sourceSystemsProjection.setup(tables);
  tables.db.transaction(() => events.forEach((e) => sourceSystemsProjection.apply(tables, e)))();
  return tables;
}

const stateOf = (tables: ReadModelTables, system = 'hr-portal') => sourceSystemStates(tables, { system, limit: 100 })[0] as SourceSystemState;
const missingOf = (events: readonly RecordedEvent[]) => stateOf(project(events)).missing;
const rows = (tables: ReadModelTables, table: string) => (tables.db.prepare(`SELECT count(*) AS n FROM ss_g1_${table}`).get() as { n: number }).n;

describe('source-systems projection: missing numbers', () => {
  it('keeps a well-numbered system as one row, however many records it sent', () => {
    const tables = project(Array.from({ length: 5000 }, (_, i) => numbered(i + 1)));
    expect(stateOf(tables)).toMatchObject({ records: 5000, highestSequence: 5000, missing: [], missingNumbers: 0, duplicates: [] });
    expect([rows(tables, 'systems'), rows(tables, 'gaps'), rows(tables, 'duplicates')]).toEqual([1, 0, 0]);
  });

  it('keeps a jump as one range, and a late number fills its gap', () => {
    expect(missingOf([numbered(1), numbered(2), numbered(5)])).toEqual([{ from: 3, to: 4 }]);
    expect(missingOf([numbered(1), numbered(2), numbered(5), numbered(4)])).toEqual([{ from: 3, to: 3 }]);
    expect(missingOf([numbered(1), numbered(2), numbered(5), numbered(4), numbered(3)])).toEqual([]);
    // A late number inside a range splits it; a jump to 2^53-1 is still one row.
    expect(missingOf([numbered(1), numbered(10), numbered(5)])).toEqual([{ from: 2, to: 4 }, { from: 6, to: 9 }]);
    const huge = project([numbered(1), numbered(Number.MAX_SAFE_INTEGER)]);
    expect(stateOf(huge)).toMatchObject({ missing: [{ from: 2, to: Number.MAX_SAFE_INTEGER - 1 }], missingNumbers: Number.MAX_SAFE_INTEGER - 2 });
  });

  it('sees no gap and no repeat when the numbers of one batch arrive out of order', () => {
    // A batch is appended at consecutive positions in the order of its records.
    const state = stateOf(project([numbered(3), numbered(1), numbered(2), numbered(5), numbered(4)]));
    expect(state).toMatchObject({ missing: [], duplicates: [], highestSequence: 5, records: 5 });
  });

  it("counts a heartbeat's numbers beyond the highest received as missing until they arrive", () => {
    expect(missingOf([numbered(1), numbered(2), heartbeat(5)])).toEqual([{ from: 3, to: 5 }]);
    expect(missingOf([numbered(1), numbered(2), heartbeat(5), numbered(4)])).toEqual([{ from: 3, to: 3 }, { from: 5, to: 5 }]);
    // A record after the announced numbers opens no gap of its own up to them; beyond them it does, joined to theirs.
    expect(missingOf([numbered(1), heartbeat(3), numbered(4)])).toEqual([{ from: 2, to: 3 }]);
    expect(missingOf([heartbeat(3), numbered(6)])).toEqual([{ from: 1, to: 5 }]);
    // A heartbeat behind the highest (records still in flight when it left) or at 0 announces nothing missing.
    expect(missingOf([numbered(1), numbered(2), numbered(3), heartbeat(2)])).toEqual([]);
    // Nor does it take back what was received: the next number after it opens no gap below it.
    expect(missingOf([numbered(1), numbered(2), numbered(3), heartbeat(2), numbered(4)])).toEqual([]);
    expect(missingOf([heartbeat(0), numbered(1)])).toEqual([]);
    expect(stateOf(project([numbered(1), heartbeat(1, 'hr-portal', '2026-11-25T13:00:00.000Z')])).lastHeartbeat)
      .toEqual({ receivedAt: '2026-11-25T13:00:00.000Z', sentAt: '2026-11-25T11:59:59.000Z', lastSequence: 1 });
  });

  it('keeps systems apart, counts records without a number, and leaves out the records the ledger makes itself', () => {
    const tables = project([
      numbered(1, 'hr-portal', '2026-11-25T10:00:00.000Z'), numbered(null, 'hr-portal', '2026-11-25T11:00:00.000Z'), numbered(3, 'hr-portal', '2026-11-25T12:00:00.000Z'),
      numbered(1, 'payroll'), recorded({ system: 'derbes', requestId: 'f0000000-0000-4000-8000-000000000001' }),
    ]);
    expect(stateOf(tables)).toMatchObject({
      records: 3, unsequenced: 1, highestSequence: 3, missing: [{ from: 2, to: 2 }],
      firstRecordAt: '2026-11-25T10:00:00.000Z', lastRecordAt: '2026-11-25T12:00:00.000Z', lastHeartbeat: null,
    });
    expect(stateOf(tables, 'payroll')).toMatchObject({ records: 1, missing: [] });
    // A system that numbers nothing has no highest number (rather than 0).
    expect(stateOf(project([numbered(null, 'erp'), numbered(null, 'erp')]), 'erp')).toMatchObject({ records: 2, unsequenced: 2, highestSequence: null, missing: [] });
    expect(sourceSystemStates(tables, { limit: 100 }).map((s) => s.system)).toEqual(['hr-portal', 'payroll']);
  });
});

describe('source-systems projection: repeated numbers', () => {
  it('names the repeat, and finds the first holder in the log', async () => {
    const events = [numbered(1), numbered(2), numbered(3), numbered(1, 'payroll'), numbered(1), numbered(2)];
    const tables = project(events);
    const state = stateOf(tables);
    expect(state.missing).toEqual([]);
    expect(state.duplicates.map((d) => [d.sequence, d.recordId])).toEqual([[1, events[4]!.id], [2, events[5]!.id]]);
    const store = { readAll: async ({ after = 0, maxCount = Infinity }) => events.filter((e) => e.position > after).slice(0, maxCount) } as unknown as EventStore;
    const holders = await findFirstHolders(store, [state], new Map());
    expect(holders.get('hr-portal/1')).toBe(events[0]!.id);
    expect(holders.get('hr-portal/2')).toBe(events[1]!.id);
  });

  it('lists repeats in log order, whatever their numbers', () => {
    const events = [numbered(1), numbered(2), numbered(3), numbered(3), numbered(1)];
    expect(stateOf(project(events)).duplicates.map((d) => [d.sequence, d.recordId])).toEqual([[3, events[3]!.id], [1, events[4]!.id]]);
  });

  it('does not take a late number for a repeat, nor a number announced by a heartbeat', () => {
    const state = stateOf(project([numbered(1), numbered(4), heartbeat(6), numbered(2), numbered(6), numbered(4)]));
    expect(state.duplicates.map((d) => d.sequence)).toEqual([4]);
    expect(state.missing).toEqual([{ from: 3, to: 3 }, { from: 5, to: 5 }]);
  });
});

describe('source-system alerts', () => {
  const NOW = new Date('2026-11-25T12:30:00.000Z');
  const rules: SilenceRules = { expected: new Map([['hr-portal', 15 * 60], ['payroll', 86400], ['erp', null]]), otherwise: 86400 };

  it('flags a silence longer than allowed, counting heartbeats as signs of life, and an expected system never heard from', () => {
    const tables = project([
      numbered(1, 'hr-portal', '2026-11-25T12:00:00.000Z'),
      numbered(1, 'erp', '2026-11-01T00:00:00.000Z'),
      numbered(1, 'other', '2026-11-24T12:00:00.000Z'), heartbeat(1, 'other', '2026-11-25T12:29:00.000Z'),
      numbered(1, 'old', '2026-11-24T12:29:59.000Z'),
    ]);
    const reports = sourceSystemReports(sourceSystemStates(tables, { limit: 100 }), rules, NOW, new Map());
    const alerts = Object.fromEntries(reports.map((r) => [r.system, r.alerts.map((a) => a.kind)]));
    expect(alerts).toEqual({ 'hr-portal': ['silent'], erp: [], other: [], old: ['silent'], payroll: ['never-reported'] });
    const silent = reports.find((r) => r.system === 'hr-portal')!;
    expect(silent).toMatchObject({ expected: true, maxSilenceSeconds: 900, lastSeenAt: '2026-11-25T12:00:00.000Z' });
    expect(silent.alerts).toEqual([{ kind: 'silent', since: '2026-11-25T12:00:00.000Z', silentSeconds: 1800 }]);
    expect(reports.find((r) => r.system === 'old')!.alerts).toEqual([{ kind: 'silent', since: '2026-11-24T12:29:59.000Z', silentSeconds: 86401 }]);
    // A silence of exactly the time allowed is not yet too long.
    const onTime = sourceSystemReports(sourceSystemStates(project([numbered(1, 'hr-portal', '2026-11-25T12:15:00.000Z')]), { limit: 100 }), rules, NOW, new Map());
    expect(onTime.find((r) => r.system === 'hr-portal')!.alerts).toEqual([]);
    // The heartbeat is the latest sign of life of 'other': one minute ago.
    expect(reports.find((r) => r.system === 'other')!.lastSeenAt).toBe('2026-11-25T12:29:00.000Z');
    expect(reports.find((r) => r.system === 'payroll')).toMatchObject({ state: null, lastSeenAt: null, alerts: [{ kind: 'never-reported' }] });
  });

  it('gives gaps and repeats with their numbers, the heartbeat that claimed them and the records', () => {
    const events = [numbered(1), numbered(2), numbered(5), heartbeat(8), numbered(2)];
    const state = stateOf(project(events));
    const [report] = sourceSystemReports([state], { expected: new Map(), otherwise: null }, NOW, new Map([['hr-portal/2', events[1]!.id]]));
    expect(report!.alerts).toEqual([
      { kind: 'gap', missing: { from: 3, to: 4 }, highest: 5 },
      { kind: 'gap', missing: { from: 6, to: 8 }, highest: 5, heartbeat: { lastSequence: 8, receivedAt: '2026-11-25T12:00:00.000Z' } },
      { kind: 'duplicate', sequence: 2, recordIds: [events[1]!.id, events[4]!.id], recordedAt: '2026-11-25T12:00:00.000Z' },
    ]);
    const [unknownFirst] = sourceSystemReports([state], { expected: new Map(), otherwise: null }, NOW, new Map());
    expect(unknownFirst!.alerts[2]).toMatchObject({ kind: 'duplicate', recordIds: [null, events[4]!.id] });
  });
});

describe('source-systems projection: a batch at once', () => {
  it('leaves the same rows as the same events applied one by one', () => {
    const events = [
      numbered(null, 'payroll', '2026-11-25T12:00:05.000Z'), numbered(1), numbered(3, 'hr-portal', '2026-11-25T11:00:00.000Z'),
      heartbeat(6), numbered(null, 'hr-portal', '2026-11-25T13:00:00.000Z'), numbered(2), numbered(3), heartbeat(2, 'lms'),
      numbered(null, 'payroll', '2026-11-25T10:00:00.000Z'), numbered(1, 'lms', '2026-11-25T09:00:00.000Z'), numbered(5), numbered(5),
    ].map((e, i) => ({ ...e, position: i + 1 }));
    const batched: ReadModelTables = { db: openReadModelDatabase(':memory:'), table: (n) => 'ss_g1_' + n };
    sourceSystemsProjection.setup(batched);
    batched.db.transaction(() => {
      sourceSystemsProjection.applyAll!(batched, events.slice(0, 7));
      sourceSystemsProjection.applyAll!(batched, events.slice(7));
    })();
    const single = project(events);
    for (const table of ['systems', 'gaps', 'duplicates']) {
      const all = (tables: ReadModelTables) => tables.db.prepare(`SELECT rowid, * FROM ss_g1_${table} ORDER BY 1, 2, 3`).all();
      const rowsOf = (tables: ReadModelTables) => (table === 'systems' ? all(tables) : tables.db.prepare(`SELECT * FROM ss_g1_${table} ORDER BY 1, 2`).all());
      expect(rowsOf(batched)).toEqual(rowsOf(single));
    }
    expect(stateOf(batched, 'payroll')).toMatchObject({ records: 2 });
  });
});
