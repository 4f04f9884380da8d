import { hash } from 'node:crypto';

const BLOCK = 64;

/**
 * HMAC-SHA-256 (RFC 2104) under one key, of UTF-8 text: the same as `createHmac('sha256', key).update(text, 'utf8')`,
 * in two one-shot `crypto.hash` calls over buffers kept for the key. Every record takes two (its subject's pseudonym,
 * its fingerprint); createHmac costs about 2.9 µs a call on Node 20, this about 1.3-1.5.
 */
export class HmacSha256 {
  /** K xor ipad, then room for the message. */
  private inner: Buffer;
  /** K xor opad, then the inner digest. */
  private readonly outer = Buffer.alloc(BLOCK + 32);

  constructor(key: Uint8Array) {
    const k = Buffer.alloc(BLOCK);
    if (key.length > BLOCK) k.set(Buffer.from(hash('sha256', key, 'binary'), 'binary'));
    else k.set(key);
    this.inner = Buffer.alloc(BLOCK + 256);
    for (let i = 0; i < BLOCK; i++) {
      this.inner[i] = k[i]! ^ 0x36;
      this.outer[i] = k[i]! ^ 0x5c;
    }
    k.fill(0); // only the padded forms are kept
  }

  /** The MAC of `text`'s UTF-8 bytes, as lowercase hex. */
  hex(text: string): string {
    return hash('sha256', this.outerInput(text), 'hex');
  }

  /** The MAC of `text`'s UTF-8 bytes. */
  bytes(text: string): Buffer {
    return Buffer.from(hash('sha256', this.outerInput(text), 'binary'), 'binary');
  }

  private outerInput(text: string): Buffer {
    // UTF-8 takes at most 3 bytes per UTF-16 unit, so the message always fits once the buffer is this long.
    if (this.inner.length < BLOCK + 3 * text.length) {
      const grown = Buffer.alloc(BLOCK + 3 * text.length);
      this.inner.copy(grown, 0, 0, BLOCK);
      this.inner = grown;
    }
    const n = this.inner.write(text, BLOCK, 'utf8');
    this.outer.write(hash('sha256', this.inner.subarray(0, BLOCK + n), 'binary'), BLOCK, 'binary');
    // The text is an IIN for a pseudonym: it is not left behind in a buffer that lives as long as the key.
    this.inner.fill(0, BLOCK, BLOCK + n);
    return this.outer;
  }
}
