import type { RecordedEvent } from '@derbes/event-store';
import { categoryStatusAt, evolve, initialSubjectState, type CategoryRef, type Operation, type SubjectEvent, type SubjectState } from '@derbes/ledger';
import type { ReadModelTables } from '../projection';
import { openReadModelDatabase } from '../read-model-database';
import { recorded, subject } from '../recorded-event.fixture';
import { evolveCategoryInventory, holdsAfter, type CategoryInventoryState } from './category-inventory.evolve';
import { subjectInventoryProjection } from './subject-inventory.projection';
import { subjectInventory, type InventoryCategory } from './subject-inventory.queries';

const SUBJECT = subject('a');
const OTHER = subject('b');
const LISTED: CategoryRef[] = [1, 2, 28].map((number) => ({ number, slug: `category-${number}` }));

type Overrides = Parameters<typeof recorded>[0];
/** A record about category 1 of SUBJECT; a collect from the subject unless told otherwise. */
const record = (operation: Operation, occurredAt: string, more: Overrides = {}): RecordedEvent =>
  recorded({ operation, occurredAt, categories: [1], source: operation === 'collect' ? { kind: 'subject' } : null, ...more });

describe('subject-inventory projection', () => {
  let tables: ReadModelTables;
  beforeEach(() => {
    tables = { db: openReadModelDatabase(':memory:'), table: (n) => 'x_g1_' + n };
    subjectInventoryProjection.setup(tables);
  });
  const given = (...events: RecordedEvent[]) => tables.db.transaction(() => events.forEach((e) => subjectInventoryProjection.apply(tables, e)))();
  const inventory = (subjectId = SUBJECT) => subjectInventory(tables, subjectId, LISTED);
  const category = (n: number): InventoryCategory => {
    const found = inventory()?.find((c) => c.number === n);
    if (!found) throw new Error(`no category ${n}`);
    return found;
  };

  // While version 5 is rebuilt after an upgrade, queries read version 4's generation, whose rows have no `emitted`.
  it('reads a row without the emitted column (an older generation) as held or not, as that version did', () => {
    given(record('collect', '2026-01-10T13:00:00+05:00'));
    const categories = tables.table('categories');
    const columns = (tables.db.prepare(`SELECT name FROM pragma_table_info('${categories}')`).pluck().all() as string[]).filter((c) => c !== 'emitted');
    tables.db.exec(`CREATE TABLE old AS SELECT ${columns.join(', ')} FROM "${categories}"; DROP TABLE "${categories}"; ALTER TABLE old RENAME TO "${categories}"`);
    expect(category(1).held).toBe(true);
  });

  it('knows nothing about a subject without records, and lists unseen categories as not known', () => {
    expect(inventory()).toBeNull();
    given(record('collect', '2026-01-10T13:00:00+05:00'));
    expect(inventory(OTHER)).toBeNull();
    expect(inventory()?.map((c) => [c.number, c.known, c.held])).toEqual([[1, true, true], [2, false, false], [28, false, false]]);
    expect(category(28)).toEqual({
      number: 28, slug: 'category-28', known: false, held: false, sources: [], firstProcessedAt: null, lastProcessedAt: null,
      lastChangedAt: null, recipients: [], blockedAt: null, destroyedAt: null, depersonalizedAt: null,
    });
  });

  it('keeps first and last processing, last change, distinct sources and recipients', () => {
    given(
      record('collect', '2026-02-01T08:00:00Z', { source: { kind: 'subject' } }),
      record('collect', '2026-01-01T08:00:00Z', { source: { kind: 'state-database', name: 'Individuals' } }),
      record('collect', '2026-03-01T08:00:00Z', { source: { kind: 'subject' } }),
      record('change', '2026-04-01T08:00:00Z'),
      record('change', '2026-03-15T08:00:00Z'),
      record('transfer', '2026-05-01T08:00:00Z', { recipient: { name: 'Pension fund', country: 'KZ' } }),
      record('transfer', '2026-05-02T08:00:00Z', { recipient: { name: 'Pension fund', country: 'KZ' } }),
      record('transfer', '2026-05-03T08:00:00Z', { recipient: { name: 'Pension fund', country: 'UZ' }, crossBorder: true }),
      record('access', '2026-06-01T13:00:00+05:00'),
    );
    expect(category(1)).toEqual({
      number: 1, slug: 'category-1', known: true, held: true,
      sources: [{ kind: 'subject' }, { kind: 'state-database', name: 'Individuals' }],
      firstProcessedAt: '2026-01-01T08:00:00.000Z', lastProcessedAt: '2026-06-01T08:00:00.000Z', lastChangedAt: '2026-04-01T08:00:00.000Z',
      recipients: [{ name: 'Pension fund', country: 'KZ' }, { name: 'Pension fund', country: 'UZ' }],
      blockedAt: null, destroyedAt: null, depersonalizedAt: null,
    });
  });

  it('lists sources and recipients in the order they first appeared, not by name', () => {
    given(
      record('collect', '2026-01-01T08:00:00Z', { source: { kind: 'third-party', name: 'Zhambyl archive' } }),
      record('collect', '2026-01-02T08:00:00Z', { source: { kind: 'subject' } }),
      record('transfer', '2026-02-01T08:00:00Z', { recipient: { name: 'Tax committee', country: 'KZ' } }),
      record('transfer', '2026-02-02T08:00:00Z', { recipient: { name: 'Bank', country: 'UZ' }, crossBorder: true }),
      record('transfer', '2026-02-03T08:00:00Z', { recipient: { name: 'Tax committee', country: 'KZ' } }),
    );
    expect(category(1).sources).toEqual([{ kind: 'third-party', name: 'Zhambyl archive' }, { kind: 'subject' }]);
    expect(category(1).recipients).toEqual([{ name: 'Tax committee', country: 'KZ' }, { name: 'Bank', country: 'UZ' }]);
  });

  it('tracks each category of a record separately', () => {
    given(record('collect', '2026-01-01T08:00:00Z', { categories: [1, 28] }), record('destroy', '2026-02-01T08:00:00Z', { categories: [28] }));
    expect([category(1).held, category(28).held, category(28).destroyedAt]).toEqual([true, false, '2026-02-01T08:00:00.000Z']);
    expect(category(1).destroyedAt).toBeNull();
  });

  it('marks blocking, and unblocking clears it; a second block keeps the first time', () => {
    given(record('collect', '2026-01-01T08:00:00Z'), record('block', '2026-02-01T08:00:00Z'), record('block', '2026-02-05T08:00:00Z'));
    expect(category(1)).toMatchObject({ held: true, blockedAt: '2026-02-01T08:00:00.000Z' });
    given(record('unblock', '2026-03-01T08:00:00Z'));
    expect(category(1)).toMatchObject({ held: true, blockedAt: null, lastProcessedAt: '2026-03-01T08:00:00.000Z' });
  });

  it('is no longer held after destruction (which lifts a block) or depersonalization', () => {
    given(record('collect', '2026-01-01T08:00:00Z'), record('block', '2026-02-01T08:00:00Z'), record('destroy', '2026-03-01T08:00:00Z'));
    expect(category(1)).toMatchObject({ held: false, blockedAt: null, destroyedAt: '2026-03-01T08:00:00.000Z' });
    given(record('collect', '2026-01-01T08:00:00Z', { subjectId: OTHER }), record('depersonalize', '2026-02-01T08:00:00Z', { subjectId: OTHER }));
    expect(subjectInventory(tables, OTHER, LISTED)?.[0]).toMatchObject({ held: false, depersonalizedAt: '2026-02-01T08:00:00.000Z', destroyedAt: null });
  });

  it('decides "held" by the latest record in time, not the latest reported', () => {
    given(record('collect', '2026-01-01T08:00:00Z'), record('destroy', '2026-03-01T08:00:00Z'));
    given(record('access', '2026-02-01T08:00:00Z'));
    expect(category(1)).toMatchObject({ held: false, destroyedAt: '2026-03-01T08:00:00.000Z', lastProcessedAt: '2026-03-01T08:00:00.000Z' });
    // A record after the destruction is evidence the data is held again (it is flagged); an access leaves the mark.
    given(record('access', '2026-03-15T08:00:00Z'));
    expect(category(1)).toMatchObject({ held: true, destroyedAt: '2026-03-01T08:00:00.000Z' });
    // A collect after it is new data (an employee hired again): no longer destroyed.
    given(record('collect', '2026-04-01T08:00:00Z'));
    expect(category(1)).toMatchObject({ held: true, destroyedAt: null });
    // A collect reported late, dated before the destruction, starts nothing anew.
    given(record('collect', '2026-02-15T08:00:00Z', { subjectId: OTHER }), record('destroy', '2026-03-01T08:00:00Z', { subjectId: OTHER }),
      record('collect', '2026-02-20T08:00:00Z', { subjectId: OTHER }));
    expect(subjectInventory(tables, OTHER, LISTED)?.[0]).toMatchObject({ held: false, destroyedAt: '2026-03-01T08:00:00.000Z' });
    // The same instant: the record applied later decides.
    given(record('depersonalize', '2026-04-01T08:00:00Z'));
    expect(category(1)).toMatchObject({ held: false, depersonalizedAt: '2026-04-01T08:00:00.000Z' });
  });

  // The ledger's own record of carrying out the subject's request q-1 (subject-request.decider's decideAnswer).
  const onRequest = (operation: Operation, occurredAt: string, more: Overrides = {}): RecordedEvent => record(operation, occurredAt, {
    purpose: { code: 'SUBJECT-RIGHTS', slug: 'subject-rights', clause: null }, legalBasis: ['LAW-94-V-ART-24-25'], system: 'derbes', requestId: 'q-1', ...more,
  });

  it("shows held as not known while only the ledger's own records of the subject's requests name a category", () => {
    given(onRequest('block', '2026-03-01T08:00:00Z'));
    expect(category(1)).toMatchObject({ known: true, held: null, sources: [], blockedAt: '2026-03-01T08:00:00.000Z' });
    given(onRequest('destroy', '2026-03-02T08:00:00Z'));
    expect(category(1)).toMatchObject({ held: null, destroyedAt: '2026-03-02T08:00:00.000Z' });
    // Any record of an emitting system tells as before, whenever it reached the ledger: here, before the destruction.
    given(record('access', '2026-02-01T08:00:00Z'));
    expect(category(1)).toMatchObject({ held: false });
    given(record('collect', '2026-01-01T08:00:00Z', { subjectId: OTHER }), onRequest('block', '2026-02-01T08:00:00Z', { subjectId: OTHER }));
    expect(subjectInventory(tables, OTHER, LISTED)?.[0]).toMatchObject({ held: true, blockedAt: '2026-02-01T08:00:00.000Z' });
    given(record('block', '2026-02-01T08:00:00Z', { categories: [28] }));
    expect(category(28)).toMatchObject({ held: true, blockedAt: '2026-02-01T08:00:00.000Z' });
  });

  it('lists categories the register lacks after the listed ones, and ignores other event types', () => {
    given(record('collect', '2026-01-01T08:00:00Z', { categories: [31] }));
    tables.db.transaction(() => subjectInventoryProjection.apply(tables, { ...record('collect', '2026-01-01T08:00:00Z', { categories: [2] }), type: 'SomethingElse' }))();
    expect(inventory()?.map((c) => [c.number, c.slug, c.known])).toEqual([[1, 'category-1', false], [2, 'category-2', false], [28, 'category-28', false], [31, 'category-31', true]]);
  });

  it('judges blocked and destroyed by occurredAt, like the decider: a late unblock dated before the block does not lift it', () => {
    given(record('collect', '2026-01-01T08:00:00Z'), record('block', '2026-03-01T08:00:00Z'), record('unblock', '2026-02-20T08:00:00Z'));
    expect(category(1)).toMatchObject({ blockedAt: '2026-03-01T08:00:00.000Z' });
    given(record('unblock', '2026-03-10T08:00:00Z'), record('block', '2026-03-05T08:00:00Z'));
    expect(category(1)).toMatchObject({ blockedAt: null });
    given(record('destroy', '2026-05-01T08:00:00Z'), record('destroy', '2026-04-01T08:00:00Z'));
    expect(category(1)).toMatchObject({ destroyedAt: '2026-04-01T08:00:00.000Z' });
  });

  it("keeps each category exactly as evolveCategoryInventory folds its records, and its marks as the decider's state, after every record, in any order of time and log", () => {
    const operations: Operation[] = ['collect', 'access', 'change', 'transfer', 'block', 'unblock', 'destroy', 'depersonalize'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const expected = new Map<string, CategoryInventoryState>();
    const decided = new Map<string, SubjectState>();
    const seen = { blocked: 0, reblocked: 0, tie: 0, notKnown: 0 };
    for (let i = 0; i < 400; i++) {
      const operation = operations[Math.floor(next() * operations.length)] as Operation;
      const subjectId = next() < 0.5 ? SUBJECT : OTHER;
      const categories = next() < 0.3 ? [1, 2] : [next() < 0.5 ? 1 : 28];
      // Few distinct instants, so that many records share one.
      const occurredAt = `2026-0${1 + Math.floor(next() * 4)}-0${1 + Math.floor(next() * 2)}T08:00:00.000Z`;
      // Now and then the ledger's own record of a subject's request, which alone leaves held not known.
      const emitted = next() >= 0.2;
      const event = (emitted ? record : onRequest)(operation, occurredAt, {
        subjectId, categories, ...(operation === 'transfer' && { recipient: { name: 'Fund', country: 'KZ' } }),
      });
      given(event);
      const decidedBefore = decided.get(subjectId) ?? initialSubjectState;
      const decidedAfter = evolve(decidedBefore, { type: event.type, data: event.data } as unknown as SubjectEvent);
      decided.set(subjectId, decidedAfter);
      for (const category of categories) {
        const key = `${subjectId}/${category}`;
        const before = expected.get(key);
        if (operation === 'block') seen[categoryStatusAt(decidedBefore.categories.get(category)).blockedAt ? 'reblocked' : 'blocked']++;
        if (before && before.heldBy.at === occurredAt && holdsAfter(operation) !== before.held) seen.tie++;
        const state = evolveCategoryInventory(before, operation, occurredAt, event.position, emitted);
        expected.set(key, state);
        if (!state.emitted) seen.notKnown++;
        const status = categoryStatusAt(decidedAfter.categories.get(category));
        const c = inventory(subjectId)?.find((x) => x.number === category);
        expect(c && { ...c, sources: [], recipients: [] }).toEqual({
          number: category, slug: `category-${category}`, known: true, held: state.emitted ? state.held : null, sources: [],
          firstProcessedAt: state.firstProcessedAt, lastProcessedAt: state.lastProcessedAt, lastChangedAt: state.lastChangedAt,
          recipients: [], ...status,
        });
      }
    }
    // The sequence went through the cases that matter: blocks of blocked data, ties in time that change `held`, and
    // categories only the ledger's own records name.
    expect(Math.min(seen.blocked, seen.reblocked, seen.tie, seen.notKnown)).toBeGreaterThan(0);
  });

  it('refuses an event of a schema version it cannot read', () => {
    const event = record('collect', '2026-01-01T08:00:00Z');
    expect(() => subjectInventoryProjection.apply(tables, { ...event, metadata: { ...event.metadata, schemaVersion: 9 } })).toThrow(/newer/);
  });
});
