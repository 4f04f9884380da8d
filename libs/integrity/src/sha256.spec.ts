import { createHash, randomBytes } from 'node:crypto';
import { sha256 } from './sha256';

describe('sha256', () => {
  const reference = (input: string | Uint8Array) => createHash('sha256').update(input).digest();

  it('gives the digest bytes for byte input of any length, every byte value included', () => {
    for (const length of [0, 1, 31, 32, 33, 55, 56, 64, 65, 1100, 70_000]) {
      const input = randomBytes(length);
      expect(sha256(input)).toEqual(reference(input));
    }
  });

  it('hashes a string as its UTF-8 bytes (Kazakh letters, emoji, the NUL prefix of a leaf)', () => {
    for (const text of ['', 'abc', '\u0000{"id":"x"}', 'Бұйрық № 328-Ө', '\u{1F600} ok']) {
      expect(sha256(text)).toEqual(reference(Buffer.from(text, 'utf8')));
    }
  });

  it('returns a Buffer of 32 bytes of its own (a later call does not change an earlier result)', () => {
    const first = sha256('first');
    const copy = Buffer.from(first);
    sha256('second');
    expect(first).toHaveLength(32);
    expect(Buffer.isBuffer(first)).toBe(true);
    expect(first).toEqual(copy);
  });
});
