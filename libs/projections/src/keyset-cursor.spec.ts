import { KeysetCursor } from './keyset-cursor';

describe('KeysetCursor', () => {
  const history = new KeysetCursor('h1');
  const violations = new KeysetCursor('v1', true);

  it('round-trips a key, with its sequence where the listing has one', () => {
    const key = { occurredAt: '2026-03-10T08:00:00.000Z', position: 42 };
    expect(history.decode(history.encode(key))).toEqual(key);
    expect(violations.decode(violations.encode({ ...key, seq: 3 }))).toEqual({ ...key, seq: 3 });
  });

  it("refuses another listing's cursor, a cursor it did not make and malformed text", () => {
    const key = { occurredAt: '2026-03-10T08:00:00.000Z', position: 42 };
    expect(new KeysetCursor('t1').decode(history.encode(key))).toBeNull();
    expect(violations.decode(history.encode(key))).toBeNull();
    expect(history.decode(Buffer.from('h1|yesterday|4').toString('base64url'))).toBeNull();
    expect(history.decode('not a cursor!')).toBeNull();
    expect(history.decode('x'.repeat(201))).toBeNull();
  });
});
