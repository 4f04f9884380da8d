import { CanonicalJsonError, canonicalJson, canonicalJsonOfStored } from './canonical-json';
import { canonicalJsonBytesOfStored, stringifiedJsonBytes } from './json-bytes';

class Actor {
  constructor(readonly id: string, readonly role: string, readonly unit?: string) {}
}

// A text much longer than the stretch the writer gathers before encoding it, of one- to four-byte characters.
const long = (n: number) => Array.from({ length: n }, (_, i) => ['a', 'ж', 'Ө', '€', '😀', '"', '\n', '\u2028'][i % 8]).join('');

const values: [string, unknown][] = [
  ['members out of order, undefined, functions, NaN, a class instance', {
    b: 1, a: [1, undefined, () => 1, NaN, 'x'], c: undefined, d: new Actor('hr-17', 'hr'), e: null, f: { z: { y: [{}] } },
  }],
  ['a Date, escapes, -0 and the number forms', {
    when: new Date('2026-11-25T12:00:00.123Z'), text: 'қазақ "тілі"\n\u0001\u001f\\/\u007f', n: -0, big: 1e21, small: 1e-7, inf: Infinity,
    exact: 100000000000000000000, fraction: -1.5, tenth: 0.1, max: Number.MAX_SAFE_INTEGER, tiny: 5e-324,
  }],
  ['lone surrogates and pairs', { lone: 'a\ud800b', low: '\udfff', pair: '😀', reversed: '\ude00\ud83d', keyed: { '\ud800': 1, '😀': 2 } }],
  ['keys that look like numbers, and UTF-16 order', { '10': 'a', '9': 'b', b: 1, a: 2, '': 3, 'é': 4, 'z': 5, '\u{1F600}': 6, '\uFFFF': 7, A: 8 }],
  ['nested arrays and empties', [undefined, { a: undefined }, [], [[[]], [null, [1, [2, [3]]]]], {}, 'ж', '']],
  ['functions and symbols as members', { fn: () => 1, sym: Symbol('s'), nested: new Actor('a', 'b', undefined) }],
  ['top-level scalars', 'Қазақстан'],
  ['a long text across many flushes', { a: long(200_000), b: [long(70_001), long(3)], c: 'end' }],
  ['many small members across many flushes', Array.from({ length: 20_000 }, (_, i) => ({ n: i, name: i % 3 ? 'Персонал' : 'staff', flag: i % 2 === 0, none: null }))],
];

describe('canonicalJsonBytesOfStored', () => {
  it.each(values)('is the UTF-8 of canonicalJsonOfStored, and of canonicalJson of the JSON round trip: %s', (_, value) => {
    const bytes = canonicalJsonBytesOfStored(value);
    expect(bytes.equals(Buffer.from(canonicalJsonOfStored(value), 'utf8'))).toBe(true);
    expect(bytes.equals(Buffer.from(canonicalJson(JSON.parse(JSON.stringify(value))), 'utf8'))).toBe(true);
  });

  it('writes the prefix first', () => {
    expect(canonicalJsonBytesOfStored({ b: 'Ө', a: 1 }, 'derbes-test-v1\n').toString('utf8')).toBe('derbes-test-v1\n{"a":1,"b":"Ө"}');
  });

  it('refuses what JSON cannot store: nothing at the top, a bigint anywhere', () => {
    expect(() => canonicalJsonBytesOfStored(undefined)).toThrow(CanonicalJsonError);
    expect(() => canonicalJsonBytesOfStored(() => 1)).toThrow(CanonicalJsonError);
    expect(() => canonicalJsonBytesOfStored({ a: [1n] })).toThrow('a bigint has no JSON form');
  });
});

describe('stringifiedJsonBytes', () => {
  it.each(values)('is the UTF-8 of JSON.stringify: %s', (_, value) => {
    expect(stringifiedJsonBytes(value).equals(Buffer.from(JSON.stringify(value), 'utf8'))).toBe(true);
  });

  it('keeps the members in their order, not sorted', () => {
    expect(stringifiedJsonBytes({ b: 1, a: { d: 2, c: 3 }, signature: null }).toString('utf8')).toBe('{"b":1,"a":{"d":2,"c":3},"signature":null}');
  });
});
