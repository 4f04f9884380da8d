import { ORDER_328_O } from './builtin';
import { RegisterCatalog } from './register-catalog';
import type { Register } from './register.model';
import { parseRegister } from './register.schema';
import { RegisterSchemaError } from './register-schema-error';

// Variants of the built-in register are edited freely before being checked again.
type Loose = any;

function variant(mutate: (r: Loose) => void): Register {
  const copy: Loose = structuredClone(ORDER_328_O);
  mutate(copy);
  return parseRegister(copy, 'test variant');
}

/** v1 in force until 31 March 2026; v2 published 22 March 2026, in force from 1 April 2026, without category 30. */
const v1 = variant((r) => (r.effective.to = '2026-03-31'));
const v2 = variant((r) => {
  r.version = 2;
  r.publication = { date: '2026-03-22', known: true, note: 'Published on adilet.zan.kz.' };
  r.effective = { from: '2026-04-01', fromBasis: 'publication+10d', to: null };
  r.categories.pop();
});
const other = variant((r) => {
  r.id = 'minfin-12';
  r.owner = 'minfin';
  r.effective.from = '2020-01-01';
});

function rejection(build: () => unknown): RegisterSchemaError {
  try {
    build();
  } catch (err) {
    if (err instanceof RegisterSchemaError) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('RegisterCatalog', () => {
  describe('inForce', () => {
    const catalog = new RegisterCatalog([v2, other, v1]);

    it.each([
      ['2025-12-13T12:00:00Z', undefined], // 17:00 on 13 Dec in Kazakhstan: the day before `from`
      ['2025-12-13T18:59:59Z', undefined],
      ['2025-12-13T19:00:00Z', 1], // midnight of 14 Dec in UTC+5, the first day
      ['2025-12-13T19:30:00Z', 1],
      ['2026-03-31T18:59:59Z', 1], // last second of v1's last day
      ['2026-03-31T19:00:00Z', 2], // v2's first day
      ['2030-01-01T00:00:00Z', 2],
      ['9999-12-31T18:59:59Z', 2],
      ['9999-12-31T19:00:00Z', 2], // 1 Jan 10000 in UTC+5, written +010000-01-01: still after v2's start
    ])('at %s is version %p', (at, version) => {
      expect(catalog.inForce('mineco', new Date(at))?.version).toBe(version);
    });

    it('returns the very register object it was given', () => {
      expect(catalog.inForce('mineco', new Date('2026-01-01T00:00:00Z'))).toBe(v1);
    });

    it('takes the calendar day at the configured offset', () => {
      const utc = new RegisterCatalog([v1], { utcOffsetMinutes: 0 });
      expect(utc.inForce('mineco', new Date('2025-12-13T19:30:00Z'))).toBeUndefined();
      expect(utc.inForce('mineco', new Date('2025-12-14T00:00:00Z'))).toBe(v1);
    });

    it('after year 9999 in local time, gives only a version without an end', () => {
      expect(new RegisterCatalog([v1]).inForce('mineco', new Date('9999-12-31T19:00:00Z'))).toBeUndefined();
      expect(new RegisterCatalog([v1, v2]).inForce('mineco', new Date('+010000-06-01T00:00:00Z'))).toBe(v2);
    });

    it('knows nothing of an unknown owner', () => {
      expect(catalog.inForce('nobody', new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
    });

    it('rejects an invalid Date', () => {
      expect(() => catalog.inForce('mineco', new Date('not a date'))).toThrow(RangeError);
    });

    it('gives the current version through current()', () => {
      expect(catalog.current('mineco', new Date('2026-05-01T00:00:00Z'))).toBe(v2);
      expect(catalog.current('minfin', new Date())).toBe(other);
    });
  });

  it('lists registers by owner, then effective date, and the owners', () => {
    const catalog = new RegisterCatalog([v2, other, v1]);
    expect(catalog.all()).toEqual([v1, v2, other]);
    expect(catalog.owners()).toEqual(['mineco', 'minfin']);
  });

  describe('rejects', () => {
    it('overlapping versions of an owner', () => {
      const err = rejection(() => new RegisterCatalog([ORDER_328_O, v2]));
      expect(err).toMatchObject({ source: 'register catalog', field: 'registers[1].effective' });
      expect(err.reason).toBe('period 2026-04-01..open overlaps mineco-328-O v1 (2025-12-14..open, registers[0]) of owner "mineco"');
    });

    it('versions that share a day', () => {
      const touching = variant((r) => (r.effective.to = '2026-04-01'));
      expect(rejection(() => new RegisterCatalog([v2, touching])).field).toBe('registers[0].effective');
    });

    it('the same id and version twice', () => {
      const err = rejection(() => new RegisterCatalog([v1, other, v1]));
      expect(err).toMatchObject({ field: 'registers[2]' });
      expect(err.reason).toMatch(/duplicates registers\[0\]: id "mineco-328-O" version 1/);
    });

    it('an id that changes owner', () => {
      const moved = variant((r) => {
        r.version = 2;
        r.owner = 'minfin';
        r.effective.from = '2027-01-01';
      });
      expect(rejection(() => new RegisterCatalog([v1, moved])).field).toBe('registers[1].owner');
    });

    it('a category slug that changes meaning between versions', () => {
      const renamed = variant((r) => {
        r.version = 2;
        r.effective.from = '2026-04-01';
        r.categories[0].slug = 'fio';
      });
      const err = rejection(() => new RegisterCatalog([v1, renamed]));
      expect(err.field).toBe('registers[1].categories[0].slug');
    });

    it('a bad offset', () => {
      expect(() => new RegisterCatalog([v1], { utcOffsetMinutes: 5.5 })).toThrow(RangeError);
    });
  });

  describe('resolveCategory', () => {
    const catalog = new RegisterCatalog([v1, v2]);

    it('accepts the number or the slug', () => {
      expect(catalog.resolveCategory('mineco', 28)).toEqual({ number: 28, slug: 'medical-results' });
      expect(catalog.resolveCategory('mineco', 'medical-results')).toEqual({ number: 28, slug: 'medical-results' });
      expect(catalog.resolveCategory('mineco', 2)).toEqual({ number: 2, slug: 'iin' });
    });

    it('knows a category of any version, in force or not', () => {
      expect(catalog.resolveCategory('mineco', 30)).toEqual({ number: 30, slug: 'pension' });
    });

    it.each<number | string>([31, 0, -1, 1.5, Number.NaN, 'unknown', '28', 'Medical-Results'])('does not know %p', (input) => {
      expect(catalog.resolveCategory('mineco', input)).toBeUndefined();
    });

    it('does not know the categories of another owner', () => {
      expect(catalog.resolveCategory('minfin', 28)).toBeUndefined();
    });
  });

  describe('resolvePurpose', () => {
    const catalog = new RegisterCatalog([v1]);

    it('accepts the code or the slug', () => {
      expect(catalog.resolvePurpose('mineco', 'P07')).toEqual({ code: 'P07', slug: 'official-investigations' });
      expect(catalog.resolvePurpose('mineco', 'staff-formation-and-competitive-selection')).toEqual({
        code: 'P01',
        slug: 'staff-formation-and-competitive-selection',
      });
    });

    it.each(['p07', 'P13', 'P7', '', 'official investigations'])('does not know %p', (input) => {
      expect(catalog.resolvePurpose('mineco', input)).toBeUndefined();
    });
  });

  describe('withOverrides', () => {
    const corrected = variant((r) => {
      r.publication = { date: '2025-12-20', known: true, note: 'Published on adilet.zan.kz on 20 December 2025.' };
      r.effective = { from: '2025-12-30', fromBasis: 'publication+10d', to: null };
    });

    it('replaces a built-in register with the same id and version', () => {
      const catalog = RegisterCatalog.withOverrides([ORDER_328_O], [corrected]);
      expect(catalog.all()).toEqual([corrected]);
      expect(catalog.inForce('mineco', new Date('2025-12-20T12:00:00Z'))).toBeUndefined();
      expect(catalog.inForce('mineco', new Date('2025-12-30T00:00:00+05:00'))).toBe(corrected);
    });

    it('adds the others, and passes the options on', () => {
      const catalog = RegisterCatalog.withOverrides([v1], [v2, other], { utcOffsetMinutes: 0 });
      expect(catalog.all()).toEqual([v1, v2, other]);
      expect(catalog.inForce('mineco', new Date('2025-12-13T19:30:00Z'))).toBeUndefined();
    });

    it('rejects two corrections of the same version', () => {
      const err = rejection(() => RegisterCatalog.withOverrides([ORDER_328_O], [corrected, corrected]));
      expect(err).toMatchObject({ source: 'extra', field: '[1]', reason: 'id "mineco-328-O" version 1 is given twice' });
    });

    it('names the registers file and the register\'s own place in it, not its place among the merged registers', () => {
      const v2 = { ...structuredClone(ORDER_328_O), version: 2, effective: { from: '2026-06-15', fromBasis: 'stated' as const, to: null } };
      const v3 = { ...structuredClone(ORDER_328_O), version: 3, effective: { from: '2026-08-01', fromBasis: 'stated' as const, to: null } };
      const ended = { ...structuredClone(ORDER_328_O), effective: { ...ORDER_328_O.effective, to: '2026-06-14' } };
      // v2 overlaps the built-in v1, still open: the file's [0].
      expect(rejection(() => RegisterCatalog.withOverrides([ORDER_328_O], [v2], { extraSource: '/etc/derbes/registers.json' }))).toMatchObject({
        source: '/etc/derbes/registers.json', field: '[0].effective',
        reason: 'period 2026-06-15..open overlaps mineco-328-O v1 (2025-12-14..open, mineco-328-O v1 of built-in registers) of owner "mineco"',
      });
      // v3 starts after v2, still open: the culprit is the file's [0], though it comes after the corrected v1 once merged.
      expect(rejection(() => RegisterCatalog.withOverrides([ORDER_328_O], [v3, ended, v2], { extraSource: 'r.json' }))).toMatchObject({
        source: 'r.json', field: '[0].effective', reason: expect.stringContaining('overlaps mineco-328-O v2 (2026-06-15..open, [2] of r.json)'),
      });
      const renamed = { ...v2, categories: v2.categories.map((c, i) => (i === 0 ? { ...c, slug: 'x' } : c)) };
      expect(rejection(() => RegisterCatalog.withOverrides([ORDER_328_O], [ended, renamed], { extraSource: 'r.json' })).message)
        .toBe('registers file r.json: [1].categories[0].slug: is "x" but category 1 is "full-name" in another version');
    });

    it('refuses a replacement of a built-in version that changes what decides a record; dates, names and titles may change', () => {
      const changed = (edit: (r: ReturnType<typeof structuredClone<typeof ORDER_328_O>>) => void) => {
        const r = structuredClone(ORDER_328_O);
        edit(r);
        return rejection(() => RegisterCatalog.withOverrides([ORDER_328_O], [r], { extraSource: 'r.json' }));
      };
      const mutable = (r: object) => r as { categories: { number: number; slug: string; purposes?: string[] }[]; purposes: { code: string }[] };
      expect(changed((r) => { mutable(r).categories.pop(); })).toMatchObject({ source: 'r.json', field: '[0]', reason: expect.stringMatching(/^replaces built-in mineco-328-O v1 but has no category 30 \(pension\): .* give it version 2 /) });
      expect(changed((r) => { mutable(r).categories[27]!.purposes = ['P07']; }).reason).toContain('but changes the purposes category 28 allows');
      expect(changed((r) => { mutable(r).categories.push({ ...mutable(r).categories[0]!, number: 31, slug: 'new' }); }).reason).toContain('but adds category 31');
      expect(changed((r) => { mutable(r).purposes.pop(); }).reason).toContain('but changes its purposes');
      const retitled = structuredClone(ORDER_328_O);
      (retitled.categories[0] as { names: { en: string } }).names.en = 'Surname, first name, patronymic';
      expect(RegisterCatalog.withOverrides([ORDER_328_O], [retitled]).byIdVersion(ORDER_328_O.id, 1)?.categories[0]?.names.en).toBe('Surname, first name, patronymic');
    });

    it('refuses versions of a list that come into force out of their order (a typo in a version number)', () => {
      const ended = { ...structuredClone(ORDER_328_O), effective: { ...ORDER_328_O.effective, to: '2026-03-31' } };
      const v3 = { ...structuredClone(ORDER_328_O), version: 3, effective: { from: '2026-04-01', fromBasis: 'stated' as const, to: '2026-06-14' } };
      const v2 = { ...structuredClone(ORDER_328_O), version: 2, effective: { from: '2026-06-15', fromBasis: 'stated' as const, to: null } };
      expect(rejection(() => RegisterCatalog.withOverrides([ORDER_328_O], [ended, v3, v2], { extraSource: 'r.json' }))).toMatchObject({
        source: 'r.json', field: '[2].version',
        reason: 'is 2, but version 3 of "mineco-328-O" comes into force earlier (2026-04-01); versions of a list come into force in their order',
      });
    });

    it('still checks the result', () => {
      expect(() => RegisterCatalog.withOverrides([ORDER_328_O], [v2])).toThrow(RegisterSchemaError);
    });
  });
});
