import { createHash } from 'node:crypto';
import { canonicalEventBytes, canonicalEventJson, chainHash, chainHashOfUnstored, chainJson, eventLeafHash, type CanonicalEvent } from './canonical-event';
import { CanonicalJsonError, canonicalJson, canonicalJsonOfStored, type JsonObject } from '@derbes/canonical-json';
import { leafHash } from './merkle';

const event: CanonicalEvent = {
  id: 'e-1', type: 'ProcessingRecorded', streamId: 'subject-abc', revision: 3, position: 17,
  data: { z: 1, a: { y: [3, { d: true, c: null }], b: 'x' } }, metadata: { previousHash: null }, created: '2026-01-01T00:00:00.000Z',
};

/** The obvious implementation of section 1 of CANONICAL.md, to compare the fast writer against. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(reference).join(',') + ']';
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return '{' + Object.keys(o).sort().map((k) => JSON.stringify(k) + ':' + reference(o[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

function random(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * below);
  };
}

const PIECES = ['a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f', 'é', 'Қ', '€', '\u2028', '\ufeff',
  '\uffff', '😀', '\ud800', '\udfff', '10', '9', '-', '_'];

function randomString(next: (below: number) => number): string {
  let s = '';
  for (let i = next(6); i > 0; i--) s += PIECES[next(PIECES.length)];
  return s;
}

function randomValue(next: (below: number) => number, depth: number): unknown {
  switch (next(depth > 3 ? 4 : 6)) {
    case 0: return randomString(next);
    case 1: return [0, -0, 1, -1.5, 0.1, 1e21, 1e-7, 123456789.125, 2 ** 53, -(2 ** 31), 5e-324][next(11)];
    case 2: return [true, false, null][next(3)];
    case 3: return (next(2000000) - 1000000) / [1, 3, 7, 1000][next(4)]!;
    case 4: return Array.from({ length: next(4) }, () => randomValue(next, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = next(5); i > 0; i--) o[randomString(next)] = randomValue(next, depth + 1);
      return o;
    }
  }
}

describe('canonical JSON', () => {
  it('sorts keys by UTF-16 code units at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[{"e":2,"f":1}]},"b":1}');
    // Integer-like keys sort as strings; an astral character (a surrogate pair, 0xD83D...) sorts before U+FFFF.
    expect(canonicalJson({ 9: 'a', 10: 'b', a: 1, B: 2 })).toBe('{"10":"b","9":"a","B":2,"a":1}');
    expect(canonicalJson({ '\uffff': 1, '😀': 2, é: 3 })).toBe('{"é":3,"😀":2,"\uffff":1}');
  });

  it('writes strings and numbers as JSON.stringify does', () => {
    const s = '"\\/\b\f\n\r\t\u0000\u001f\u007f é Қазақ 😀 \u2028 \ud800';
    expect(canonicalJson({ s })).toBe(`{"s":${JSON.stringify(s)}}`);
    expect(canonicalJson([0.1, 1e21, 1e-7, -0, 100, 1.5e300, 2 ** 53 + 2])).toBe('[0.1,1e+21,1e-7,0,100,1.5e+300,9007199254740994]');
  });

  it('agrees with the obvious implementation on 3,000 random values', () => {
    const next = random(2026);
    for (let i = 0; i < 3000; i++) {
      const value = randomValue(next, 0);
      expect(canonicalJson(value)).toBe(reference(value));
    }
  });

  it.each([
    [{ a: { b: [1, Number.NaN] } }, '$.a.b[1]: NaN is not a JSON number'],
    [{ a: Infinity }, '$.a: Infinity is not a JSON number'],
    [{ a: undefined }, '$.a: undefined is not a JSON value'],
    [[1, , 3], '$[1]: undefined is not a JSON value'],
    [{ f: () => 1 }, '$.f: function is not a JSON value'],
    [{ n: 10n }, '$.n: bigint is not a JSON value'],
    [{ s: Symbol('s') }, '$.s: symbol is not a JSON value'],
    [{ when: new Date(0) }, '$.when: an instance of Date is not a plain JSON object'],
    [{ m: new Map() }, '$.m: an instance of Map is not a plain JSON object'],
  ])('refuses %p, naming where', (value, message) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(`canonical JSON: ${message}`);
  });

  it('refuses a cycle', () => {
    const a: Record<string, unknown> = { x: [1] };
    (a.x as unknown[]).push(a);
    expect(() => canonicalJson(a)).toThrow('canonical JSON: $.x[1]: cycle: the value contains itself');
  });

  it('takes objects without a prototype', () => {
    const o = Object.create(null) as Record<string, number>;
    o.b = 1;
    o.a = 2;
    expect(canonicalJson(o)).toBe('{"a":2,"b":1}');
  });
});

describe('canonical event bytes', () => {
  it('are exactly the eight fields, sorted, in UTF-8', () => {
    const text = '{"created":"2026-01-01T00:00:00.000Z","data":{"a":{"b":"x","y":[3,{"c":null,"d":true}]},"z":1},"id":"e-1",'
      + '"metadata":{"previousHash":null},"position":17,"revision":3,"streamId":"subject-abc","type":"ProcessingRecorded"}';
    expect(canonicalEventJson(event)).toBe(text);
    expect(canonicalEventBytes(event)).toEqual(Buffer.from(text, 'utf8'));
    expect(canonicalEventJson({ ...event, extra: 'ignored' } as CanonicalEvent)).toBe(text);
  });

  it('hash to the RFC 9162 leaf hash of those bytes', () => {
    expect(eventLeafHash(event)).toEqual(leafHash(canonicalEventBytes(event)));
    const data = { note: 'Қазақ 😀' };
    expect(eventLeafHash({ ...event, data })).toEqual(leafHash(canonicalEventBytes({ ...event, data })));
  });

  it.each([
    [{ revision: -1 }, 'revision: expected a non-negative safe integer, got number -1'],
    [{ position: 1.5 }, 'position: expected a non-negative safe integer, got number 1.5'],
    [{ id: 7 }, 'id: expected a string, got number 7'],
    [{ created: new Date(0) }, 'created: expected a string, got object'],
    [{ data: [] }, 'data: expected a JSON object, got an array'],
    [{ metadata: null }, 'metadata: expected a JSON object, got null'],
    [{ data: { amount: Number.NaN } }, 'data.amount: NaN is not a JSON number'],
  ])('refuse a malformed event (%p)', (change, message) => {
    expect(() => canonicalEventJson({ ...event, ...change } as unknown as CanonicalEvent)).toThrow(`canonical JSON: ${message}`);
  });
});

describe('chain hash', () => {
  it('covers id, type, streamId, revision, data and metadata, prefixed by 0x02', () => {
    const text = '{"data":{"a":{"b":"x","y":[3,{"c":null,"d":true}]},"z":1},"id":"e-1","metadata":{"previousHash":null},'
      + '"revision":3,"streamId":"subject-abc","type":"ProcessingRecorded"}';
    expect(chainJson(event)).toBe(text);
    expect(chainHash(event)).toBe(createHash('sha256').update(Buffer.from([2])).update(text).digest('hex'));
  });

  it('hashes the UTF-8 bytes of that text, for Kazakh letters, escapes and an event larger than any before', () => {
    const datas: JsonObject[] = [{ note: 'Бұйрық № 328-Ө "тілі"\n', e: '\u{1F600}' }, { note: 'ж'.repeat(20_000) }, { note: 'small again' }];
    for (const data of datas) {
      const big = { ...event, data };
      expect(chainHash(big)).toBe(createHash('sha256').update(Buffer.from([2])).update(chainJson(big), 'utf8').digest('hex'));
      expect(chainHashOfUnstored(big)).toBe(chainHash(big));
    }
  });

  it('leaves out position and created, which the store assigns after the link is made', () => {
    expect(chainHash({ ...event, position: 99, created: '2030-01-01T00:00:00.000Z' } as CanonicalEvent)).toBe(chainHash(event));
  });

  it('changes with the previous hash, and with every covered field', () => {
    const before = chainHash(event);
    const changes: Array<Partial<CanonicalEvent>> = [
      { metadata: { previousHash: 'a'.repeat(64) } }, { id: 'e-2' }, { type: 'Other' }, { streamId: 'subject-abd' },
      { revision: 4 }, { data: { z: 2, a: { y: [3, { d: true, c: null }], b: 'x' } } },
    ];
    for (const change of changes) expect(chainHash({ ...event, ...change })).not.toBe(before);
  });
});

describe('canonicalJsonOfStored and chainHashOfUnstored', () => {
  class Actor {
    constructor(readonly id: string, readonly role: string, readonly unit?: string) {}
  }
  const values: unknown[] = [
    { b: 1, a: [1, undefined, () => 1, NaN, 'x'], c: undefined, d: new Actor('hr-17', 'hr'), e: null, f: { z: { y: [{}] } } },
    { when: new Date('2026-11-25T12:00:00.123Z'), text: 'қазақ "тілі"\n\u0001', n: -0, big: 1e21, small: 1e-7, inf: Infinity },
    [undefined, { a: undefined }, [], 'ж'],
    { fn: () => 1, sym: Symbol('s'), nested: new Actor('a', 'b', undefined) },
  ];

  it.each(values.map((v, i) => [i, v]))('equals canonicalJson of the JSON round trip (%i)', (_, value) => {
    expect(canonicalJsonOfStored(value)).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
  });

  it('gives the chain hash the stored event will have', () => {
    const data = { recordId: 'r1', actor: new Actor('hr-17', 'hr-specialist'), note: undefined, categories: [{ number: 1 }] };
    const metadata = { schemaVersion: 4, previousHash: null, extra: undefined };
    const event = { id: 'r1', type: 'ProcessingRecorded', streamId: 'subject-a', revision: 3, data, metadata };
    const stored = { ...event, data: JSON.parse(JSON.stringify(data)), metadata: JSON.parse(JSON.stringify(metadata)) };
    expect(chainHashOfUnstored(event)).toBe(chainHash(stored));
    expect(() => canonicalJson(data)).toThrow(CanonicalJsonError);
  });
});
