import { duplicateMember, duplicateMemberName, duplicateMemberOf } from './duplicate-member';

describe('duplicateMemberName', () => {
  it('names a member name an object holds twice, at any depth, compared by value', () => {
    expect(duplicateMemberName('{"actor":{"id":"EVIL"},"actor":{"id":"a1"}}')).toBe('actor');
    expect(duplicateMemberName('{"a":[1,{"b":1, "b" :2}]}')).toBe('b');
    expect(duplicateMemberName('{"a":1,"\\u0061":2}')).toBe('a');
    expect(duplicateMemberName('{"x\\"y":1,"x\\"y":2}')).toBe('x"y');
  });

  it('finds it whatever JSON whitespace stands between a name and its colon', () => {
    // JSON.parse takes any run of space, tab, CR and LF there: each must not hide the second member.
    expect(duplicateMemberName('{"iin"\n:"1","iin"\n:"2"}')).toBe('iin');
    expect(duplicateMemberName('{"iin"\t:"1","iin"\r\n:"2"}')).toBe('iin');
    expect(duplicateMemberName('{"iin"  :"1","iin" \t\r\n :"2"}')).toBe('iin');
  });

  it('is not thrown off by brackets, braces, commas or colons inside a string value', () => {
    expect(duplicateMemberName('{"note":"a}b","note":"x"}')).toBe('note');
    expect(duplicateMemberName('{"note":"]","note":"x"}')).toBe('note');
    expect(duplicateMemberName('{"a":{"note":"{","b":1},"b":2,"b":3}')).toBe('b');
  });

  it('finds none where each object names each member once', () => {
    for (const text of ['{}', '{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}', '{"a":"b","b":"a"}', '{"a":"x:\\"","b":["a","a"]}', '["a","a"]', '"a"']) {
      expect(duplicateMemberName(text)).toBeUndefined();
    }
  });
});

describe('duplicateMember', () => {
  it('says where the second member is, counting array items past commas inside strings and nested values', () => {
    expect(duplicateMember('{"subject":{"iin":"1","iin":"2"}}')).toEqual({ name: 'iin', path: 'subject.iin' });
    expect(duplicateMember('{"purpose":"P01","purpose":"P02"}')).toEqual({ name: 'purpose', path: 'purpose' });
    expect(duplicateMember('{"records":[{"a":"x,y","n":[1,2]},{"b":{"c":[{},{}]}}, {"s":{"i":1, "i":2}}]}'))
      .toEqual({ name: 'i', path: 'records[2].s.i' });
    expect(duplicateMember('[[1,2],{"k":1,"k":2}]')).toEqual({ name: 'k', path: '[1].k' });
    // A string item holding a comma is one item.
    expect(duplicateMember('{"a":["x,y",{"k":1,"k":2}]}')).toEqual({ name: 'k', path: 'a[1].k' });
  });
});

describe('duplicateMemberOf', () => {
  const texts = [
    // each name once
    '{}', '[]', '"a"', '1', 'null', '{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}', '{"a":"b","b":"a"}', '{"a":"x:\\"","b":["a","a"]}',
    '["a","a"]', '{"a:b":":","c":"::\\\\","d":"\\\\\\":"}', '{"a" : 1 , "b"\n:\t[ { "c" : ":" } ]}', '{"__proto__":1,"constructor":2}',
    // a name twice, anywhere
    '{"actor":{"id":"EVIL"},"actor":{"id":"a1"}}', '{"a":[1,{"b":1, "b" :2}]}', '{"a":1,"\\u0061":2}', '{"x\\"y":1,"x\\"y":2}',
    '{"note":"a}b:c","note":"x"}', '{"a":{"note":"{","b":1},"b":2,"b":3}', '{"records":[{"a":"x,y","n":[1,2]},{"b":{"c":[{},{}]}}, {"s":{"i":1, "i":2}}]}',
    '[[1,2],{"k":1,"k":2}]', '{"a":"\\\\","a":"\\\\\\""}', '{"a":{"b":1,"b":2},"c":{"d":1}}', '{"1":1,"1":2,"0":3}', '{"__proto__":1,"__proto__":2}',
  ];

  it('gives what duplicateMember gives for the text JSON.parse made the value from', () => {
    for (const text of texts) expect({ text, found: duplicateMemberOf(text, JSON.parse(text)) }).toEqual({ text, found: duplicateMember(text) });
  });

  it('finds a repeated name even when another object of the text has more members than it seems', () => {
    // Colons and braces inside strings are not members: they must not make up for the member JSON.parse dropped.
    expect(duplicateMemberOf('{"a":"x:y","a":"{\\"b\\":1}"}', { a: '{"b":1}' })).toEqual({ name: 'a', path: 'a' });
    expect(duplicateMemberOf('{"k":1,"k":2,"s":"\\\\\\":"}', JSON.parse('{"k":1,"k":2,"s":"\\\\\\":"}'))).toEqual({ name: 'k', path: 'k' });
  });
});
