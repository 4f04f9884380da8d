import type { RecordedEvent } from '@derbes/event-store';
import { OPERATIONS, type Operation } from '@derbes/ledger';
import { ORDER_328_O, RegisterCatalog } from '@derbes/register';
import type { ReadModelTables } from '../projection';
import { openReadModelDatabase } from '../read-model-database';
import { actorActivityProjection } from './actor-activity.projection';
import { actorActivitySummaries, unusualActivityIn, type ActorActivityScope } from './actor-activity.queries';
import { addDays } from './calendar-day';
import { sensitiveCategoriesOf, sensitiveMarksOf } from './sensitive-categories';

// A second owner whose register marks category 1 (full name) sensitive, to show that the event's register decides.
const OTHER = { ...ORDER_328_O, id: 'other-1', owner: 'other', categories: ORDER_328_O.categories.map((c) => (c.number === 1 ? { ...c, sensitive: true } : c)) };
const catalog = new RegisterCatalog([ORDER_328_O, OTHER]);
const MINECO = { id: ORDER_328_O.id, version: ORDER_328_O.version, order: '328-Ө' };

interface Spec {
  readonly actor?: string;
  readonly unit?: string;
  readonly role?: string;
  readonly subject?: string;
  readonly operation?: Operation;
  readonly categories?: readonly number[];
  readonly occurredAt: string;
  readonly register?: { id: string; version: number; order: string } | null;
}

const ops = (counts: Partial<Record<Operation | 'read', number>>) => ({ ...Object.fromEntries(OPERATIONS.map((op) => [op, 0])), read: 0, ...counts });

let position = 0;
function recorded(spec: Spec): RecordedEvent {
  position++;
  return {
    id: `4f7c0c1e-8a59-4d7e-9d0e-${String(position).padStart(12, '0')}`, type: 'ProcessingRecorded', streamId: `subject-${spec.subject ?? 's1'}`,
    revision: 0, position, created: '2026-11-25T12:00:00.000Z',
    metadata: { schemaVersion: 1, recordedAt: '2026-11-25T12:00:00.000Z', correlationId: 'c', requestHash: 'x'.repeat(64) },
    data: {
      recordId: `r${position}`, subjectId: spec.subject ?? 's1', operation: spec.operation ?? 'access',
      categories: (spec.categories ?? [1]).map((number) => ({ number, slug: ORDER_328_O.categories[number - 1]!.slug })),
      purpose: { code: 'P01', slug: 'p01', clause: 1 }, register: spec.register === undefined ? MINECO : spec.register, legalBasis: [],
      actor: { id: spec.actor ?? 'hr-1', role: spec.role ?? 'hr-specialist', unit: spec.unit ?? 'personnel' }, system: 'hr-portal',
      occurredAt: spec.occurredAt, source: null, recipient: null, crossBorder: false, transferGround: null, note: null, violations: [],
    },
  } as unknown as RecordedEvent;
}

/** A read of subject's file through the ledger (SubjectFileRead) by `spec.actor`, mentioning `spec.categories`. */
function fileRead(spec: Spec): RecordedEvent {
  const event = recorded(spec);
  const data = event.data as Record<string, unknown>;
  return {
    ...event, type: 'SubjectFileRead',
    data: { readId: `read-${event.position}`, subjectId: data.subjectId, view: 'GET /v1/subjects/{subjectId}/history', categories: data.categories, purpose: { code: 'OVERSIGHT', slug: 'oversight' }, actor: data.actor, occurredAt: data.occurredAt },
  } as unknown as RecordedEvent;
}

function readModel(): { tables: ReadModelTables; apply: (...specs: Spec[]) => void } {
  const tables: ReadModelTables = { db: openReadModelDatabase(':memory:'), table: (n) => 'x_g1_' + n };
  const projection = actorActivityProjection({ isSensitive: sensitiveCategoriesOf(catalog, 'mineco'), utcOffsetMinutes: 300 });
  projection.setup(tables);
  return { tables, apply: (...specs) => tables.db.transaction(() => specs.forEach((s) => projection.apply(tables, recorded(s))))() };
}

describe('actor-activity projection', () => {
  it('counts records per operation, distinct subjects and sensitive accesses (a record once, its categories each)', () => {
    const { tables, apply } = readModel();
    apply(
      { subject: 'a', operation: 'collect', categories: [1, 28, 27], occurredAt: '2026-11-20T04:00:00Z' },
      { subject: 'a', operation: 'access', categories: [28], occurredAt: '2026-11-20T05:00:00Z' },
      { subject: 'b', operation: 'access', categories: [1, 2], occurredAt: '2026-11-20T06:00:00Z' },
      { subject: 'a', operation: 'change', categories: [25], occurredAt: '2026-11-21T06:00:00Z' },
      { actor: 'hr-2', subject: 'c', categories: [16], occurredAt: '2026-11-21T06:00:00Z' },
    );
    expect(actorActivitySummaries(tables, { from: '2026-11-20', to: '2026-11-21' })).toEqual([
      {
        actorId: 'hr-1', role: 'hr-specialist', unit: 'personnel', subjects: 2, records: 4,
        recordsByOperation: ops({ access: 2, change: 1, collect: 1 }),
        sensitiveCategories: [{ number: 25, slug: 'family-status', records: 1 }, { number: 27, slug: 'disability', records: 1 }, { number: 28, slug: 'medical-results', records: 2 }],
        sensitiveAccesses: 3,
      },
      expect.objectContaining({ actorId: 'hr-2', subjects: 1, sensitiveAccesses: 1, sensitiveCategories: [{ number: 16, slug: 'criminal-record', records: 1 }] }),
    ]);
    // Day by day, the same subject counts on each day it was touched.
    expect(actorActivitySummaries(tables, { from: '2026-11-21', to: '2026-11-21', actorId: 'hr-1' })).toEqual([
      expect.objectContaining({ subjects: 1, records: 1, recordsByOperation: ops({ change: 1 }) }),
    ]);
  });

  it('counts days in Kazakhstan (UTC+5): 18:59:59Z is still the day, 19:00Z is the next', () => {
    const { tables, apply } = readModel();
    apply({ subject: 'a', occurredAt: '2026-11-19T18:59:59Z' }, { subject: 'b', occurredAt: '2026-11-19T19:00:00Z' }, { subject: 'c', occurredAt: '2026-11-20T00:30:00+05:00' });
    expect(actorActivitySummaries(tables, { from: '2026-11-19', to: '2026-11-19' })).toEqual([expect.objectContaining({ subjects: 1 })]);
    expect(actorActivitySummaries(tables, { from: '2026-11-20', to: '2026-11-20' })).toEqual([expect.objectContaining({ subjects: 2 })]);
  });

  it('reads sensitivity from the register recorded on the event, and from the owner when there was none', () => {
    const { tables, apply } = readModel();
    apply(
      { actor: 'a', categories: [1], occurredAt: '2026-11-20T06:00:00Z' },
      { actor: 'b', categories: [1], register: { id: 'other-1', version: 1, order: 'x' }, occurredAt: '2026-11-20T06:00:00Z' },
      { actor: 'c', categories: [1, 5], register: null, occurredAt: '2026-11-20T06:00:00Z' },
      { actor: 'd', categories: [5], register: { id: 'gone', version: 9, order: 'x' }, occurredAt: '2026-11-20T06:00:00Z' },
    );
    const sensitive = actorActivitySummaries(tables, { from: '2026-11-20', to: '2026-11-20' }).map((a) => [a.actorId, a.sensitiveCategories.map((c) => c.number)]);
    expect(sensitive).toEqual([['a', []], ['b', [1]], ['c', [5]], ['d', [5]]]);
  });

  it("keeps the unit and role of the actor's latest record in time, whatever order records arrive in", () => {
    const { tables, apply } = readModel();
    apply(
      { unit: 'archive', role: 'archivist', occurredAt: '2026-11-20T09:00:00Z' },
      { unit: 'personnel', role: 'hr-specialist', occurredAt: '2026-11-20T04:00:00Z' },
      { unit: 'personnel', occurredAt: '2026-11-18T04:00:00Z' },
    );
    expect(actorActivitySummaries(tables, { from: '2026-11-18', to: '2026-11-20' })).toEqual([expect.objectContaining({ unit: 'archive', role: 'archivist', records: 3 })]);
    expect(actorActivitySummaries(tables, { from: '2026-11-18', to: '2026-11-20', unit: 'personnel' })).toEqual([expect.objectContaining({ unit: 'personnel', records: 1 })]);
    expect(actorActivitySummaries(tables, { from: '2026-11-18', to: '2026-11-20', unit: 'finance' })).toEqual([]);
  });

  it("counts reads of subjects' files as the reader's operation read: subjects, records, and sensitive accesses when the answer named a sensitive category", () => {
    const { tables, apply } = readModel();
    const projection = actorActivityProjection({ isSensitive: sensitiveCategoriesOf(catalog, 'mineco'), utcOffsetMinutes: 300 });
    apply({ actor: 'director', subject: 'a', operation: 'access', categories: [1], occurredAt: '2026-11-20T04:00:00Z' });
    tables.db.transaction(() => projection.applyAll!(tables, [
      fileRead({ actor: 'director', subject: 'a', categories: [1, 28], occurredAt: '2026-11-20T05:00:00Z' }),
      fileRead({ actor: 'director', subject: 'b', categories: [1], occurredAt: '2026-11-20T06:00:00Z' }),
      fileRead({ actor: 'director', subject: 'c', categories: [], occurredAt: '2026-11-20T07:00:00Z' }),
      // A data subject opening their own report with their link is nobody's activity.
      fileRead({ actor: 'data-subject', role: 'data-subject', unit: 'self', subject: 'd', categories: [28], occurredAt: '2026-11-20T07:00:00Z' }),
    ]))();
    expect(actorActivitySummaries(tables, { from: '2026-11-20', to: '2026-11-20' })).toEqual([{
      actorId: 'director', role: 'hr-specialist', unit: 'personnel', subjects: 3, records: 4,
      recordsByOperation: { ...ops({ access: 1 }), read: 3 },
      sensitiveCategories: [{ number: 28, slug: 'medical-results', records: 1 }],
      sensitiveAccesses: 1,
    }]);
  });

  it("leaves out the data subject's own reads by the whole actor: a staff key named data-subject is counted", () => {
    const { tables } = readModel();
    const projection = actorActivityProjection({ isSensitive: sensitiveCategoriesOf(catalog, 'mineco'), utcOffsetMinutes: 300 });
    tables.db.transaction(() => projection.applyAll!(tables, [
      fileRead({ actor: 'data-subject', role: 'data-subject', unit: 'self', subject: 'a', categories: [28], occurredAt: '2026-11-20T05:00:00Z' }),
      // A key created before such names were refused: its holder reads as actor data-subject, role official.
      fileRead({ actor: 'data-subject', role: 'official', unit: 'personnel-management', subject: 'b', categories: [28], occurredAt: '2026-11-20T06:00:00Z' }),
      fileRead({ actor: 'data-subject', role: 'official', unit: 'personnel-management', subject: 'c', categories: [1], occurredAt: '2026-11-20T07:00:00Z' }),
      // The same id and role in another unit is no data subject either.
      fileRead({ actor: 'data-subject', role: 'data-subject', unit: 'personnel-management', subject: 'd', categories: [1], occurredAt: '2026-11-20T08:00:00Z' }),
    ]))();
    expect(actorActivitySummaries(tables, { from: '2026-11-20', to: '2026-11-20' })).toEqual([{
      actorId: 'data-subject', role: 'data-subject', unit: 'personnel-management', subjects: 3, records: 3,
      recordsByOperation: ops({ read: 3 }), sensitiveCategories: [{ number: 28, slug: 'medical-results', records: 1 }], sensitiveAccesses: 1,
    }]);
  });

  it('ignores events of other kinds', () => {
    const { tables } = readModel();
    const projection = actorActivityProjection({ isSensitive: () => true, utcOffsetMinutes: 300 });
    projection.apply(tables, { ...recorded({ occurredAt: '2026-11-20T06:00:00Z' }), type: 'SomethingElse' });
    expect(actorActivitySummaries(tables, { from: '2000-01-01', to: '2099-12-31' })).toEqual([]);
  });

  it('flags from the read model a spike above the own and the unit level, not a spike the unit shares', () => {
    const { tables, apply } = readModel();
    const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}T05:00:00Z`;
    const work = (actor: string, d: number, subjects: number, unit = 'personnel'): Spec[] =>
      Array.from({ length: subjects }, (_, i) => ({ actor, unit, subject: `${actor}-${d}-${i}`, categories: [28], occurredAt: day(d) }));
    for (let d = 1; d <= 19; d++) apply(...work('hr-1', d, 3), ...work('hr-2', d, 3), ...work('ops-1', d, 3, 'operations'), ...work('ops-2', d, 3, 'operations'));
    apply(...work('hr-1', 20, 40), ...work('hr-2', 20, 3), ...work('ops-1', 20, 40, 'operations'), ...work('ops-2', 20, 40, 'operations'));
    const flags = unusualActivityIn(tables, { from: '2026-11-20', to: '2026-11-20' });
    expect(flags).toEqual([
      expect.objectContaining({ actorId: 'hr-1', kind: 'subjects', count: 40, ownBaseline: 3, unitUsual: 3, unitSameDay: 3, unitBaseline: 3 }),
      expect.objectContaining({ actorId: 'hr-1', kind: 'sensitive', count: 40, ownBaseline: 3, unitBaseline: 3 }),
    ]);
    expect(unusualActivityIn(tables, { from: '2026-11-20', to: '2026-11-20', unit: 'operations' })).toEqual([]);
    expect(unusualActivityIn(tables, { from: '2026-11-19', to: '2026-11-19' })).toEqual([]);
  });

  it('gives the rule from the read model every day it compares: the 30th day back, the actor in another unit, the unit on the day itself', () => {
    const { tables, apply } = readModel();
    const at = (day: string) => `${day}T05:00:00Z`;
    const work = (actor: string, day: string, subjects: number, unit = 'personnel'): Spec[] =>
      Array.from({ length: subjects }, (_, i) => ({ actor, unit, subject: `${actor}-${day}-${i}`, occurredAt: at(day) }));
    const D = '2026-11-20';
    const scope = (more: Partial<ActorActivityScope> = {}) => unusualActivityIn(tables, { from: D, to: D, ...more });
    // hr-1, alone in audit, worked 20 a day on every other day from the 30th day back: 15 of 30, so a median of 10
    // and 25 on D is not three times it. Without the 30th day back, 14 of 30 would make the median 0.
    for (let back = 30; back >= 2; back -= 2) apply(...work('hr-1', addDays(D, -back), 20, 'audit'));
    apply(...work('hr-1', D, 25, 'audit'));
    // hr-2 worked 20 a day in archive, and on D 40 in personnel, where nobody else works: its own level is 20, kept
    // in whatever unit it was, so 40 is not three times it.
    for (let back = 30; back >= 1; back--) apply(...work('hr-2', addDays(D, -back), 20, 'archive'));
    apply(...work('hr-2', D, 40, 'personnel'));
    // ops-1, ops-2 and ops-3 usually work 3 a day, and all 40 on D: a spike the unit shares, also when one is asked about.
    for (const actor of ['ops-1', 'ops-2', 'ops-3']) {
      for (let back = 19; back >= 1; back--) apply(...work(actor, addDays(D, -back), 3, 'operations'));
      apply(...work(actor, D, 40, 'operations'));
    }
    expect(scope()).toEqual([]);
    expect(scope({ actorId: 'hr-1' })).toEqual([]);
    expect(scope({ actorId: 'hr-2' })).toEqual([]);
    expect(scope({ unit: 'personnel' })).toEqual([]);
    expect(scope({ actorId: 'ops-1' })).toEqual([]);
  });

  it("reads the per-subject, operation and category rows by primary key from the scope's actor-days, never by scanning those tables", () => {
    const { tables, apply } = readModel();
    for (let d = 1; d <= 9; d++) apply({ actor: 'hr-1', subject: `s${d}`, occurredAt: `2026-11-0${d}T05:00:00Z` }, { actor: 'hr-2', subject: `t${d}`, occurredAt: `2026-11-0${d}T05:00:00Z` });
    const prepared: string[] = [];
    const db = new Proxy(tables.db, {
      get(target, property) {
        if (property === 'prepare') return (sql: string) => { prepared.push(sql); return target.prepare(sql); };
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const scope = { from: '2026-11-03', to: '2026-11-04' };
    expect(actorActivitySummaries({ db, table: tables.table }, scope).map((a) => [a.actorId, a.subjects])).toEqual([['hr-1', 2], ['hr-2', 2]]);
    const joins = prepared.filter((sql) => sql.includes(' JOIN '));
    expect(joins).toHaveLength(3);
    for (const sql of joins) {
      const plan = tables.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(scope).map((row) => (row as { detail: string }).detail);
      expect({ sql, scans: plan.filter((detail) => /^SCAN [soc]\b/.test(detail)) }).toEqual({ sql, scans: [] });
    }
  });
});

describe('actor-activity projection, a batch at once (applyAll, as a catch-up applies it)', () => {
  /** Every row of the four tables, in key order. */
  function dump(tables: ReadModelTables): unknown {
    return ['days', 'subjects', 'operations', 'categories'].map((name) => tables.db.prepare(`SELECT * FROM "${tables.table(name)}" ORDER BY 1, 2, 3`).all());
  }

  it('writes exactly the rows that applying the same events one by one writes (600 random records, batches of random sizes)', () => {
    let seed = 42;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const events = Array.from({ length: 600 }, () => recorded({
      actor: pick(['hr-1', 'hr-2', 'payroll-1']), unit: pick(['personnel', 'finance']), role: pick(['hr-specialist', 'accountant']),
      subject: pick(['a', 'b', 'c', 'd', 'e']), operation: pick(OPERATIONS), categories: [pick([1, 2, 16, 25, 27, 28]), pick([1, 5, 28])].filter((c, i, all) => all.indexOf(c) === i),
      // Hours out of order, and equal instants, so that "the latest record of the day" is decided by time, then position.
      occurredAt: `2026-11-${pick(['20', '21', '22'])}T${pick(['01', '05', '19', '23'])}:00:00Z`,
      register: pick([MINECO, null, { id: 'other-1', version: ORDER_328_O.version, order: 'x' }]),
    }));
    const options = { isSensitive: sensitiveCategoriesOf(catalog, 'mineco'), utcOffsetMinutes: 300 };
    const one = { db: openReadModelDatabase(':memory:'), table: (n: string) => 'x_g1_' + n } satisfies ReadModelTables;
    const batched = { db: openReadModelDatabase(':memory:'), table: (n: string) => 'x_g1_' + n } satisfies ReadModelTables;
    const projection = actorActivityProjection(options);
    projection.setup(one);
    projection.setup(batched);
    one.db.transaction(() => events.forEach((e) => projection.apply(one, e)))();
    batched.db.transaction(() => {
      for (let i = 0; i < events.length;) {
        const size = 1 + Math.floor(next() * 120);
        projection.applyAll!(batched, events.slice(i, i + size));
        i += size;
      }
    })();
    const rows = dump(one) as unknown[][];
    expect(rows.map((r) => r.length).every((n) => n > 3)).toBe(true); // not vacuous: every table has rows
    expect(dump(batched)).toEqual(rows);
  });
});

describe('the actor-activity projection\'s settings', () => {
  const settings = (registers: RegisterCatalog, utcOffsetMinutes = 300, owner = 'mineco') =>
    actorActivityProjection({ isSensitive: sensitiveCategoriesOf(registers, owner), sensitiveMarks: sensitiveMarksOf(registers, owner), utcOffsetMinutes }).settings;

  it('change with the offset, the owner, or any register version\'s sensitive marks, and with nothing else', () => {
    const base = settings(catalog);
    expect(settings(new RegisterCatalog([OTHER, ORDER_328_O]))).toBe(base);
    const renamed = { ...OTHER, categories: OTHER.categories.map((c) => ({ ...c, names: { ...c.names, en: `${c.names.en}.` } })) };
    expect(settings(new RegisterCatalog([ORDER_328_O, renamed]))).toBe(base);
    expect(settings(catalog, 360)).not.toBe(base);
    expect(settings(catalog, 300, 'other')).not.toBe(base);
    const unmarked = { ...OTHER, categories: OTHER.categories.map((c) => (c.number === 28 ? { ...c, sensitive: false } : c)) };
    expect(settings(new RegisterCatalog([ORDER_328_O, unmarked]))).not.toBe(base);
  });
});
