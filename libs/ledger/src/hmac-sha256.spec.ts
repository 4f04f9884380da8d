import { createHmac, randomBytes } from 'node:crypto';
import { HmacSha256 } from './hmac-sha256';

describe('HmacSha256', () => {
  const texts = ['', '791028302728', 'derbes derived key: links', 'Бұйрық № 328-Ө', '\u{1F600}', 'lone \ud800 surrogate', 'x'.repeat(5000)];

  it.each([1, 32, 63, 64, 65, 200])('equals createHmac for a key of %i bytes, whatever the text', (length) => {
    const key = randomBytes(length);
    const mac = new HmacSha256(key);
    for (const text of texts) {
      expect(mac.hex(text)).toBe(createHmac('sha256', key).update(text, 'utf8').digest('hex'));
      expect(mac.bytes(text)).toEqual(createHmac('sha256', key).update(text, 'utf8').digest());
    }
  });

  it('does not keep the text in its buffers after the call (an IIN stays no longer than its own string)', () => {
    const mac = new HmacSha256(randomBytes(32));
    mac.hex('791028302728');
    const held = Object.values(mac).filter(Buffer.isBuffer) as Buffer[];
    expect(held.length).toBeGreaterThan(0);
    for (const buffer of held) expect(buffer.includes('791028302728')).toBe(false);
  });

  it('gives each call its own answer when a long text comes between short ones (the buffer grows, the key stays)', () => {
    const key = randomBytes(32);
    const mac = new HmacSha256(key);
    const before = mac.bytes('a');
    mac.hex('y'.repeat(10_000));
    expect(mac.hex('a')).toBe(createHmac('sha256', key).update('a').digest('hex'));
    expect(before).toEqual(createHmac('sha256', key).update('a').digest());
  });
});
