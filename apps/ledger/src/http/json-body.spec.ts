import { MAX_JSON_DEPTH, shapeProblem } from './json-body';

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
