import fs, { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson, hashStoredEvent, loadOrCreateSigningKeys, loadPublicKeys, merkleRoot, signTreeHead, type StoredEventText } from '@derbes/integrity';
import { runVerify } from '../apps/cli/src/verify.command';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';
import { readVerificationRecord } from '../apps/ledger/src/integrity/verification-record';
import { childEnv, runCli } from './support/child-server';
import { IIN, OTHER_IIN, aRecord, startTestApp } from './support/test-app';

/**
 * A ledger directory on a file store: records of two subjects, a head signed by the server, more records, a second
 * head, and a few records after it. Each case tampers a copy of it with SQL and runs `derbes verify` on it.
 */
describe('derbes verify', () => {
  const root = mkdtempSync(join(tmpdir(), 'derbes-verify-'));
  const ledger = join(root, 'ledger');
  let heads: Array<{ treeSize: number; position: number }> = [];
  let copies = 0;

  beforeAll(async () => {
    const t = await startTestApp({ DERBES_EVENT_STORE: join(ledger, 'events.db'), DERBES_DATA_DIR: ledger });
    try {
      const record = (i: number) => aRecord({ subject: { iin: i % 2 ? OTHER_IIN : IIN }, operation: 'access', source: undefined, note: `visit ${i}` });
      for (let i = 0; i < 6; i++) await t.http.post('/v1/processing-records').send(record(i)).expect(201);
      const first = (await t.http.post('/v1/integrity/tree-heads').send({}).expect(201)).body;
      await t.http.post('/v1/processing-records/batch').send({ records: [6, 7, 8, 9].map(record) }).expect(201);
      const second = (await t.http.post('/v1/integrity/tree-heads').send({}).expect(201)).body;
      for (let i = 10; i < 13; i++) await t.http.post('/v1/processing-records').send(record(i)).expect(201);
      heads = [first, second];
    } finally {
      await t.close();
    }
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** A copy of the ledger, its store opened for tampering. */
  function copy(): { dir: string; db: Database.Database; env: NodeJS.ProcessEnv } {
    const dir = join(root, `case-${++copies}`);
    cpSync(ledger, dir, { recursive: true });
    return { dir, db: new Database(join(dir, 'events.db')), env: childEnv(dir, { DERBES_EVENT_STORE: join(dir, 'events.db') }) };
  }
  const positions = (db: Database.Database, where: string) => db.prepare<[], number>(`SELECT e.position FROM events e JOIN streams s ON s.id = e.stream WHERE ${where} ORDER BY e.position`).pluck().all();
  const subjectEvents = (db: Database.Database) => positions(db, "s.name LIKE 'subject-%'");
  /** The highlighted first finding: `>> <kind>: <message>`. */
  const firstFinding = (stdout: string) => /^ {2}>> (.*)$/m.exec(stdout)?.[1] ?? `(none in:\n${stdout})`;

  /** Appends a TreeHeadSigned event to the copy's log, as the server would (the streams table kept in step). */
  function appendHead(db: Database.Database, data: object): number {
    const stream = db.prepare<[], { id: number; revision: number }>("SELECT id, revision FROM streams WHERE name = 'integrity-tree-heads'").get()!;
    const position = Number(db.prepare('INSERT INTO events(event_id, stream, revision, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      `f0000000-0000-4000-8000-${String(copies).padStart(12, '0')}`, stream.id, stream.revision + 1, 'TreeHeadSigned', JSON.stringify(data),
      JSON.stringify({ schemaVersion: 1 }), new Date().toISOString()).lastInsertRowid);
    db.prepare('UPDATE streams SET revision = revision + 1 WHERE id = ?').run(stream.id);
    return position;
  }

  /**
   * Rewrites the copy's log as the holder of the ledger's signing key could: the event at `position` changed by the
   * SQL expression `change` of its data, the chain of its stream linked again after it, every head signed again (same
   * size and time) over the new log. The server's tree in read-models.db is left as it was.
   */
  function rewriteHistory(dir: string, db: Database.Database, position: number, change: string): void {
    db.prepare(`UPDATE events SET data = ${change} WHERE position = ?`).run(position);
    const log = () => db.prepare<[], StoredEventText>(`SELECT e.position, e.event_id AS id, e.type, s.name AS streamId, e.revision, e.data, e.metadata, e.created
      FROM events e JOIN streams s ON s.id = e.stream ORDER BY e.position`).all();
    const changed = log().find((e) => e.position === position)!;
    let previousHash = hashStoredEvent(changed).chainHash;
    for (const event of log().filter((e) => e.streamId === changed.streamId && e.position > position)) {
      const metadata = canonicalJson({ ...JSON.parse(event.metadata), previousHash });
      db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(metadata, event.position);
      previousHash = hashStoredEvent({ ...event, metadata }).chainHash;
    }
    const signer = loadOrCreateSigningKeys(join(dir, 'integrity-keys')).current;
    for (const { position: at } of heads) {
      const old = readHead(db, at);
      const rootHash = merkleRoot(log().slice(0, old.treeSize).map((e) => Buffer.from(hashStoredEvent(e).leafHash)));
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(canonicalJson({ ...signTreeHead({ treeSize: old.treeSize, rootHash }, new Date(old.timestamp), signer) }), at);
    }
  }

  it('passes the ledger as written, naming its events, chains and latest head', async () => {
    const { db, env } = copy();
    db.close();
    const { code, stdout } = await runCli(['verify'], env);
    expect(stdout).toContain('OK: the log agrees with every signed tree head and every chain');
    expect(stdout).toMatch(/2 subjects' chains, .* 2 signed tree heads \(1 public key\), leaves compared with the server's tree/);
    expect(stdout).toContain(`latest head: size ${heads[1]!.treeSize} at position ${heads[1]!.position}`);
    expect(code).toBe(0);
    // The stored text hashed as it is agreed with every head: one pass.
    expect(stdout).not.toContain('checked twice');
    // Kept for the console's integrity page.
    expect(readVerificationRecord(env.DERBES_DATA_DIR as string)).toMatchObject({ ok: true, events: expect.any(Number), headsChecked: 2, firstDisagreement: null });
  }, 60_000);

  it('prints its verdict before keeping it; a disk that refuses the record (full) is said on a line of its own, the verdict and its exit status stand', async () => {
    const { dir, db, env } = copy();
    const target = subjectEvents(db).find((p) => p <= heads[0]!.treeSize)!;
    const config = loadConfig(env);
    const verify = async () => {
      const said: string[] = [];
      const ok = await runVerify(config, {}, (line) => void said.push(line), (line) => void said.push(`stderr: ${line}`));
      return { ok, said };
    };
    const fullDisk = () => jest.spyOn(fs, 'writeFileSync').mockImplementation((file) => {
      fs.closeSync(fs.openSync(file as string, 'w')); // created, then its bytes refused
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    const refused = `stderr: derbes: the result above stands, but it could not be kept for the console's integrity page (${join(dir, 'last-verification.json')}), `
      + 'which still shows the run before: ENOSPC: no space left on device, write';
    let kept = '';
    try {
      db.close();
      const passed = await verify();
      expect(readVerificationRecord(dir)).toMatchObject({ ok: true });
      kept = readFileSync(join(dir, 'last-verification.json'), 'utf8');
      expect(statSync(join(dir, 'last-verification.json')).mode & 0o777).toBe(0o600);

      fullDisk();
      const again = await verify();
      expect(again.ok).toBe(true);
      // The verdict's lines as a run with room prints them (each in its place), then the refusal.
      expect(again.said).toHaveLength(passed.said.length + 1);
      expect(again.said.at(-1)).toBe(refused);
      expect(again.said.slice(0, -1).join('\n')).toContain('OK: the log agrees with every signed tree head and every chain');
      jest.restoreAllMocks();

      const altered = new Database(join(dir, 'events.db'));
      altered.prepare("UPDATE events SET data = json_set(data, '$.purpose.code', 'P12') WHERE position = ?").run(target);
      altered.close();
      fullDisk();
      const failed = await verify();
      expect(failed.ok).toBe(false);
      expect(failed.said.at(-1)).toBe(refused);
      expect(firstFinding(failed.said.join('\n'))).toMatch(/^root-mismatch: /);
    } finally {
      jest.restoreAllMocks();
    }
    // The record of the run before is kept as it was, and nothing half written lies beside it.
    expect(readFileSync(join(dir, 'last-verification.json'), 'utf8')).toBe(kept);
    expect(readdirSync(dir).filter((name) => name.startsWith('last-verification'))).toEqual(['last-verification.json']);
  }, 60_000);

  it('refuses a signing key file others may read, as the server does, naming it and the fix, with exit 1 and no verification recorded', async () => {
    const { dir, db, env } = copy();
    db.close();
    const key = join(dir, 'integrity-keys', 'key-1.json');
    // Only the public half is read, but the file holds the private key: open to the group is refused all the same.
    chmodSync(key, 0o640);
    const { code, stdout, stderr } = await runCli(['verify'], env);
    expect([code, stdout, stderr]).toEqual([1, '', `derbes: signing key ${key}: readable by others than its owner; chmod 600 it\n`]);
    expect(readVerificationRecord(dir)).toBeNull();
    chmodSync(key, 0o600);
    expect((await runCli(['verify'], env)).code).toBe(0);
  }, 60_000);

  it('passes a ledger whose stored text means the same but is not canonical (as written before canonical storage), checking it twice', async () => {
    const { db, env } = copy();
    // An event the first head covers, its members written in reverse order, as JSON.stringify of another object would.
    const target = subjectEvents(db).find((p) => p <= heads[0]!.treeSize)!;
    const reverse = (value: unknown): unknown => (value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverse(v)])) : value);
    const stored = db.prepare<[number], string>('SELECT data FROM events WHERE position = ?').pluck().get(target)!;
    const respelled = JSON.stringify(reverse(JSON.parse(stored)));
    expect(respelled).not.toBe(stored);
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(respelled, target);
    db.close();
    const { code, stdout } = await runCli(['verify'], env);
    expect(stdout).toContain('checked twice');
    expect(stdout).toContain('OK: the log agrees with every signed tree head and every chain');
    expect(code).toBe(0);
  }, 60_000);

  it('names an event whose data was altered, by its position', async () => {
    const { db, env } = copy();
    const target = subjectEvents(db).find((p) => p > heads[0]!.treeSize && p <= heads[1]!.treeSize)!;
    db.prepare("UPDATE events SET data = json_set(data, '$.purpose.code', 'P12') WHERE position = ?").run(target);
    db.close();
    const { code, stdout } = await runCli(['verify'], env);
    expect(firstFinding(stdout)).toMatch(new RegExp(`^root-mismatch: .*the event at position ${target} differs from the one the server added`));
    expect(stdout).toMatch(new RegExp(`chain-break: subject-[0-9a-f]{64} revision \\d+ .*this event's link was altered, or the event at position ${target} was`));
    // The findings are the second pass's, which proved each event's form.
    expect(stdout).toContain('checked twice');
    expect(code).toBe(1);
    expect(readVerificationRecord(env.DERBES_DATA_DIR as string)).toMatchObject({ ok: false, firstDisagreement: { position: target, kind: 'root-mismatch' } });
  }, 60_000);

  it('names an event whose data was stored back as a blob, even with its bytes unchanged', async () => {
    const { db, env } = copy();
    const target = subjectEvents(db).find((p) => p <= heads[0]!.treeSize)!;
    db.prepare('UPDATE events SET data = CAST(data AS BLOB) WHERE position = ?').run(target);
    expect(db.prepare<[number], string>('SELECT typeof(data) FROM events WHERE position = ?').pluck().get(target)).toBe('blob');
    db.close();
    const { code, stdout } = await runCli(['verify'], env);
    expect(firstFinding(stdout)).toBe(`malformed-event: the event at position ${target} is not a valid event: data: not text but a blob`);
    expect(stdout).toMatch(new RegExp(`position ${target} root-mismatch: .*the event at position ${target} differs from the one the server added`));
    expect(code).toBe(1);
  }, 60_000);

  it.each(['data', 'metadata'])('names an event whose stored %s holds a member name twice (SQLite reads the first, JSON.parse keeps the last)', async (column) => {
    const { db, env } = copy();
    const target = subjectEvents(db).find((p) => p <= heads[0]!.treeSize)!;
    const name = column === 'data' ? 'actor' : 'correlationId';
    db.prepare(`UPDATE events SET ${column} = '{"${name}":"EVIL",' || substr(${column}, 2) WHERE position = ?`).run(target);
    expect(db.prepare<[number], string>(`SELECT json_extract(${column}, '$.${name}') FROM events WHERE position = ?`).pluck().get(target)).toBe('EVIL');
    db.close();
    const { code, stdout } = await runCli(['verify'], env);
    expect(firstFinding(stdout)).toBe(`malformed-event: the event at position ${target} is not a valid event: ${column}: the member name "${name}" appears twice in an object`);
    expect(code).toBe(1);
  }, 60_000);

  it('names a dropped event', async () => {
    const { db, env } = copy();
    const target = subjectEvents(db)[2]!;
    db.prepare('DELETE FROM events WHERE position = ?').run(target);
    db.close();
    const { code, stdout } = await runCli(['verify'], env);
    expect(firstFinding(stdout)).toBe(`position-gap: position ${target} is missing: the log goes from ${target - 1} to ${target + 1} (an event was removed)`);
    expect(code).toBe(1);
  }, 60_000);

  it('names the first of two events whose positions were swapped', async () => {
    const { db, env } = copy();
    const [a, , b] = subjectEvents(db).filter((p) => p > heads[0]!.position);
    db.transaction(() => {
      db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(a!);
      db.prepare('UPDATE events SET position = ? WHERE position = ?').run(a!, b!);
      db.prepare('UPDATE events SET position = ? WHERE position = -1').run(b!);
    })();
    db.close();
    const { code, stdout } = await runCli(['verify'], env);
    expect(firstFinding(stdout)).toMatch(new RegExp(`^(chain-break|root-mismatch): .*position ${a}\\b`));
    expect(code).toBe(1);
  }, 60_000);

  it('names a truncated tail: the streams table and the server\'s tree hold more than the log', async () => {
    const { db, env } = copy();
    const last = positions(db, '1').at(-1)!;
    db.prepare('DELETE FROM events WHERE position > ?').run(last - 2);
    db.close();
    const { code, stdout } = await runCli(['verify'], env);
    expect(firstFinding(stdout)).toMatch(/^truncated: /);
    expect(stdout).toMatch(/stream.* before the revision the store records .*: their last events were removed/);
    expect(code).toBe(1);
  }, 60_000);

  it('names a truncated tail by a head kept outside the ledger (--head)', async () => {
    const { dir, db, env } = copy();
    const file = join(dir, 'kept-head.json');
    // The auditor kept the latest head as served; then the log is cut back to just after the first head, streams too.
    writeFileSync(file, JSON.stringify(readHead(db, heads[1]!.position)));
    db.prepare('DELETE FROM events WHERE position > ?').run(heads[0]!.position);
    db.prepare('UPDATE streams SET revision = (SELECT coalesce(max(revision), -1) FROM events WHERE stream = streams.id)').run();
    db.close();
    rmSync(join(dir, 'read-models.db'), { force: true });
    const { code, stdout } = await runCli(['verify', '--head', file], env);
    expect(firstFinding(stdout)).toBe(`truncated: the log holds ${heads[0]!.position} events, but the head given (${JSON.parse(readFileSync(file, 'utf8')).timestamp}) signs ${heads[1]!.treeSize}: the last ${heads[1]!.treeSize - heads[0]!.position} were removed`);
    expect(code).toBe(1);
  }, 60_000);

  it.each(['data', 'metadata'])('names a tree head whose stored %s is not JSON, and checks the rest', async (column) => {
    const { db, env } = copy();
    const position = heads[0]!.position;
    db.prepare(`UPDATE events SET ${column} = 'not json' WHERE position = ?`).run(position);
    db.close();
    const { code, stdout } = await runCli(['verify'], env);
    expect(firstFinding(stdout)).toMatch(new RegExp(`^head-malformed: the tree head at position ${position} cannot be read: ${column}: not JSON \\(Unexpected token`));
    expect(stdout).toMatch(new RegExp(`position ${position} malformed-event: the event at position ${position} is not a valid event: `));
    // The other head is still checked, and the outcome kept for the console.
    expect(stdout).toMatch(/\b1 signed tree head \(/);
    expect(code).toBe(1);
    expect(readVerificationRecord(env.DERBES_DATA_DIR as string)).toMatchObject({ ok: false, firstDisagreement: { position, kind: 'head-malformed' } });
  }, 60_000);

  it.each([
    ['garbage', (file: string) => writeFileSync(file, Buffer.alloc(8192, 0x5a)), /file is not a database/],
    ['a dropped table', (file: string) => {
      const models = new Database(file);
      models.exec('DROP TABLE projection_generations');
      models.close();
    }, /no such table: projection_generations/],
  ] as const)('verifies the log without the server\'s tree when read-models.db holds %s, saying why in one line', async (_, damage, why) => {
    const { dir, db, env } = copy();
    db.close();
    const file = join(dir, 'read-models.db');
    // Damaged with its WAL still beside it (the table may be in the WAL alone), then the WAL goes: the file is what is read.
    damage(file);
    for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true });
    const { code, stdout, stderr } = await runCli(['verify'], env);
    const said = stdout.split('\n').filter((line) => line.startsWith('the server\'s tree'));
    expect(said).toEqual([expect.stringMatching(/^the server's tree \(.*read-models\.db\) could not be read, so the log was verified without it: /)]);
    expect(said[0]).toMatch(why);
    expect(stdout).not.toContain('leaves compared with the server\'s tree');
    expect(stdout).toContain('OK: the log agrees with every signed tree head and every chain');
    expect(stderr).not.toContain('derbes:');
    expect(code).toBe(0);
  }, 60_000);

  it.each([
    ['an array', () => [], 'not a signed tree head (a JSON object) but an array'],
    ['a string', () => 'head', 'not a signed tree head (a JSON object) but a string'],
    ['no members', () => ({}), 'treeSize is missing'],
    ['a treeSize that is not a number', (real: object) => ({ ...real, treeSize: 'x' }), 'treeSize "x" is not a non-negative integer'],
    ['no signature', (real: object) => ({ ...real, signature: undefined }), 'signature is missing'],
    ['a malformed signature', (real: object) => ({ ...real, signature: 'abc' }), 'signature is not 128 lowercase hex digits'],
  ])('refuses a --head file holding %s, naming the field and why', async (_, make, why) => {
    const { dir, db, env } = copy();
    const file = join(dir, 'kept-head.json');
    writeFileSync(file, JSON.stringify(make(readHead(db, heads[1]!.position))));
    db.close();
    const { code, stdout, stderr } = await runCli(['verify', '--head', file], env);
    expect(stderr.split('\n')[0]).toBe(`--head ${file}: ${why}`);
    expect(stderr).toContain('usage: derbes');
    expect(stdout).toBe('');
    expect(code).toBe(2);
  }, 60_000);

  it('takes a genuine head kept outside as the reference when the log was rewritten and every head signed again with the ledger\'s key', async () => {
    const { dir, db, env } = copy();
    const file = join(dir, 'kept-head.json');
    const genuine = readHead(db, heads[1]!.position);
    writeFileSync(file, JSON.stringify(genuine));
    const target = subjectEvents(db).find((p) => p <= heads[0]!.treeSize)!;
    rewriteHistory(dir, db, target, "json_set(data, '$.purpose.code', 'P12')");
    const stored = readHead(db, heads[1]!.position);
    expect(stored.rootHash).not.toBe(genuine.rootHash);
    db.close();
    const models = join(dir, 'read-models.db');
    const twoHistories = `root-mismatch: the head given signs root ${genuine.rootHash.slice(0, 16)}... for ${genuine.treeSize} events, but the log and the head at position ${heads[1]!.position} give ${stored.rootHash.slice(0, 16)}...: ` +
      `two validly signed roots for one size mean that the holder of key ${genuine.keyId} signed two different histories. The head given is the reference: the log and the head at position ${heads[1]!.position} disagree with it`;

    // The server's tree, built before the rewrite, still names the event.
    const named = await runCli(['verify', '--head', file], env);
    expect(firstFinding(named.stdout)).toBe(`${twoHistories}: the event at position ${target} differs from the one the server added (its leaf hash in the server's tree)`);
    expect(named.code).toBe(1);

    // Without it, the log and its own heads agree; only the head given says otherwise, and cannot say where.
    for (const suffix of ['', '-wal', '-shm']) rmSync(models + suffix, { force: true });
    expect((await runCli(['verify'], env)).stdout).toContain('OK: the log agrees with every signed tree head and every chain');
    const { code, stdout } = await runCli(['verify', '--head', file], env);
    expect(firstFinding(stdout)).toBe(`${twoHistories}: an event between positions 1 and ${genuine.treeSize} was changed, removed, reordered or inserted, and the heads signed again`);
    expect(stdout).toContain(`the first disagreement is between positions 1 and ${genuine.treeSize}:`);
    expect(code).toBe(1);
  }, 60_000);

  it('names a forged head (its signature does not verify)', async () => {
    const { db, env } = copy();
    const real = readHead(db, heads[1]!.position);
    const position = appendHead(db, { ...real, treeSize: real.treeSize + 3 });
    db.close();
    const { code, stdout } = await runCli(['verify'], env);
    expect(firstFinding(stdout)).toBe(`head-signature: the tree head at position ${position} (size ${real.treeSize + 3}, key ${real.keyId}) does not carry a valid signature: it was forged or altered`);
    expect(code).toBe(1);
  }, 60_000);

  it('names a well-signed head with a wrong root by a key not among the ledger\'s; with that key given, its root', async () => {
    const { dir, db, env } = copy();
    const other = loadOrCreateSigningKeys(join(dir, 'other-keys'));
    const forged = signTreeHead({ treeSize: heads[1]!.treeSize, rootHash: 'ab'.repeat(32) }, new Date(), other.current);
    const position = appendHead(db, forged);
    db.close();
    const { code, stdout } = await runCli(['verify'], env);
    expect(firstFinding(stdout)).toMatch(new RegExp(`^head-unknown-key: the tree head at position ${position} \\(size ${heads[1]!.treeSize}\\) is signed by key ${other.current.keyId}, which is not among the ledger's public keys`));
    expect(code).toBe(1);

    const keysFile = join(dir, 'keys.json');
    writeFileSync(keysFile, JSON.stringify([...loadPublicKeys(join(dir, 'integrity-keys')), ...other.publicKeys]));
    const trusting = await runCli(['verify', '--public-keys', keysFile], env);
    expect(firstFinding(trusting.stdout)).toMatch(new RegExp(`^root-mismatch: the head at position ${position} signs root abababababababab\\.\\.\\. for ${heads[1]!.treeSize} events, but the log and another head of that size give [0-9a-f]{16}\\.\\.\\.: this head's root is false`));
    expect(trusting.code).toBe(1);
    // A keys file that is not there is a misuse of the command (exit 2), named, not a finding about the ledger.
    const missing = await runCli(['verify', '--public-keys', join(dir, 'no-such-keys.json')], env);
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([2, expect.stringMatching(/^--public-keys .*no-such-keys\.json: ENOENT/)]);
  }, 60_000);
});

function readHead(db: Database.Database, position: number): { treeSize: number; rootHash: string; timestamp: string; keyId: string; signature: string } {
  return JSON.parse(db.prepare<[number], string>('SELECT data FROM events WHERE position = ?').pluck().get(position)!);
}
