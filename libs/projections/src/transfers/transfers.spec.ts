import type { RecordedEvent } from '@derbes/event-store';
import type { ProcessingRecordedData } from '@derbes/ledger';
import type { ReadModelTables } from '../projection';
import { openReadModelDatabase } from '../read-model-database';
import { recorded, subject } from '../recorded-event.fixture';
import { transfersProjection } from './transfers.projection';
import { decodeTransfersCursor } from './transfers-cursor';
import { transfersPage, transfersPageSql, transfersTotals, type TransfersFilter } from './transfers.queries';

function given(...events: RecordedEvent[]): ReadModelTables {
  const tables = { db: openReadModelDatabase(':memory:'), table: (n: string) => 'x_g1_' + n };
  transfersProjection.setup(tables);
  for (const event of events) transfersProjection.apply(tables, event);
  return tables;
}

type Overrides = Parameters<typeof recorded>[0];
const transfer = (name: string, country: string, occurredAt: string, more: Overrides = {}) =>
  recorded({
    operation: 'transfer',
    recipient: { name, country },
    crossBorder: country !== 'KZ',
    occurredAt,
    ...more,
  });

const YEAR = { from: '2026-01-01T00:00:00Z', to: '2026-12-31T23:59:59Z' };

describe('transfers', () => {
  const events = [
    transfer('Pension fund', 'KZ', '2026-02-01T08:00:00Z', { subjectId: subject('a') }),
    transfer('Tax committee', 'KZ', '2026-03-01T08:00:00Z'),
    transfer('Lab GmbH', 'DE', '2026-04-01T08:00:00Z', {
      categories: [28],
      purpose: { code: 'P07', slug: 'x', clause: 4 },
      violations: [{ code: 'cross-border-without-ground', detail: 'no ground' }] as ProcessingRecordedData['violations'],
    }),
    transfer('Lab GmbH', 'DE', '2026-05-01T08:00:00Z', { transferGround: { kind: 'consent', reference: 'consent 2026-118' }, embargoUntil: '2027-03-01' }),
    // Same instant as the next: position breaks the tie.
    transfer('Pension fund', 'KZ', '2026-06-01T08:00:00Z'),
    transfer('Bank', 'RU', '2026-06-01T08:00:00Z'),
    transfer('Pension fund', 'KZ', '2025-12-01T08:00:00Z'),
  ];
  const tables = given(recorded(), recorded({ operation: 'access' }), ...events);
  const positions = (filter: TransfersFilter, limit = 100) => transfersPage(tables, filter, null, limit).items.map((t) => t.position);
  const [p1, p2, p3, p4, p5, p6, p7] = events.map((e) => e.position);

  it('keeps transfers only, newest first, with what was transferred to whom', () => {
    expect(positions({})).toEqual([p6, p5, p4, p3, p2, p1, p7]);
    const lab = transfersPage(tables, { country: 'DE' }, null, 10).items;
    expect(lab[1]).toEqual({
      position: p3, eventId: events[2]!.id, subjectId: subject('a'), occurredAt: '2026-04-01T08:00:00.000Z',
      recipient: { name: 'Lab GmbH', country: 'DE' }, crossBorder: true, transferGround: null, categories: [28], purpose: 'P07',
      actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' }, system: 'hr-portal',
      violations: ['cross-border-without-ground'], embargoUntil: null,
    });
    expect(lab[0]?.transferGround).toEqual({ kind: 'consent', reference: 'consent 2026-118' });
  });

  it("gives each transfer its record's embargo: the date the subject's own report withholds it until", () => {
    expect(transfersPage(tables, { country: 'DE' }, null, 10).items.map((t) => [t.position, t.embargoUntil])).toEqual([[p4, '2027-03-01'], [p3, null]]);
  });

  // While version 2 is rebuilt after an upgrade, queries read version 1's generation, whose rows have no embargo_until.
  it('reads a row without the embargo column (an older generation) as without an embargo', () => {
    const old = given(events[3]!);
    old.db.exec('ALTER TABLE x_g1_transfers DROP COLUMN embargo_until');
    expect(transfersPage(old, {}, null, 10).items).toEqual([expect.objectContaining({ position: p4, embargoUntil: null })]);
  });

  it('filters by period, border, country and recipient', () => {
    expect(positions(YEAR)).toEqual([p6, p5, p4, p3, p2, p1]);
    expect(positions({ ...YEAR, crossBorder: true })).toEqual([p6, p4, p3]);
    expect(positions({ ...YEAR, crossBorder: false })).toEqual([p5, p2, p1]);
    expect(positions({ country: 'KZ' })).toEqual([p5, p2, p1, p7]);
    expect(positions({ recipient: 'Pension fund', ...YEAR })).toEqual([p5, p1]);
    expect(positions({ recipient: 'pension fund' })).toEqual([]);
    expect(positions({ from: '2026-06-01T08:00:00Z', to: '2026-06-01T08:00:00Z' })).toEqual([p6, p5]);
    // An upper bound in another zone is the instant it names, not text: 12:59:59 at UTC+5 is before 08:00Z.
    expect(positions({ ...YEAR, to: '2026-06-01T12:59:59+05:00' })).toEqual([p4, p3, p2, p1]);
    expect(positions({ ...YEAR, to: '2026-06-01T13:00:00+05:00' })).toEqual([p6, p5, p4, p3, p2, p1]);
  });

  it('pages with a keyset cursor, ties on the instant broken by position', () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = transfersPage(tables, {}, cursor, 2);
      seen.push(...page.items.map((t) => t.position));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([p6, p5, p4, p3, p2, p1, p7]);
    const first = transfersPage(tables, {}, null, 1);
    expect(decodeTransfersCursor(first.nextCursor!)).toEqual({ occurredAt: '2026-06-01T08:00:00.000Z', position: p6 });
    expect(transfersPage(tables, {}, null, 7).nextCursor).toBeNull();
    expect(() => transfersPage(tables, {}, 'garbage!', 1)).toThrow(RangeError);
  });

  it('totals the whole selection, not the page', () => {
    expect(transfersTotals(tables, YEAR)).toEqual({
      transfers: 6, crossBorder: 3, byCountry: { DE: 2, KZ: 3, RU: 1 },
      byRecipient: { 'Lab GmbH': 2, 'Pension fund': 2, Bank: 1, 'Tax committee': 1 }, toPersons: 0, recipientsTruncated: false,
    });
    expect(transfersTotals(tables, { ...YEAR, crossBorder: false })).toMatchObject({ transfers: 3, crossBorder: 0, byCountry: { KZ: 3 } });
    expect(transfersTotals(tables, { country: 'FR' })).toEqual({
      transfers: 0, crossBorder: 0, byCountry: {}, byRecipient: {}, toPersons: 0, recipientsTruncated: false,
    });
    const top = transfersTotals(tables, {}, 1);
    expect(top.byRecipient).toEqual({ 'Pension fund': 3 });
    expect(top.recipientsTruncated).toBe(true);
    // Exactly as many recipients as allowed: all of them, not cut.
    expect(transfersTotals(tables, {}, 4)).toMatchObject({ recipientsTruncated: false, byRecipient: { 'Pension fund': 3, 'Lab GmbH': 2, Bank: 1, 'Tax committee': 1 } });
  });

  it('counts transfers to persons (sealed names) apart, and names only organizations', () => {
    const t = given(
      transfer('sealed:v1:1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'KZ', '2026-01-05T00:00:00Z', { recipient: { name: 'sealed:v1:1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', country: 'KZ', kind: 'person' } }),
      transfer('sealed:v1:2:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', 'KZ', '2026-01-06T00:00:00Z', { recipient: { name: 'sealed:v1:2:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', country: 'KZ', kind: 'person' } }),
      transfer('Sealed: an organization', 'KZ', '2026-01-07T00:00:00Z'),
    );
    expect(transfersTotals(t, {})).toEqual({
      transfers: 3, crossBorder: 0, byCountry: { KZ: 3 }, byRecipient: { 'Sealed: an organization': 1 }, toPersons: 2, recipientsTruncated: false,
    });
    // The page keeps the sealed name as stored: the API opens it for display, the read model never holds it open.
    expect(transfersPage(t, {}, null, 10).items.map((i) => i.recipient.name.slice(0, 11))).toEqual(['Sealed: an ', 'sealed:v1:2', 'sealed:v1:1']);
  });

  it('keeps a recipient named like an object key as data', () => {
    const t = given(transfer('__proto__', 'KZ', '2026-01-05T00:00:00Z'));
    const totals = transfersTotals(t, {});
    expect(Object.keys(totals.byRecipient)).toEqual(['__proto__']);
    expect(JSON.parse(JSON.stringify(totals.byRecipient))).toEqual(JSON.parse('{"__proto__":1}'));
  });

  it('walks the index of the filter, newest first, without sorting', () => {
    const after = { occurredAt: '2026-05-01T00:00:00.000Z', position: 5 };
    for (const filter of [{}, { country: 'KZ' }, { crossBorder: true }, { recipient: 'Bank' }]) {
      for (const cursor of [null, after]) {
        const { sql, params } = transfersPageSql(tables, filter, cursor, 10);
        const plan = tables.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params).map((r) => (r as { detail: string }).detail).join(' / ');
        expect(plan).toContain('USING INDEX');
        expect(plan).not.toContain('TEMP B-TREE');
      }
    }
  });
});
