import { canonicalJson } from '@derbes/canonical-json';
import { rememberStoredText, type RecordedEvent } from '@derbes/event-store';
import { PROCESSING_RECORDED_SCHEMA_VERSION, UnreadableEventError, type Violation } from '@derbes/ledger';
import type { ReadModelTables } from '../projection';
import { openReadModelDatabase } from '../read-model-database';
import { recorded, subject } from '../recorded-event.fixture';
import { subjectHistoryProjection } from './subject-history.projection';
import { existingSubjectKey } from '../subject-keys';
import { subjectHasHistory, subjectHistoryPage, subjectHistorySql, type SubjectHistoryFilter } from './subject-history.queries';

const A = subject('a');
const B = subject('b');
const FLAG: Violation = { code: 'category-destroyed', category: 28, detail: 'access of category 28, destroyed' };

function freshTables(generation = 1): ReadModelTables {
  const tables: ReadModelTables = { db: openReadModelDatabase(':memory:'), table: (n) => `subject_history_g${generation}_` + n };
  subjectHistoryProjection.setup(tables);
  subjectHistoryProjection.indexes?.(tables);
  return tables;
}

const applyAll = (tables: ReadModelTables, events: readonly RecordedEvent[]) =>
  tables.db.transaction(() => events.forEach((e) => subjectHistoryProjection.apply(tables, e)))();

describe('subject-history projection', () => {
  // Applied in log order; occurredAt deliberately out of order (records reported late) and with ties.
  const events = [
    recorded({ occurredAt: '2026-01-10T08:00:00Z' }),
    recorded({ operation: 'access', categories: [28], purpose: { code: 'P07', slug: 'p07', clause: 4 }, occurredAt: '2026-03-10T08:00:00Z', violations: [FLAG] }),
    recorded({ operation: 'change', categories: [5], actor: { id: 'it-3', role: 'admin', unit: 'it' }, system: 'erp', occurredAt: '2026-02-10T13:00:00+05:00' }),
    recorded({ subjectId: B, occurredAt: '2026-02-15T08:00:00Z' }),
    recorded({ operation: 'access', categories: [1], occurredAt: '2026-03-10T08:00:00Z' }),
    recorded({ operation: 'transfer', categories: [1, 30], recipient: { name: 'Fund', country: 'KZ' }, occurredAt: '2026-03-10T08:00:00Z' }),
    recorded({ operation: 'access', categories: [28], occurredAt: '2026-04-10T08:00:00Z', violations: [FLAG] }),
  ];
  // Numbered 1-7 in the order above, whatever global positions the fixture gave them.
  const number = new Map(events.map((e, i) => [e.position, i + 1]));
  const tables = freshTables();
  applyAll(tables, events);

  const numbers = (filter: SubjectHistoryFilter = {}, subjectId = A) =>
    subjectHistoryPage(tables, subjectId, filter, null, 100).items.map((e) => number.get(e.position));

  it("lists one subject's entries newest first, ties by position", () => {
    expect(numbers()).toEqual([7, 6, 5, 2, 3, 1]);
    expect(numbers({}, B)).toEqual([4]);
    const [newest] = subjectHistoryPage(tables, A, {}, null, 1).items;
    expect(newest).toEqual({
      position: events[6]!.position, revision: 0, eventId: events[6]!.id, occurredAt: '2026-04-10T08:00:00.000Z',
      recordedAt: '2026-11-25T12:00:00.000Z', correlationId: `c${events[6]!.position}`, data: events[6]!.data,
    });
  });

  it('matches a category by its whole number, never by a part of another', () => {
    const own = freshTables();
    const C = subject('c');
    const written = [[10], [21, 3], [1], [2, 12, 30]].map((categories, i) => recorded({ subjectId: C, categories, occurredAt: `2026-05-0${i + 1}T08:00:00Z` }));
    applyAll(own, written);
    const matching = (category: number) => subjectHistoryPage(own, C, { category }, null, 10).items.map((e) => written.findIndex((w) => w.position === e.position));
    expect(matching(1)).toEqual([2]);
    expect(matching(10)).toEqual([0]);
    expect(matching(2)).toEqual([3]);
    expect(matching(3)).toEqual([1]);
    expect(matching(30)).toEqual([3]);
    expect(matching(0)).toEqual([]);
  });

  it('keeps occurredAt as canonical UTC text', () => {
    const third = subjectHistoryPage(tables, A, { operation: 'change' }, null, 10).items[0];
    expect(third?.occurredAt).toBe('2026-02-10T08:00:00.000Z');
  });

  it('filters by operation, purpose, actor, unit, system, category and violations', () => {
    expect(numbers({ operation: 'access' })).toEqual([7, 5, 2]);
    expect(numbers({ purpose: 'P07' })).toEqual([2]);
    expect(numbers({ actorId: 'it-3' })).toEqual([3]);
    expect(numbers({ unit: 'personnel-management' })).toEqual([7, 6, 5, 2, 1]);
    expect(numbers({ system: 'erp' })).toEqual([3]);
    expect(numbers({ category: 28 })).toEqual([7, 2, 1]);
    expect(numbers({ category: 1 })).toEqual([6, 5, 1]);
    expect(numbers({ category: 29 })).toEqual([]);
    expect(numbers({ violationsOnly: true })).toEqual([7, 2]);
    expect(numbers({ category: 28, operation: 'access', violationsOnly: true, unit: 'personnel-management' })).toEqual([7, 2]);
    expect(numbers({ operation: 'destroy' })).toEqual([]);
  });

  it('filters by period, both bounds inclusive, in any zone', () => {
    expect(numbers({ from: '2026-02-10T08:00:00Z', to: '2026-03-10T08:00:00Z' })).toEqual([6, 5, 2, 3]);
    expect(numbers({ from: '2026-03-10T13:00:00+05:00' })).toEqual([7, 6, 5, 2]);
    expect(numbers({ to: '2026-02-10T08:00:00.000Z' })).toEqual([3, 1]);
    // An upper bound in another zone is the instant it names: 12:59:59 at UTC+5 is before the entries at 08:00Z on
    // 10 March (as text it sorts after them), 13:00 at UTC+5 is their instant.
    expect(numbers({ to: '2026-03-10T12:59:59+05:00' })).toEqual([3, 1]);
    expect(numbers({ to: '2026-03-10T13:00:00+05:00' })).toEqual([6, 5, 2, 3, 1]);
    expect(numbers({ category: 28, from: '2026-02-01T00:00:00Z', to: '2026-03-31T00:00:00Z' })).toEqual([2]);
  });

  it('pages with a cursor: no duplicates and no gaps, also across equal occurredAt', () => {
    for (const [filter, expected] of [[{}, [7, 6, 5, 2, 3, 1]], [{ category: 1 }, [6, 5, 1]], [{ operation: 'access' }, [7, 5, 2]]] as const) {
      for (const limit of [1, 2, 4]) {
        const seen: (number | undefined)[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = subjectHistoryPage(tables, A, filter, cursor, limit);
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.items.map((e) => number.get(e.position)));
          cursor = page.nextCursor;
          pages++;
        } while (cursor !== null);
        expect(seen).toEqual(expected);
        expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
      }
    }
  });

  it('continues after the cursor even when entries arrive meanwhile', () => {
    const local = freshTables();
    const first = [recorded({ occurredAt: '2026-05-01T08:00:00Z' }), recorded({ occurredAt: '2026-05-02T08:00:00Z' })];
    applyAll(local, first);
    const page = subjectHistoryPage(local, A, {}, null, 1);
    applyAll(local, [recorded({ occurredAt: '2026-05-03T08:00:00Z' })]);
    const next = subjectHistoryPage(local, A, {}, page.nextCursor, 10);
    expect(next.items.map((e) => e.position)).toEqual([first[0]!.position]);
    expect(next.nextCursor).toBeNull();
  });

  it('knows nothing of a subject without entries, and refuses a foreign cursor or a bad limit', () => {
    expect(subjectHistoryPage(tables, subject('z'), {}, null, 10)).toEqual({ items: [], nextCursor: null });
    expect(subjectHasHistory(tables, subject('z'))).toBe(false);
    expect(subjectHasHistory(tables, A)).toBe(true);
    expect(() => subjectHistoryPage(tables, A, {}, 'garbage', 10)).toThrow(RangeError);
    expect(() => subjectHistoryPage(tables, A, {}, Buffer.from('r:5').toString('base64url'), 10)).toThrow(RangeError);
    expect(() => subjectHistoryPage(tables, A, {}, null, 0)).toThrow(RangeError);
  });

  it('ignores event types it does not know', () => {
    const local = freshTables();
    const other: RecordedEvent = { ...recorded(), type: 'SubjectRequestFiled', metadata: { schemaVersion: 3 } };
    applyAll(local, [other, recorded({ subjectId: B })]);
    expect(subjectHistoryPage(local, B, {}, null, 10).items).toHaveLength(1);
    expect(local.db.prepare('SELECT count(*) FROM subject_history_g1_entries').pluck().get()).toBe(1);
  });

  it("keeps a record's data as the store's text when it read the record as stored, and writes it anew when upcast", () => {
    const local = freshTables();
    const dataOf = (position: number) =>
      local.db.prepare<[number], string>('SELECT data FROM subject_history_g1_entries WHERE position = ?').pluck().get(position);
    const withText = (event: RecordedEvent) =>
      rememberStoredText(event, { data: canonicalJson(event.data), metadata: canonicalJson(event.metadata) });
    const current = withText(recorded({ subjectId: B }));
    // v4: its state violation has no `since` yet, so the upcaster gives the entry other data than was stored.
    const v4 = recorded({ subjectId: B, violations: [FLAG] });
    const old = withText({ ...v4, metadata: { ...v4.metadata, schemaVersion: 4 } });
    const plain = recorded({ subjectId: B });
    applyAll(local, [current, old, plain]);
    // The store's text (canonical: members in key order), not JSON.stringify's (members as the object has them).
    expect(canonicalJson(current.data)).not.toBe(JSON.stringify(current.data));
    expect(dataOf(current.position)).toBe(canonicalJson(current.data));
    expect(dataOf(old.position)).toBe(JSON.stringify({ ...old.data, violations: [{ ...FLAG, since: null }] }));
    expect(dataOf(plain.position)).toBe(JSON.stringify(plain.data));
    expect(subjectHistoryPage(local, B, {}, null, 10).items.map((e) => e.data.violations)).toEqual([[], [{ ...FLAG, since: null }], []]);
  });

  it('throws on an event it cannot read instead of skipping it', () => {
    const local = freshTables();
    const newer = recorded();
    expect(() => subjectHistoryProjection.apply(local, { ...newer, metadata: { ...newer.metadata, schemaVersion: PROCESSING_RECORDED_SCHEMA_VERSION + 1 } })).toThrow(UnreadableEventError);
    expect(() => subjectHistoryProjection.apply(local, recorded({ occurredAt: 'yesterday' }))).toThrow(/occurredAt/);
    expect(() => subjectHistoryProjection.apply(local, { ...recorded(), metadata: { schemaVersion: 1 } })).toThrow(/recordedAt/);
  });

  it('keeps generations apart: statements are prepared per tables object', () => {
    const g1 = freshTables(1);
    const g2: ReadModelTables = { db: g1.db, table: (n) => 'subject_history_g2_' + n };
    subjectHistoryProjection.setup(g2);
    subjectHistoryProjection.indexes?.(g2);
    applyAll(g1, [recorded()]);
    applyAll(g2, [recorded(), recorded()]);
    expect(subjectHistoryPage(g1, A, {}, null, 10).items).toHaveLength(1);
    expect(subjectHistoryPage(g2, A, {}, null, 10).items).toHaveLength(2);
  });

  it.each<SubjectHistoryFilter>([
    {}, { operation: 'access' }, { purpose: 'P01' }, { actorId: 'hr-17' }, { unit: 'it' }, { system: 'erp' },
    { from: '2026-01-01T00:00:00Z', to: '2026-12-31T00:00:00Z' }, { violationsOnly: true }, { category: 28 },
  ])('walks an index newest first, without sorting, for %j', (filter) => {
    const key = existingSubjectKey(tables, A) as number;
    for (const after of [null, { occurredAt: '2026-03-10T08:00:00.000Z', position: 5 }]) {
      const { sql, params } = subjectHistorySql(tables, key, filter, after, 10);
      const plan = tables.db.prepare<typeof params, { detail: string }>('EXPLAIN QUERY PLAN ' + sql).all(params).map((r) => r.detail).join(' / ');
      expect(plan).not.toMatch(/TEMP B-TREE|SCAN/);
      expect(plan).toMatch(/USING (COVERING )?INDEX \S+_entries_by_subject/);
    }
  });

  it('keeps one index on the entries, whatever the filters: an event inserted touches one place in it', () => {
    const indexes = tables.db.prepare<[string], { name: string }>('SELECT name FROM pragma_index_list(?)').all(tables.table('entries'));
    expect(indexes.map((i) => i.name)).toEqual([`${tables.table('entries')}_by_subject`]);
  });
});
