import { LedgerError } from '../ledger-errors';
import { MAX_JSON_DEPTH, parseJsonBody, shapeProblem } from './json-body';

const nested = (depth: number): unknown => (depth === 1 ? [] : [nested(depth - 1)]);

describe('shapeProblem', () => {
  it(`takes nesting up to ${MAX_JSON_DEPTH} levels and refuses one more, naming where`, () => {
    expect(shapeProblem({ a: nested(MAX_JSON_DEPTH - 1) })).toBeNull();
    expect(shapeProblem({ a: nested(MAX_JSON_DEPTH) })).toEqual({ field: `a${'[0]'.repeat(MAX_JSON_DEPTH - 1)}`, reason: `nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels` });
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

  it('takes a body whose objects name each member once', () => {
    expect(parseJsonBody(Buffer.from('{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"a,\\"a\\":"}'))).toEqual({ a: { a: 1 }, b: [{ a: 1 }, { a: 2 }], c: 'a,"a":' });
  });
});
