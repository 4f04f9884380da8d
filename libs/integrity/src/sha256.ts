import { hash } from 'node:crypto';

/**
 * SHA-256 of `input` (a string is hashed as its UTF-8 bytes) as 32 bytes. The same as `crypto.hash('sha256', input,
 * 'buffer')`, which on Node 20 costs about 1 µs a call more than the digest as a 'binary' (latin1) string with a
 * Buffer made from it (measured: 1,430 ns against 480 for 65 bytes), and a Merkle tree hashes once per leaf and once
 * per node. Each character of that string is one byte of the digest, so the Buffer is exactly the digest.
 */
export function sha256(input: string | Uint8Array): Buffer {
  return Buffer.from(hash('sha256', input, 'binary'), 'binary');
}
