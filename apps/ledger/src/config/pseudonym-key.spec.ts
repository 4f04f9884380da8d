import fs, { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDurably } from './durable-files';
import { resolvePseudonymKey } from './pseudonym-key';

/** What a write on a full disk throws. */
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });

/** The next writeFileSync as on a full disk: the file is there (opened, created), its bytes are refused. */
function fullDiskWrite(): void {
  const { openSync, closeSync } = jest.requireActual<typeof fs>('node:fs');
  jest.spyOn(fs, 'writeFileSync').mockImplementationOnce((target) => {
    if (typeof target === 'string') closeSync(openSync(target, 'w'));
    throw enospc();
  });
}

describe('the pseudonym key file on a full disk', () => {
  let dataDir: string;
  const warnings: string[] = [];
  const logger = { warn: (message: string) => void warnings.push(message) };
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'derbes-key-file-'));
    warnings.length = 0;
  });
  afterEach(() => jest.restoreAllMocks());

  it('leaves no key file when its write fails, so the next start makes the key whole', () => {
    fullDiskWrite();
    expect(() => resolvePseudonymKey(null, dataDir, logger)).toThrow('ENOSPC');
    expect(readdirSync(dataDir)).toEqual([]);

    const made = resolvePseudonymKey(null, dataDir, logger);
    expect(made.key).toHaveLength(32);
    expect(made.unconfirmed).toBe(join(dataDir, 'pseudonym.key.unconfirmed'));
    expect(readFileSync(made.unconfirmed!, 'utf8')).toBe(`${made.key.toString('hex')}\n`);
  });

  it('takes an unconfirmed key file an older build left short for absent: removed, a new key made, and says so', () => {
    const unconfirmed = join(dataDir, 'pseudonym.key.unconfirmed');
    for (const left of ['', 'ab'.repeat(20)]) {
      writeFileSync(unconfirmed, left, { mode: 0o600 });
      const made = resolvePseudonymKey(null, dataDir, logger);
      expect(made.key).toHaveLength(32);
      expect(made.unconfirmed).toBe(unconfirmed);
      expect(readFileSync(unconfirmed, 'utf8')).toBe(`${made.key.toString('hex')}\n`);
      expect(warnings.splice(0)).toEqual([
        `${unconfirmed} holds ${left.length / 2} of a key's 32 bytes (a start stopped while writing it, before anything was filed under it): removed, a new key is made`,
        `created a new pseudonym key in ${join(dataDir, 'pseudonym.key')}: back it up, or set DERBES_PSEUDONYM_KEY`,
      ]);
      rmSync(unconfirmed);
    }
  });

  it('still takes a whole unconfirmed key (its check value may be in the log), and still refuses a short confirmed one', () => {
    const whole = 'c3'.repeat(32);
    writeFileSync(join(dataDir, 'pseudonym.key.unconfirmed'), `${whole}\n`, { mode: 0o600 });
    expect(resolvePseudonymKey(null, dataDir, logger).key.toString('hex')).toBe(whole);
    writeFileSync(join(dataDir, 'pseudonym.key'), '', { mode: 0o600 });
    expect(() => resolvePseudonymKey(null, dataDir, logger)).toThrow(`${join(dataDir, 'pseudonym.key')}: the pseudonym key must be at least 32 bytes of hex`);
    expect(warnings).toEqual([]);
  });
});

describe('writeDurably', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'derbes-durable-'));
  });
  afterEach(() => jest.restoreAllMocks());

  it('removes the file it created when the write or its fsync fails', () => {
    fullDiskWrite();
    expect(() => writeDurably(join(dir, 'new'), 'text\n', 'wx')).toThrow('ENOSPC');
    jest.spyOn(fs, 'fsyncSync').mockImplementationOnce(() => { throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }); });
    expect(() => writeDurably(join(dir, 'other'), 'text\n')).toThrow('EIO');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never removes a file it did not create: one already there with wx, one it was replacing', () => {
    writeFileSync(join(dir, 'kept'), 'before\n');
    expect(() => writeDurably(join(dir, 'kept'), 'after\n', 'wx')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(join(dir, 'kept'), 'utf8')).toBe('before\n');
    fullDiskWrite();
    expect(() => writeDurably(join(dir, 'kept'), 'after\n')).toThrow('ENOSPC');
    expect(readdirSync(dir)).toEqual(['kept']);
  });

  it('writes the file whole, owner-only', () => {
    writeDurably(join(dir, 'new'), 'text\n', 'wx');
    expect(readFileSync(join(dir, 'new'), 'utf8')).toBe('text\n');
    expect(statSync(join(dir, 'new')).mode & 0o777).toBe(0o600);
  });
});
