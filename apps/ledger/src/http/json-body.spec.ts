import { LedgerError } from '../ledger-errors';
import { MAX_JSON_DEPTH, parseJsonBody, refuseEncodings, shapeProblem } from './json-body';

const nested = (depth: number): unknown => (depth === 1 ? [] : [nested(depth - 1)]);

describe('shapeProblem', () => {
  it(`takes nesting up to ${MAX_JSON_DEPTH} levels and refuses one more, naming where`, () => {
    expect(shapeProblem({ a: nested(MAX_JSON_DEPTH - 1) })).toBeNull();
    expect(shapeProblem({ a: nested(MAX_JSON_DEPTH) })).toEqual({ field: `a${'[0]'.repeat(MAX_JSON_DEPTH - 1)}`, reason: `nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels` });
  });

  it('takes an object of 1,000 members and refuses one of 1,001', () => {
    const members = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(shapeProblem({ subject: members(1000) })).toBeNull();
    expect(shapeProblem({ subject: members(1001) })).toEqual({ field: 'subject', reason: 'has 1001 members; an object of this API has at most 1000' });
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(shapeProblem(deep)?.reason).toContain('deeper than');
  });

  it.each(['constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])('refuses a key %s wherever it is', (key) => {
    expect(shapeProblem({ subject: { iin: '1', [key]: 1 } })).toEqual({ field: `subject.${key}`, reason: 'is not a known field' });
  });

  it("names a batch record's index", () => {
    expect(shapeProblem({ records: [{}, { actor: { constructor: 'x' } }] })).toEqual({ field: 'records[1].actor.constructor', reason: 'is not a known field', index: 1 });
  });

  it('refuses a lone surrogate in a string or a key when asked to look, naming where; a pair is a character', () => {
    expect(shapeProblem({ note: 'abc\ud800def' }, true)).toEqual({ field: 'note', reason: expect.stringContaining('lone UTF-16 surrogate') });
    expect(shapeProblem({ records: [{}, { tags: ['ok', 'x\udc00'] }] }, true)).toEqual({ field: 'records[1].tags[1]', reason: expect.stringContaining('lone'), index: 1 });
    expect(shapeProblem({ ['k\ud83d']: 1 }, true)?.field).toBe('k\ud83d');
    expect(shapeProblem('\ud800', true)?.field).toBe('(body)');
    expect(shapeProblem({ note: 'Алма 😀 \ud83d\ude00' }, true)).toBeNull();
    expect(shapeProblem({ note: 'abc\ud800def' })).toBeNull();
  });

  it('takes ordinary bodies, keys that merely look alike included', () => {
    expect(shapeProblem({ records: [{ subject: { iin: '791028302728' }, categories: [1, 'x'], note: 'constructor' }], Constructor: 1, proto: 2 })).toBeNull();
    expect(shapeProblem(null)).toBeNull();
    expect(shapeProblem('text')).toBeNull();
  });
});

describe('parseJsonBody', () => {
  const refusal = (text: string) => {
    try {
      parseJsonBody(Buffer.from(text, 'utf8'));
    } catch (error) {
      expect(error).toBeInstanceOf(LedgerError);
      return (error as LedgerError).errors;
    }
    throw new Error(`${text} was taken`);
  };

  it('refuses a member given twice, naming where, though JSON.parse would keep the last', () => {
    expect(refusal('{"subject":{"iin":"791028302728","iin":"850315310016"}}')).toEqual([{ field: 'subject.iin', reason: 'is given twice in its object; each member once' }]);
    expect(refusal('{"records":[{"purpose":"P01"},{"purpose":"P01","\\u0070urpose":"P05"}]}')).toEqual([{ field: 'records[1].purpose', reason: expect.any(String), index: 1 }]);
  });

  it('names __proto__ and constructor as the unknown fields they are', () => {
    expect(refusal('{"a":1,"__proto__":{"admin":true}}')).toEqual([{ field: '__proto__', reason: 'is not a known field' }]);
    expect(refusal('{"records":[{"constructor":{"prototype":{}}}]}')).toEqual([{ field: 'records[0].constructor', reason: 'is not a known field', index: 0 }]);
  });

  it('says what is wrong with a body that is not JSON, without quoting it', () => {
    expect(refusal('')).toEqual([{ field: '(body)', reason: expect.stringContaining('is empty') }]);
    expect(refusal('{"a":')).toEqual([{ field: '(body)', reason: 'is not valid JSON: it ends before the value is complete' }]);
    expect(refusal('{"a":1,}')).toEqual([{ field: '(body)', reason: 'is not valid JSON at character 8' }]);
    const quoted = refusal('{"iin": x791028302728}');
    expect(quoted).toEqual([{ field: '(body)', reason: expect.stringMatching(/^is not valid JSON/) }]);
    expect(JSON.stringify(quoted)).not.toContain('7910');
  });

  it('refuses bytes that are not UTF-8 rather than store them as U+FFFD', () => {
    const body = Buffer.concat([Buffer.from('{"note":"caf', 'utf8'), Buffer.from([0xe9]), Buffer.from('"}', 'utf8')]);
    expect(() => parseJsonBody(body)).toThrow(LedgerError);
    try {
      parseJsonBody(body);
    } catch (error) {
      expect((error as LedgerError).errors).toEqual([{ field: '(body)', reason: 'is not valid UTF-8' }]);
    }
  });

  it('takes a body whose objects name each member once', () => {
    expect(parseJsonBody(Buffer.from('{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"a,\\"a\\":"}'))).toEqual({ a: { a: 1 }, b: [{ a: 1 }, { a: 2 }], c: 'a,"a":' });
  });
});

describe('refuseEncodings', () => {
  const refused = (headers: Record<string, string>) => {
    try {
      refuseEncodings(headers);
      return null;
    } catch (error) {
      expect(error).toBeInstanceOf(LedgerError);
      return (error as LedgerError).errors;
    }
  };

  it('takes no content coding, an empty one or identity in any case, and UTF-8 by either of its names', () => {
    for (const headers of [{}, { 'content-encoding': '' }, { 'content-encoding': 'identity' }, { 'content-encoding': ' Identity ' },
      { 'content-type': 'application/json' }, { 'content-type': 'application/json; charset=utf-8' }, { 'content-type': 'application/json;charset=UTF8' },
      { 'content-type': 'application/json; charset = "utf-8"' }] as Record<string, string>[]) {
      expect(refused(headers)).toBeNull();
    }
  });

  it('refuses any other coding or charset, naming the header', () => {
    expect(refused({ 'content-encoding': 'GZIP' })).toEqual([{ field: 'content-encoding', reason: '"gzip" is not taken: send the JSON as it is, with no content coding' }]);
    expect(refused({ 'content-encoding': 'br' })?.[0]?.field).toBe('content-encoding');
    expect(refused({ 'content-type': 'application/json; charset=latin1' })).toEqual([{ field: 'content-type', reason: 'charset "latin1" is not taken: JSON is UTF-8' }]);
    expect(refused({ 'content-type': 'application/json; charset = utf-16' })).toEqual([{ field: 'content-type', reason: 'charset "utf-16" is not taken: JSON is UTF-8' }]);
  });
});
