import { duplicateMemberName } from './duplicate-member';

describe('duplicateMemberName', () => {
  it('names a member name an object holds twice, at any depth, compared by value', () => {
    expect(duplicateMemberName('{"actor":{"id":"EVIL"},"actor":{"id":"a1"}}')).toBe('actor');
    expect(duplicateMemberName('{"a":[1,{"b":1, "b" :2}]}')).toBe('b');
    expect(duplicateMemberName('{"a":1,"\\u0061":2}')).toBe('a');
    expect(duplicateMemberName('{"x\\"y":1,"x\\"y":2}')).toBe('x"y');
  });

  it('finds none where each object names each member once', () => {
    for (const text of ['{}', '{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}', '{"a":"b","b":"a"}', '{"a":"x:\\"","b":["a","a"]}', '["a","a"]', '"a"']) {
      expect(duplicateMemberName(text)).toBeUndefined();
    }
  });
});
