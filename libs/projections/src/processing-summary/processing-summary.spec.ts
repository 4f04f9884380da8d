import type { RecordedEvent } from '@derbes/event-store';
import { openReadModelDatabase } from '../read-model-database';
import { recorded, subject } from '../recorded-event.fixture';
import type { ReadModelTables } from '../projection';
import { processingSummaryProjection } from './processing-summary.projection';
import { processingSummary, summarySql, type SummaryQuery } from './processing-summary.queries';

function given(...events: RecordedEvent[]): ReadModelTables {
  const tables = { db: openReadModelDatabase(':memory:'), table: (n: string) => 'x_g1_' + n };
  processingSummaryProjection.setup(tables);
  for (const event of events) processingSummaryProjection.apply(tables, event);
  return tables;
}

const YEAR: Pick<SummaryQuery, 'from' | 'to'> = { from: '2026-01-01T00:00:00+05:00', to: '2026-12-31T23:59:59.999+05:00' };
const A = subject('a');
const B = subject('b');

describe('processing-summary', () => {
  const tables = given(
    recorded({ subjectId: A, categories: [1, 2, 28], occurredAt: '2026-03-10T08:00:00Z' }),
    recorded({ subjectId: A, operation: 'access', categories: [28], purpose: { code: 'P07', slug: 'x', clause: 4 }, occurredAt: '2026-03-11T08:00:00Z' }),
    recorded({ subjectId: B, categories: [1], actor: { id: 'hr-2', role: 'r', unit: 'accounting' }, system: 'payroll', occurredAt: '2026-04-01T08:00:00Z' }),
    recorded({ subjectId: B, operation: 'access', categories: [1, 28], occurredAt: '2026-04-02T08:00:00Z' }),
    // Outside the year: never counted.
    recorded({ subjectId: A, occurredAt: '2025-12-31T18:59:59.999Z' }),
    { ...recorded(), type: 'SomethingElse' },
  );
  const summary = (groupBy: SummaryQuery['groupBy'], period = YEAR) => processingSummary(tables, { ...period, groupBy });

  it('counts records and distinct subjects over the period', () => {
    expect(summary([])).toEqual({ rows: [{ records: 4, subjects: 2 }], totals: { records: 4, subjects: 2 }, truncated: false });
  });

  it('counts a record once in each of its categories, and each subject once per category', () => {
    expect(summary(['category']).rows).toEqual([
      { category: 1, records: 3, subjects: 2 },
      { category: 2, records: 1, subjects: 1 },
      { category: 28, records: 3, subjects: 2 },
    ]);
    expect(summary(['category']).totals).toEqual({ records: 4, subjects: 2 });
  });

  it('groups by several keys at once, sorted by them in the order asked', () => {
    expect(summary(['operation', 'category']).rows).toEqual([
      { operation: 'access', category: 1, records: 1, subjects: 1 },
      { operation: 'access', category: 28, records: 2, subjects: 2 },
      { operation: 'collect', category: 1, records: 2, subjects: 2 },
      { operation: 'collect', category: 2, records: 1, subjects: 1 },
      { operation: 'collect', category: 28, records: 1, subjects: 1 },
    ]);
    expect(summary(['purpose', 'month']).rows).toEqual([
      { purpose: 'P01', month: '2026-03', records: 1, subjects: 1 },
      { purpose: 'P01', month: '2026-04', records: 2, subjects: 1 },
      { purpose: 'P07', month: '2026-03', records: 1, subjects: 1 },
    ]);
    expect(summary(['system', 'unit', 'actor']).rows).toEqual([
      { system: 'hr-portal', unit: 'personnel-management', actor: 'hr-17', records: 3, subjects: 2 },
      { system: 'payroll', unit: 'accounting', actor: 'hr-2', records: 1, subjects: 1 },
    ]);
  });

  it('takes calendar days and months at UTC+5 by default, or at the offset given', () => {
    const t = given(
      recorded({ subjectId: A, occurredAt: '2026-01-31T18:59:59.999Z' }), // 23:59:59.999 on 31 Jan in Almaty
      recorded({ subjectId: A, occurredAt: '2026-01-31T19:00:00.000Z' }), // 00:00 on 1 Feb in Almaty
      recorded({ subjectId: B, occurredAt: '2026-02-01T10:00:00+05:00' }),
    );
    expect(processingSummary(t, { ...YEAR, groupBy: ['day'] }).rows).toEqual([
      { day: '2026-01-31', records: 1, subjects: 1 },
      { day: '2026-02-01', records: 2, subjects: 2 },
    ]);
    expect(processingSummary(t, { ...YEAR, groupBy: ['month', 'day'] }).rows.map((r) => [r.month, r.day])).toEqual([
      ['2026-01', '2026-01-31'],
      ['2026-02', '2026-02-01'],
    ]);
    expect(processingSummary(t, { ...YEAR, groupBy: ['day'], utcOffsetMinutes: 0 }).rows).toEqual([
      { day: '2026-01-31', records: 2, subjects: 1 },
      { day: '2026-02-01', records: 1, subjects: 1 },
    ]);
    // 10:00 on 1 Feb at UTC+5 is still 31 Jan at UTC-10.
    expect(processingSummary(t, { ...YEAR, groupBy: ['month'], utcOffsetMinutes: -600 }).rows).toEqual([
      { month: '2026-01', records: 3, subjects: 2 },
    ]);
  });

  it('keeps to the period, bounds included', () => {
    const march = { from: '2026-03-10T08:00:00Z', to: '2026-03-11T08:00:00Z' };
    expect(summary(['day'], march).rows).toEqual([
      { day: '2026-03-10', records: 1, subjects: 1 },
      { day: '2026-03-11', records: 1, subjects: 1 },
    ]);
    // The totals keep to the same bounds: the records at 08:00Z on 10 and 11 March, both counted.
    expect(summary(['day'], march).totals).toEqual({ records: 2, subjects: 1 });
    expect(summary([], { from: '2026-03-10T08:00:00.001Z', to: '2026-03-11T07:59:59.999Z' }).totals).toEqual({ records: 0, subjects: 0 });
    expect(summary(['category'], { from: '2027-01-01T00:00:00Z', to: '2027-02-01T00:00:00Z' })).toEqual({
      rows: [], totals: { records: 0, subjects: 0 }, truncated: false,
    });
  });

  it('says when it returns only the first groups', () => {
    const cut = processingSummary(tables, { ...YEAR, groupBy: ['category'], maxGroups: 2 });
    expect(cut.truncated).toBe(true);
    expect(cut.rows.map((r) => r.category)).toEqual([1, 2]);
    expect(cut.totals).toEqual({ records: 4, subjects: 2 });
    // Exactly as many groups as allowed is the whole answer, not a cut one.
    const whole = processingSummary(tables, { ...YEAR, groupBy: ['category'], maxGroups: 3 });
    expect(whole.truncated).toBe(false);
    expect(whole.rows.map((r) => r.category)).toEqual([1, 2, 28]);
  });

  it('keeps the actor and the unit apart in a grouping by category too', () => {
    expect(summary(['category', 'unit', 'actor']).rows).toEqual([
      { category: 1, unit: 'accounting', actor: 'hr-2', records: 1, subjects: 1 },
      { category: 1, unit: 'personnel-management', actor: 'hr-17', records: 2, subjects: 2 },
      { category: 2, unit: 'personnel-management', actor: 'hr-17', records: 1, subjects: 1 },
      { category: 28, unit: 'personnel-management', actor: 'hr-17', records: 3, subjects: 2 },
    ]);
  });

  it('takes any whole offset up to 14 h either way, and refuses one beyond or in fractions of a minute', () => {
    for (const utcOffsetMinutes of [840, -840]) {
      expect(processingSummary(tables, { ...YEAR, groupBy: [], utcOffsetMinutes }).totals).toEqual({ records: 4, subjects: 2 });
    }
    for (const utcOffsetMinutes of [841, -841, 300.5]) {
      expect(() => processingSummary(tables, { ...YEAR, groupBy: ['day'], utcOffsetMinutes })).toThrow(RangeError);
    }
  });

  it('refuses repeated keys and bad bounds', () => {
    expect(() => summary(['day', 'day'])).toThrow(RangeError);
    expect(() => summary(['colour' as 'day'])).toThrow(RangeError);
    expect(() => summary([], { from: 'yesterday', to: YEAR.to })).toThrow(RangeError);
  });

  it('reads only the period, as a range of the time-ordered tables', () => {
    for (const groupBy of [['category', 'day'], ['actor', 'month'], []] as const) {
      const plan = tables.db.prepare(`EXPLAIN QUERY PLAN ${summarySql(tables, groupBy)}`)
        .all({ from: 0, to: 1, limit: 10, shift: 18000 })
        .map((r) => (r as { detail: string }).detail).join(' / ');
      expect(plan).toMatch(/SEARCH x_g1_(facts|events) USING PRIMARY KEY \(occurred_ms>\? AND occurred_ms<\?\)/);
    }
  });
});
