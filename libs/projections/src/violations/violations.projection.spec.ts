import type { Violation } from '@derbes/ledger';
import type { ReadModelTables } from '../projection';
import { openReadModelDatabase } from '../read-model-database';
import { recorded, subject } from '../recorded-event.fixture';
import { violationsProjection } from './violations.projection';
import { violationsPage, type ViolationsFilter } from './violations.queries';

const SUBJECT = subject('a');
const DESTROYED: Violation = { code: 'category-destroyed', category: 28, since: '2026-01-20T08:00:00Z', detail: 'access of category 28, destroyed at 2026-01-20T08:00:00Z' };
const BLOCKED: Violation = { code: 'blocked-data-processed', category: 1, detail: 'access of category 1, blocked since ...' };
const ABROAD: Violation = { code: 'cross-border-without-ground', detail: 'transfer to UZ without consent or treaty reference' };

type Overrides = Parameters<typeof recorded>[0];
const flagged = (occurredAt: string, violations: Violation[], more: Overrides = {}) =>
  recorded({
    operation: 'access', categories: [1, 28], purpose: { code: 'P07', slug: 'p07', clause: 4 },
    actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel' }, occurredAt, violations, ...more,
  });

describe('violations projection', () => {
  const events = [
    flagged('2026-01-01T08:00:00Z', []), // clean: not in the report
    flagged('2026-02-01T08:00:00Z', [BLOCKED, DESTROYED]),
    flagged('2026-03-01T08:00:00Z', [DESTROYED], { actor: { id: 'it-3', role: 'admin', unit: 'it' }, system: 'erp' }),
    flagged('2026-01-15T13:00:00+05:00', [ABROAD], { operation: 'transfer', recipient: { name: 'X', country: 'UZ' } }), // reported late
    flagged('2026-04-01T08:00:00Z', [BLOCKED], { subjectId: subject('b'), embargoUntil: '2027-03-01' }),
  ];
  // Numbered 1-5 in the order above, whatever global positions the fixture gave them.
  const number = new Map(events.map((e, i) => [e.position, i + 1]));
  const tables: ReadModelTables = { db: openReadModelDatabase(':memory:'), table: (n) => 'x_g1_' + n };
  violationsProjection.setup(tables);
  tables.db.transaction(() => events.forEach((e) => violationsProjection.apply(tables, e)))();

  const page = (filter: ViolationsFilter = {}, cursor: string | null = null, limit = 100) => violationsPage(tables, filter, cursor, limit);
  const key = (i: { position: number; code: string }) => `${number.get(i.position)}:${i.code}`;
  const keys = (filter: ViolationsFilter = {}) => page(filter).items.map(key);

  it('keeps one row per reason of each flagged record, newest first', () => {
    expect(keys()).toEqual(['5:blocked-data-processed', '3:category-destroyed', '2:category-destroyed', '2:blocked-data-processed', '4:cross-border-without-ground']);
    expect(page().items[1]).toEqual({
      position: events[2]!.position, recordId: events[2]!.id, subjectId: SUBJECT, occurredAt: '2026-03-01T08:00:00.000Z', operation: 'access', purpose: 'P07',
      code: 'category-destroyed', category: { number: 28, code: 'category-28' }, detail: DESTROYED.detail,
      since: '2026-01-20T08:00:00Z', register: { id: 'mineco-328-O', version: 1 }, country: null,
      actor: { id: 'it-3', role: 'admin', unit: 'it' }, system: 'erp', embargoUntil: null,
    });
    expect(page().items[4]).toMatchObject({ category: null, occurredAt: '2026-01-15T08:00:00.000Z', operation: 'transfer', since: null, country: 'UZ' });
  });

  it("gives each reason its record's embargo: the date the subject's own report withholds it until", () => {
    expect(page().items.map((i) => `${number.get(i.position)}:${i.embargoUntil}`)).toEqual(['5:2027-03-01', '3:null', '2:null', '2:null', '4:null']);
  });

  // While version 3 is rebuilt after an upgrade, queries read version 2's generation, whose rows have no embargo_until.
  it('reads a row without the embargo column (an older generation) as without an embargo', () => {
    const old: ReadModelTables = { db: openReadModelDatabase(':memory:'), table: (n) => 'old_g1_' + n };
    violationsProjection.setup(old);
    violationsProjection.apply(old, events[4]!);
    old.db.exec('ALTER TABLE old_g1_reasons DROP COLUMN embargo_until');
    expect(violationsPage(old, {}, null, 10).items).toEqual([expect.objectContaining({ code: 'blocked-data-processed', embargoUntil: null })]);
  });

  it('reads the time a v4 event gave only in its detail as the reason\'s since', () => {
    const local: ReadModelTables = { db: openReadModelDatabase(':memory:'), table: (n) => 'v4_g1_' + n };
    violationsProjection.setup(local);
    const v4 = flagged('2026-03-01T08:00:00Z', [{ code: 'blocked-data-processed', category: 1, detail: 'access of category 1 (surname), blocked since 2026-02-10T09:00:00Z' }]);
    violationsProjection.apply(local, { ...v4, metadata: { ...v4.metadata, schemaVersion: 4 } });
    expect(violationsPage(local, {}, null, 10).items.map((i) => i.since)).toEqual(['2026-02-10T09:00:00Z']);
  });

  it('filters by code, unit, system, actor and period, combined', () => {
    expect(keys({ code: 'category-destroyed' })).toEqual(['3:category-destroyed', '2:category-destroyed']);
    expect(keys({ unit: 'it' })).toEqual(['3:category-destroyed']);
    expect(keys({ system: 'hr-portal' })).toEqual(['5:blocked-data-processed', '2:category-destroyed', '2:blocked-data-processed', '4:cross-border-without-ground']);
    expect(keys({ actorId: 'hr-17', code: 'blocked-data-processed' })).toEqual(['5:blocked-data-processed', '2:blocked-data-processed']);
    expect(keys({ from: '2026-02-01T13:00:00+05:00', to: '2026-03-01T08:00:00Z' })).toEqual(['3:category-destroyed', '2:category-destroyed', '2:blocked-data-processed']);
    // An upper bound in another zone is the instant it names, not text: 12:59:59 at UTC+5 is before 08:00Z.
    expect(keys({ to: '2026-03-01T12:59:59+05:00' })).toEqual(['2:category-destroyed', '2:blocked-data-processed', '4:cross-border-without-ground']);
    expect(keys({ code: 'no-register-in-force' })).toEqual([]);
  });

  it('counts over the whole filter: reasons per code, flagged records per unit', () => {
    expect(page({}, null, 1).counts).toEqual({
      reasons: 5, records: 4,
      byReason: { 'blocked-data-processed': 2, 'category-destroyed': 2, 'cross-border-without-ground': 1 },
      byUnit: { it: 1, personnel: 3 },
    });
    expect(page({ unit: 'personnel', code: 'blocked-data-processed' }).counts).toEqual({
      reasons: 2, records: 2, byReason: { 'blocked-data-processed': 2 }, byUnit: { personnel: 2 },
    });
    expect(page({ code: 'purpose-not-in-register' }).counts).toEqual({ reasons: 0, records: 0, byReason: {}, byUnit: {} });
  });

  it('pages with a keyset cursor, also between reasons of one record, until the end', () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const result = page({}, cursor, 2);
      seen.push(...result.items.map(key));
      cursor = result.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(keys());
    expect(pages).toBe(3);
    // A page that ends between two reasons of one record: the next begins with the record's other reason.
    const three = page({}, null, 3);
    expect(three.items.map(key)).toEqual(['5:blocked-data-processed', '3:category-destroyed', '2:category-destroyed']);
    expect(page({}, three.nextCursor, 3).items.map(key)).toEqual(['2:blocked-data-processed', '4:cross-border-without-ground']);
    // A last page exactly full offers no next one.
    expect(page({}, null, 5).nextCursor).toBeNull();
    expect(page({}, page({}, null, 3).nextCursor, 2).nextCursor).toBeNull();
    const first = page({ code: 'category-destroyed' }, null, 1);
    expect(page({ code: 'category-destroyed' }, first.nextCursor, 1).items.map(key)).toEqual(['2:category-destroyed']);
  });

  it('refuses a cursor it did not make and a limit below 1', () => {
    expect(() => page({}, 'garbage')).toThrow(RangeError);
    expect(() => page({}, Buffer.from('h1|2026-01-01T00:00:00.000Z|3').toString('base64url'))).toThrow(RangeError);
    expect(() => page({}, null, 0)).toThrow(RangeError);
  });
});
