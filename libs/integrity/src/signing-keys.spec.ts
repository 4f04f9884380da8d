import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import fs, { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeContainsIin } from '@derbes/ledger';
import { loadOrCreateSigningKeys, newSigningKeyPair, rotate } from './signing-keys';
import { keyIdOf, signTreeHead, verifyTreeHead } from './tree-head';

describe('signing keys', () => {
  let base: string;
  let dir: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'signing-keys-'));
    dir = join(base, 'keys');
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('creates version 1 in a 0700 directory, as a 0600 file, and loads the same key again', () => {
    const created = loadOrCreateSigningKeys(dir, { now: new Date('2026-11-20T00:00:00Z') });
    expect(created.current.version).toBe(1);
    expect(created.current.keyId).toBe(keyIdOf(created.current.publicKey));
    expect(created.publicKeys).toEqual([{
      keyId: created.current.keyId, version: 1, publicKeyPem: created.current.publicKeyPem, createdAt: '2026-11-20T00:00:00.000Z',
    }]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['key-1.json']);
    expect(statSync(join(dir, 'key-1.json')).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(join(dir, 'key-1.json'), 'utf8')) as Record<string, unknown>;
    expect(file).toEqual({
      version: 1, keyId: created.current.keyId, createdAt: '2026-11-20T00:00:00.000Z',
      privateKeyPem: expect.stringContaining('-----BEGIN PRIVATE KEY-----'),
      publicKeyPem: expect.stringContaining('-----BEGIN PUBLIC KEY-----'),
    });
    const loaded = loadOrCreateSigningKeys(dir);
    expect(loaded.current.keyId).toBe(created.current.keyId);
    expect(loaded.all).toHaveLength(1);
  });

  it('rotates to version n + 1, which signs, while heads of older versions still verify', () => {
    const first = loadOrCreateSigningKeys(dir);
    const oldHead = signTreeHead({ treeSize: 1, rootHash: 'ab'.repeat(32) }, new Date(0), first.current);
    const rotated = rotate(dir, { now: new Date('2027-01-01T00:00:00Z') });
    expect(rotated.current.version).toBe(2);
    expect(rotated.current.keyId).not.toBe(first.current.keyId);
    expect(rotated.all.map((k) => k.version)).toEqual([1, 2]);
    expect(rotated.publicKeys.map((k) => k.version)).toEqual([1, 2]);
    expect(loadOrCreateSigningKeys(dir).current.version).toBe(2);
    const byId = new Map(rotated.publicKeys.map((k) => [k.keyId, k.publicKeyPem]));
    expect(verifyTreeHead(oldHead, byId.get(oldHead.keyId)!)).toBe(true);
    const newHead = signTreeHead({ treeSize: 2, rootHash: 'cd'.repeat(32) }, new Date(0), rotated.current);
    expect(verifyTreeHead(newHead, byId.get(newHead.keyId)!)).toBe(true);
    expect(rotate(dir).current.version).toBe(3);
    expect(readdirSync(dir).sort()).toEqual(['key-1.json', 'key-2.json', 'key-3.json']);
  });

  it('never makes a key whose id reads as an IIN (printed, it would be masked), and draws again instead', () => {
    // Found by drawing keys: its id holds 101119395691, twelve digits that pass the IIN checks.
    const unlucky = createPrivateKey({ key: Buffer.from('MC4CAQAwBQYDK2VwBCIEIGy3pkKv7uND8+cMejrbNxulXiOgoWYqSH98CyxIZmCn', 'base64'), format: 'der', type: 'pkcs8' });
    expect([keyIdOf(createPublicKey(unlucky)), codeContainsIin(keyIdOf(createPublicKey(unlucky)))]).toEqual(['0e2c101119395691', true]);
    const drawn = [{ privateKey: unlucky, publicKey: createPublicKey(unlucky) }, generateKeyPairSync('ed25519')];
    const next = drawn[1]!;
    const made = newSigningKeyPair(() => drawn.shift()!);
    expect(made).toBe(next);
    expect(drawn).toEqual([]);
  });

  it('tightens an existing directory that others may read', () => {
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    loadOrCreateSigningKeys(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('refuses a key file that others may read, or whose content does not match, naming it', () => {
    loadOrCreateSigningKeys(dir);
    const path = join(dir, 'key-1.json');
    chmodSync(path, 0o644);
    expect(() => loadOrCreateSigningKeys(dir)).toThrow(`signing key ${path}: readable by others than its owner`);
    chmodSync(path, 0o600);
    const file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const stranger = loadOrCreateSigningKeys(join(base, 'other')).current;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...file, version: 2 }, 'holds version 2, its name says 1'],
      [{ ...file, keyId: '0000000000000000' }, 'keyId 0000000000000000 is not'],
      [{ ...file, publicKeyPem: stranger.publicKeyPem }, 'does not belong to the public key'],
      [{ ...file, privateKeyPem: 'nonsense' }, 'unreadable key'],
    ];
    for (const [content, message] of cases) {
      writeFileSync(path, JSON.stringify(content), { mode: 0o600 });
      expect(() => loadOrCreateSigningKeys(dir)).toThrow(message);
    }
    writeFileSync(path, '{', { mode: 0o600 });
    expect(() => loadOrCreateSigningKeys(dir)).toThrow('not JSON');
  });

  it('ignores other files in the directory', () => {
    loadOrCreateSigningKeys(dir);
    writeFileSync(join(dir, 'README'), 'keys of the log', { mode: 0o600 });
    writeFileSync(join(dir, 'key-0.json'), '{}', { mode: 0o600 });
    expect(loadOrCreateSigningKeys(dir).all).toHaveLength(1);
  });

  it('leaves no temporary file behind when the disk refuses the key\'s bytes (full), and makes the key once there is room', () => {
    // writeFileSync writes every byte or throws (writeSync may write fewer and say so only in its count).
    jest.spyOn(fs, 'writeFileSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    try {
      expect(() => loadOrCreateSigningKeys(dir)).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    } finally {
      jest.restoreAllMocks();
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(loadOrCreateSigningKeys(dir).all).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(['key-1.json']);
  });
});
