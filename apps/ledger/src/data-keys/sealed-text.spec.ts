import { randomBytes } from 'node:crypto';
import { SealedTextError, seal, sealedKeyVersion, unseal } from './sealed-text';

const key = { version: 3, key: randomBytes(32) };
const SUBJECT = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

describe('sealed text', () => {
  it('seals to a string in the documented format and opens with the same key, subject and field', () => {
    const sealed = seal(key, SUBJECT, 'note', 'competition file, Қазақстан');
    expect(sealed).toMatch(/^sealed:v1:3:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('competition');
    expect(sealedKeyVersion(sealed)).toBe(3);
    expect(unseal(key.key, SUBJECT, 'note', sealed)).toBe('competition file, Қазақстан');
  });

  it('never seals the same text the same way twice (a random IV each time)', () => {
    expect(seal(key, SUBJECT, 'note', 'same')).not.toBe(seal(key, SUBJECT, 'note', 'same'));
    expect(unseal(key.key, SUBJECT, 'note', seal(key, SUBJECT, 'note', ''))).toBe('');
  });

  it('uses a fresh IV for every seal, across refills of the pool the IVs are drawn from', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const sealed = seal(key, SUBJECT, 'note', 'x');
      ivs.add(Buffer.from(sealed.split(':')[3] as string, 'base64url').subarray(0, 12).toString('hex'));
      if (i % 997 === 0) expect(unseal(key.key, SUBJECT, 'note', sealed)).toBe('x');
    }
    expect(ivs.size).toBe(10_000);
  });

  it('does not open for another subject or another field (the AAD binds both)', () => {
    const sealed = seal(key, SUBJECT, 'recipient.name', 'Aigerim Bekova');
    expect(() => unseal(key.key, OTHER, 'recipient.name', sealed)).toThrow(SealedTextError);
    expect(() => unseal(key.key, SUBJECT, 'note', sealed)).toThrow(SealedTextError);
  });

  it('does not open with another key, nor under another key version', () => {
    const sealed = seal(key, SUBJECT, 'note', 'x');
    expect(() => unseal(randomBytes(32), SUBJECT, 'note', sealed)).toThrow(SealedTextError);
    expect(() => unseal(key.key, SUBJECT, 'note', sealed.replace('sealed:v1:3:', 'sealed:v1:4:'))).toThrow(SealedTextError);
  });

  it('refuses a tampered ciphertext, IV or tag', () => {
    const sealed = seal(key, SUBJECT, 'note', 'a note long enough to flip a byte of');
    const body = Buffer.from(sealed.split(':')[3] as string, 'base64url');
    for (const at of [0, 12, body.length - 1]) {
      const flipped = Buffer.from(body);
      flipped[at] = (flipped[at] as number) ^ 1;
      expect(() => unseal(key.key, SUBJECT, 'note', `sealed:v1:3:${flipped.toString('base64url')}`)).toThrow(SealedTextError);
    }
    expect(() => unseal(key.key, SUBJECT, 'note', `sealed:v1:3:${body.subarray(0, 20).toString('base64url')}`)).toThrow(SealedTextError);
  });

  it('tells plain text from sealed text by the format, not just the prefix', () => {
    for (const plain of ['competition file', 'sealed: but not really', 'sealed:v1:0:AAAA', 'sealed:v2:1:AAAA', 'sealed:v1:1:not base64!']) {
      expect(sealedKeyVersion(plain)).toBeNull();
    }
    expect(() => unseal(key.key, SUBJECT, 'note', 'competition file')).toThrow(SealedTextError);
  });
});
