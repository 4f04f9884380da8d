import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { canonicalJson } from '@derbes/canonical-json';
import { keyIdOf, rawPublicKey, signTreeHead, signedTreeHeadOf, treeHeadSignedBytes, verifyTreeHead, type SignedTreeHead } from './tree-head';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const signer = { keyId: keyIdOf(publicKey), privateKey };
const root = createHash('sha256').update('root').digest();
const at = new Date('2026-11-20T09:30:01.5Z');

describe('signed tree heads', () => {
  it('sign the canonical JSON of size, root, time and key id, and verify', () => {
    const head = signTreeHead({ treeSize: 12, rootHash: root }, at, signer);
    expect(head).toEqual({
      treeSize: 12, rootHash: root.toString('hex'), timestamp: '2026-11-20T09:30:01.500Z', keyId: signer.keyId,
      signature: expect.stringMatching(/^[0-9a-f]{128}$/),
    });
    expect(treeHeadSignedBytes(head).toString()).toBe(
      `{"keyId":"${signer.keyId}","rootHash":"${root.toString('hex')}","timestamp":"2026-11-20T09:30:01.500Z","treeSize":12}`);
    expect(verifyTreeHead(head, publicKey)).toBe(true);
    expect(verifyTreeHead(head, publicKey.export({ format: 'pem', type: 'spki' }) as string)).toBe(true);
    expect(signTreeHead({ treeSize: 12, rootHash: root.toString('hex') }, at, signer)).toEqual(head);
  });

  it('name the key by the first 16 hex digits of SHA-256 of its raw 32 bytes', () => {
    const raw = rawPublicKey(publicKey);
    expect(raw).toHaveLength(32);
    expect(raw).toEqual((publicKey.export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32));
    expect(keyIdOf(publicKey)).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 16));
  });

  it('fail for any changed field, another key, or a malformed head', () => {
    const head = signTreeHead({ treeSize: 12, rootHash: root }, at, signer);
    const changed: Array<Partial<SignedTreeHead>> = [
      { treeSize: 13 }, { rootHash: createHash('sha256').update('other').digest('hex') },
      { timestamp: '2026-11-20T09:30:01.501Z' }, { keyId: keyIdOf(other.publicKey) },
      { signature: head.signature.replace(/^./, (c) => (c === '0' ? '1' : '0')) },
      { treeSize: -1 }, { treeSize: 1.5 }, { rootHash: root.toString('hex').toUpperCase() }, { timestamp: '2026-11-20T09:30:01Z' },
      { timestamp: '2026-02-30T00:00:00.000Z' }, { keyId: 'short' }, { signature: 'abc' },
    ];
    for (const change of changed) expect(verifyTreeHead({ ...head, ...change }, publicKey)).toBe(false);
    expect(verifyTreeHead(head, other.publicKey)).toBe(false);
    // The other key's own signature over the same head, still naming the first key: refused by its key id.
    const forged = signTreeHead({ treeSize: 12, rootHash: root }, at, { keyId: signer.keyId, privateKey: other.privateKey });
    expect(verifyTreeHead(forged, publicKey)).toBe(false);
    expect(verifyTreeHead(forged, other.publicKey)).toBe(false);
  });

  // Hex decoding reads uppercase digits alike and stops at the first that is not one: each of these holds the valid bytes.
  it('fail for the valid signature written in uppercase or padded', () => {
    const head = signTreeHead({ treeSize: 12, rootHash: root }, at, signer);
    for (const signature of [head.signature.toUpperCase(), `${head.signature}0`, `${head.signature}00`, `${head.signature}zz`]) {
      expect(verifyTreeHead({ ...head, signature }, publicKey)).toBe(false);
      expect(() => signedTreeHeadOf({ ...head, signature })).toThrow('signature is not 128 lowercase hex digits');
    }
  });

  // Date.parse reads 30 February as 2 March: the head names no instant, though its own key signed it.
  it('fail for a head signed over a timestamp that is no real instant', () => {
    const head = { treeSize: 12, rootHash: root.toString('hex'), timestamp: '2026-02-30T00:00:00.000Z', keyId: signer.keyId };
    const signature = sign(null, Buffer.from(canonicalJson(head), 'utf8'), privateKey).toString('hex');
    expect(verifyTreeHead({ ...head, signature }, publicKey)).toBe(false);
    expect(() => signedTreeHeadOf({ ...head, signature })).toThrow('timestamp "2026-02-30T00:00:00.000Z" is not an ISO 8601 UTC instant');
  });

  it('refuse to sign a malformed head and keys other than Ed25519', () => {
    expect(() => signTreeHead({ treeSize: -1, rootHash: root }, at, signer)).toThrow('treeSize -1');
    expect(() => signTreeHead({ treeSize: 1, rootHash: 'zz' }, at, signer)).toThrow('rootHash');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => keyIdOf(ec.publicKey)).toThrow('Ed25519');
  });
});
