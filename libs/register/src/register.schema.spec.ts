import data from './data/order-328-O.json';
import { ORDER_328_O } from './builtin';
import { parseRegister } from './register.schema';
import { RegisterSchemaError } from './register-schema-error';

// A deliberately broken copy is edited freely, whatever the model says.
type Loose = any;

function broken(mutate: (r: Loose) => void): unknown {
  const copy: Loose = structuredClone(data);
  mutate(copy);
  return copy;
}

function rejection(input: unknown): RegisterSchemaError {
  try {
    parseRegister(input, '/x/y.json');
  } catch (err) {
    if (err instanceof RegisterSchemaError) return err;
    throw err;
  }
  throw new Error('parseRegister accepted the input');
}

const knownPublication = (r: Loose, date: string, from: string, fromBasis = 'publication+10d') => {
  r.publication = { date, known: true, note: 'Published on adilet.zan.kz.' };
  r.effective = { from, fromBasis, to: null };
};

describe('parseRegister', () => {
  it('accepts the built-in data and returns exactly its fields', () => {
    expect(parseRegister(data, 'test')).toEqual(data);
    expect(ORDER_328_O).toEqual(data);
  });

  it('returns a deep-frozen copy and leaves the input alone', () => {
    const input = structuredClone(data);
    const r = parseRegister(input, 'test');
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.categories[27]?.names)).toBe(true);
    expect(Object.isFrozen(r.purposes[0]?.legalActs)).toBe(true);
    expect(Object.isFrozen(input)).toBe(false);
    input.categories[0]!.names.kk = 'changed';
    expect(r.categories[0]?.names.kk).toBe('Тегі, аты, әкесінің аты (болған жағдайда)');
  });

  it('accepts a category restricted to some purposes', () => {
    const r = parseRegister(broken((x) => (x.categories[27].purposes = ['P07', 'P09'])), 'test');
    expect(r.categories[27]?.purposes).toEqual(['P07', 'P09']);
  });

  it('accepts a known publication with effective.from = publication + 10 days', () => {
    const r = parseRegister(broken((x) => knownPublication(x, '2025-12-20', '2025-12-30')), 'test');
    expect(r.effective).toEqual({ from: '2025-12-30', fromBasis: 'publication+10d', to: null });
  });

  it('names the source, the field and the reason in the message', () => {
    const err = rejection(broken((x) => (x.categories[4].names.kk = '  ')));
    expect(err).toBeInstanceOf(RegisterSchemaError);
    expect(err).toMatchObject({ source: '/x/y.json', field: 'categories[4].names.kk', reason: 'must be a non-empty string' });
    expect(err.message).toBe('registers file /x/y.json: categories[4].names.kk: must be a non-empty string');
  });

  it.each<[string, (r: Loose) => void, string, string | RegExp]>([
    ['a missing kk name', (r) => delete r.categories[4].names.kk, 'categories[4].names.kk', 'is required'],
    ['an empty ru name', (r) => (r.purposes[3].names.ru = ''), 'purposes[3].names.ru', 'must be a non-empty string'],
    ['a non-string en name', (r) => (r.legalActs[0].titles.en = 7), 'legalActs[0].titles.en', 'must be a non-empty string'],
    ['a missing sub-field name', (r) => (r.categories[3].subFields[0] = {}), 'categories[3].subFields[0].names', 'is required'],
    ['a duplicate category number', (r) => (r.categories[5].number = 5), 'categories[5].number',
      'duplicate category number 5 (also at categories[4].number)'],
    ['a zero category number', (r) => (r.categories[0].number = 0), 'categories[0].number', 'must be a positive integer'],
    ['a fractional category number', (r) => (r.categories[0].number = 1.5), 'categories[0].number', 'must be a positive integer'],
    ['a duplicate category slug', (r) => (r.categories[1].slug = 'full-name'), 'categories[1].slug', /duplicate category slug "full-name"/],
    ['a slug that is not kebab-case', (r) => (r.categories[0].slug = 'Full_Name'), 'categories[0].slug', /must be a kebab-case slug/],
    ['a duplicate purpose code', (r) => (r.purposes[1].code = 'P01'), 'purposes[1].code', /duplicate purpose code "P01"/],
    ['a lower-case purpose code', (r) => (r.purposes[0].code = 'p01'), 'purposes[0].code', /must be an upper-case code/],
    ['a non-existent date', (r) => (r.order.date = '2025-02-30'), 'order.date', 'must be a real calendar date in YYYY-MM-DD form, got "2025-02-30"'],
    ['a date with a time', (r) => (r.effective.from = '2025-12-14T00:00:00Z'), 'effective.from', /must be a real calendar date/],
    ['a bad act date', (r) => (r.legalActs[1].date = '2018-13-01'), 'legalActs[1].date', /must be a real calendar date/],
    ['an unknown category key', (r) => (r.categories[0].colour = 'red'), 'categories[0].colour', 'is not a known field'],
    ['an unknown top-level key', (r) => (r.comment = 'x'), 'comment', 'is not a known field'],
    ['a purpose citing a missing act', (r) => r.purposes[2].legalActs.push('L9'), 'purposes[2].legalActs[1]', 'refers to unknown legal act "L9"'],
    ['a purpose citing an act twice', (r) => r.purposes[2].legalActs.push('L3'), 'purposes[2].legalActs[1]', /duplicate legal act "L3"/],
    ['a purpose from a missing clause', (r) => (r.purposes[0].clause = 8), 'purposes[0].clause',
      'refers to purpose clause 8, which is not in purposeClauses'],
    ['a category restricted to a missing purpose', (r) => (r.categories[27].purposes = ['P07', 'P13']), 'categories[27].purposes[1]',
      'refers to unknown purpose "P13"'],
    ['an empty purpose restriction', (r) => (r.categories[27].purposes = []), 'categories[27].purposes', 'must be a non-empty array'],
    ['an unknown tier', (r) => (r.categories[3].tier = 'X'), 'categories[3].tier', 'must be one of "S", "R", "O", got "X"'],
    ['a non-boolean sensitive flag', (r) => (r.categories[3].sensitive = 'yes'), 'categories[3].sensitive', 'must be true or false'],
    ['version 0', (r) => (r.version = 0), 'version', 'must be a positive integer'],
    ['an id with a space', (r) => (r.id = 'mineco 328'), 'id', /must be an identifier/],
    ['no categories', (r) => (r.categories = []), 'categories', 'must be a non-empty array'],
    ['an unknown rendered language', (r) => r.renderedLangs.push('de'), 'renderedLangs[2]', /must be one of "kk", "ru", "en"/],
    ['a numeric registration number', (r) => (r.legalActs[3].registrationNumber = 14448), 'legalActs[3].registrationNumber',
      'must be a non-empty string'],
    ['an unknown basis of the effective date', (r) => (r.effective.fromBasis = 'guess'), 'effective.fromBasis', /must be one of/],
    ['an effective period ending before it starts', (r) => (r.effective.to = '2025-12-13'), 'effective.to',
      'must not be before effective.from (2025-12-14), got 2025-12-13'],
    ['a known publication with the wrong effective date', (r) => knownPublication(r, '2025-12-20', '2025-12-14'), 'effective.from',
      'must be 2025-12-30 (publication.date 2025-12-20 + 10 calendar days), got 2025-12-14'],
    ['a known publication with a provisional basis', (r) => knownPublication(r, '2025-12-20', '2025-12-30', 'provisional'),
      'effective.fromBasis', 'must be "publication+10d" when publication.known is true, got "provisional"'],
    ['a known publication without a date', (r) => (r.publication.known = true), 'publication.date', 'must be set when publication.known is true'],
    ['an unknown publication with a date', (r) => (r.publication.date = '2025-12-20'), 'publication.date',
      'must be null while publication.known is false'],
    ['an unknown publication with basis publication+10d', (r) => (r.effective.fromBasis = 'publication+10d'), 'effective.fromBasis',
      'cannot be "publication+10d" while publication.known is false'],
  ])('rejects %s', (_, mutate, field, reason) => {
    const err = rejection(broken(mutate));
    expect(err.field).toBe(field);
    if (typeof reason === 'string') expect(err.reason).toBe(reason);
    else expect(err.reason).toMatch(reason);
  });

  it.each([null, [], 'register', 42])('rejects %p as a whole', (input) => {
    expect(rejection(input)).toMatchObject({ field: '(root)', reason: 'must be an object' });
  });
});
