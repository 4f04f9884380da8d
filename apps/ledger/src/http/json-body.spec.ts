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

  it('takes ordinary bodies, keys that merely look alike included', () => {
    expect(shapeProblem({ records: [{ subject: { iin: '791028302728' }, categories: [1, 'x'], note: 'constructor' }], Constructor: 1, proto: 2 })).toBeNull();
    expect(shapeProblem(null)).toBeNull();
    expect(shapeProblem('text')).toBeNull();
  });
});
