import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import data from './data/order-328-O.json';
import { loadRegistersFile } from './register-file';
import { RegisterSchemaError } from './register-schema-error';

describe('loadRegistersFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'derbes-registers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text, 'utf8');
    return path;
  };
  const corrected = () => ({
    ...structuredClone(data),
    publication: { date: '2025-12-20', known: true, note: 'Published on adilet.zan.kz on 20 December 2025.' },
    effective: { from: '2025-12-30', fromBasis: 'publication+10d', to: null },
  });
  const rejection = (path: string): RegisterSchemaError => {
    try {
      loadRegistersFile(path);
    } catch (err) {
      if (err instanceof RegisterSchemaError) return err;
      throw err;
    }
    throw new Error('accepted');
  };

  it('reads a file holding one register', () => {
    const [r, ...rest] = loadRegistersFile(file('one.json', JSON.stringify(corrected())));
    expect(rest).toEqual([]);
    expect(r?.publication.date).toBe('2025-12-20');
    expect(Object.isFrozen(r)).toBe(true);
  });

  it('reads a file holding an array of registers, with a byte-order mark', () => {
    const second = { ...structuredClone(data), id: 'other-1', owner: 'other' };
    const registers = loadRegistersFile(file('many.json', `\uFEFF${JSON.stringify([corrected(), second])}`));
    expect(registers.map((r) => r.id)).toEqual(['mineco-328-O', 'other-1']);
  });

  it('names the file on bad JSON', () => {
    const path = file('bad.json', '{ "id": "mineco-328-O", ');
    const err = rejection(path);
    expect(err).toMatchObject({ source: path, field: '(root)' });
    expect(err.reason).toMatch(/^is not valid JSON: /);
    expect(err.message).toMatch(new RegExp(`^registers file ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\(root\\): is not valid JSON`));
  });

  it('names the file and the field on a schema error', () => {
    const path = file('schema.json', JSON.stringify({ ...corrected(), effective: { from: '2025-12-14', fromBasis: 'publication+10d', to: null } }));
    const err = rejection(path);
    expect(err).toMatchObject({ source: path, field: 'effective.from' });
    expect(err.message).toContain(`registers file ${path}: effective.from: must be 2025-12-30`);
  });

  it('prefixes the field with the index inside an array', () => {
    const bad: any = structuredClone(data);
    bad.categories[4].names.kk = '';
    const path = file('array.json', JSON.stringify([corrected(), bad]));
    expect(rejection(path)).toMatchObject({ field: '[1].categories[4].names.kk', reason: 'must be a non-empty string' });
    expect(rejection(path).message).toBe(`registers file ${path}: [1].categories[4].names.kk: must be a non-empty string`);
  });

  it.each([
    ['empty.json', '[]'],
    ['number.json', '42'],
    ['null.json', 'null'],
  ])('rejects %s', (name, text) => {
    expect(rejection(file(name, text))).toMatchObject({ field: '(root)', reason: 'must hold a register or a non-empty array of registers' });
  });

  it('names a file it cannot read', () => {
    const path = join(dir, 'missing.json');
    const err = rejection(path);
    expect(err).toMatchObject({ source: path, field: '(root)' });
    expect(err.reason).toMatch(/^cannot be read: ENOENT/);
  });
});
