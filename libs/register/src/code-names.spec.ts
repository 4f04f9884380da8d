import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeNames, loadCodeNamesFile, parseCodeNames } from './code-names';
import { RegisterSchemaError } from './register-schema-error';

const hr = { kk: 'Персоналды басқару басқармасы', ru: 'Управление персоналом', en: 'Personnel management' };

function fieldOf(raw: unknown): string {
  try {
    parseCodeNames(raw, 'names.json');
  } catch (error) {
    expect(error).toBeInstanceOf(RegisterSchemaError);
    expect((error as Error).message).toMatch(/^names file names\.json: /);
    return (error as RegisterSchemaError).field;
  }
  throw new Error('accepted');
}

describe('names file', () => {
  it('takes names of units, roles and systems in kk, ru and en; every kind optional', () => {
    const names = parseCodeNames({ units: { 'personnel-management': hr }, systems: {} }, 'names.json');
    expect(names.units['personnel-management']).toEqual(hr);
    expect(names.roles).toEqual({});
  });

  it('takes every code a record can carry: a Cyrillic unit, a role with : and @, a system with a dot', () => {
    const names = parseCodeNames({ units: { 'кадр-бөлімі': hr, 'hq/hr': hr }, roles: { 'hr:lead@hq': hr }, systems: { 'hr.portal_2': hr } }, 'names.json');
    expect(new CodeNames(names).name('units', 'кадр-бөлімі', 'ru')).toBe(hr.ru);
    expect(new CodeNames(names).name('roles', 'hr:lead@hq', 'en')).toBe(hr.en);
    expect(new CodeNames(names).name('systems', 'hr.portal_2', 'kk')).toBe(hr.kk);
  });

  it('refuses a code no record could carry, saying which form it must have', () => {
    expect(fieldOf({ systems: { 'HR-Portal': hr } })).toBe('systems.HR-Portal');
    expect(fieldOf({ units: { '-hr': hr } })).toBe('units.-hr');
    expect(fieldOf({ roles: { 'hr lead': hr } })).toBe('roles.hr lead');
    expect(() => parseCodeNames({ systems: { 'Кадр': hr } }, 'names.json')).toThrow(/systems\.Кадр: must be a system code \(a-z, 0-9/);
  });

  it('names the bad field', () => {
    expect(fieldOf({ units: { 'personnel-management': { kk: 'x', ru: 'y' } } })).toBe('units.personnel-management.en');
    expect(fieldOf({ roles: { 'hr-specialist': { kk: 'x', ru: ' ', en: 'z' } } })).toBe('roles.hr-specialist.ru');
    expect(fieldOf({ unit: {} })).toBe('unit');
    expect(fieldOf({ systems: ['payroll'] })).toBe('systems');
    expect(fieldOf({ systems: { 'hr portal': hr } })).toBe('systems.hr portal');
    expect(fieldOf([])).toBe('(root)');
  });

  it('reads a file, and says when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'names-'));
    writeFileSync(join(dir, 'ok.json'), `\uFEFF${JSON.stringify({ units: { 'personnel-management': hr } })}`);
    writeFileSync(join(dir, 'bad.json'), '{ units: ');
    expect(loadCodeNamesFile(join(dir, 'ok.json')).units['personnel-management']?.ru).toBe(hr.ru);
    expect(() => loadCodeNamesFile(join(dir, 'bad.json'))).toThrow(/names file .*bad\.json: \(root\): is not valid JSON/);
    expect(() => loadCodeNamesFile(join(dir, 'none.json'))).toThrow(/\(root\): cannot be read/);
  });

  it("names the ledger's own codes in every language, and the operator's names win", () => {
    const builtIn = new CodeNames();
    for (const lang of ['kk', 'ru', 'en'] as const) {
      expect([builtIn.name('systems', 'derbes', lang), builtIn.name('units', 'self', lang), builtIn.name('roles', 'data-subject', lang), builtIn.name('roles', 'official', lang)])
        .not.toContain(null);
    }
    expect(builtIn.name('units', 'personnel-management', 'en')).toBeNull();
    const extended = new CodeNames(parseCodeNames({ units: { 'personnel-management': hr }, systems: { derbes: hr } }, 'names.json'));
    expect(extended.name('units', 'personnel-management', 'kk')).toBe(hr.kk);
    expect(extended.name('systems', 'derbes', 'en')).toBe(hr.en);
    expect(extended.name('units', 'toString', 'en')).toBeNull();
  });
});
