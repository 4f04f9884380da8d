import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '@derbes/event-store';
import { LIVE_KEY_RECHECK_MS, SqliteDataKeyStore } from './sqlite-data-key-store';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('SqliteDataKeyStore', () => {
  const stores: SqliteDataKeyStore[] = [];
  const open = (path: string, at = new Date('2026-11-25T12:00:00Z')) => {
    const store = SqliteDataKeyStore.open(path, () => at);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('creates a key on first use and gives the same one after', async () => {
    const store = open(':memory:');
    expect(await store.find(A, 1)).toBeNull();
    const first = await store.keyFor(A);
    expect(first.version).toBe(1);
    expect(first.key).toHaveLength(32);
    expect(await store.keyFor(A)).toEqual(first);
    expect(await store.find(A, 1)).toEqual(first.key);
    expect((await store.keyFor(B)).key.equals(first.key)).toBe(false);
  });

  it('creates the keys asked for together once each: the same subject twice gets one key', async () => {
    const store = open(':memory:');
    const subjects = Array.from({ length: 50 }, (_, i) => i.toString(16).padStart(64, '0'));
    const [a1, a2, ...many] = await Promise.all([store.keyFor(A), store.keyFor(A), ...subjects.map((s) => store.keyFor(s))]);
    expect(a1).toEqual(a2);
    expect(a1?.version).toBe(1);
    expect(new Set(many.map((k) => k.key.toString('hex'))).size).toBe(50);
    for (const [i, s] of subjects.entries()) expect(await store.find(s, 1)).toEqual(many[i]?.key);
  });

  it('destroys every live version; a later use gets a fresh version, the destroyed one stays destroyed', async () => {
    const store = open(':memory:');
    const v1 = await store.keyFor(A);
    const b = await store.keyFor(B);
    await store.destroy(A, new Date('2026-11-26T08:00:00Z'));
    expect(await store.find(A, 1)).toBe('destroyed');
    expect(await store.destroyedAt(A, 1)).toBe('2026-11-26T08:00:00.000Z');
    expect(await store.find(B, 1)).toEqual(b.key);
    expect(await store.destroyedAt(B, 1)).toBeNull();
    const v2 = await store.keyFor(A);
    expect(v2.version).toBe(2);
    expect(v2.key.equals(v1.key)).toBe(false);
    expect(await store.find(A, 1)).toBe('destroyed');
    await store.destroy(A, new Date('2026-11-27T08:00:00Z'));
    expect([await store.destroyedAt(A, 1), await store.destroyedAt(A, 2)]).toEqual(['2026-11-26T08:00:00.000Z', '2026-11-27T08:00:00.000Z']);
    // Destroying a subject that has no key is nothing.
    await store.destroy('c'.repeat(64), new Date());
    expect(await store.find('c'.repeat(64), 1)).toBeNull();
  });

  it('forgets a key it destroys even when the key was read again while the key writer thread destroyed it', async () => {
    const store = open(join(mkdtempSync(join(tmpdir(), 'derbes-keys-')), 'keys.db'));
    const v1 = await store.keyFor(A);
    const destroying = store.destroy(A, new Date('2026-11-25T12:00:00Z'));
    // Asked for before the thread has destroyed it: the row read is still the live key.
    await store.keyFor(A);
    await destroying;
    // Within LIVE_KEY_RECHECK_MS (this store's clock stands still): no new text may be sealed with the destroyed key.
    const after = await store.keyFor(A);
    expect(after.version).toBe(2);
    expect(after.key.equals(v1.key)).toBe(false);
    expect(await store.find(A, 1)).toBe('destroyed');
  });

  /** A replica with a clock the test moves, and another store (another process) on the same key file. */
  function sharedFile(): { replica: SqliteDataKeyStore; other: SqliteDataKeyStore; advance: (ms: number) => void } {
    const path = join(mkdtempSync(join(tmpdir(), 'derbes-keys-')), 'keys.db');
    let clock = new Date('2026-11-25T12:00:00Z').getTime();
    const replica = SqliteDataKeyStore.open(path, () => new Date(clock));
    stores.push(replica);
    return { replica, other: open(path), advance: (ms) => { clock += ms; } };
  }

  it('stops sealing with a key that another process sharing the file destroyed, within LIVE_KEY_RECHECK_MS', async () => {
    const { replica, other: shredder, advance } = sharedFile();
    const first = await replica.keyFor(A);
    expect((await shredder.keyFor(A)).key.equals(first.key)).toBe(true);

    await shredder.destroy(A, new Date('2026-11-25T12:00:00Z'));
    // Until it next looks for destructions, the replica still holds the key in memory ...
    advance(LIVE_KEY_RECHECK_MS - 1);
    expect(await replica.keyFor(A)).toEqual(first);
    // ... and after that it sees the destruction and creates the next version, as the shredder would.
    advance(1);
    const next = await replica.keyFor(A);
    expect(next.version).toBe(2);
    expect(next.key.equals(first.key)).toBe(false);
    expect(await replica.find(A, 1)).toBe('destroyed');
    expect((await shredder.keyFor(A)).key.equals(next.key)).toBe(true);
  });

  it('reads no row for a key it holds while no key is destroyed, however many keys another connection creates', async () => {
    const { replica, other, advance } = sharedFile();
    const rowReads = jest.spyOn((replica as unknown as { latest: { get: () => unknown } }).latest, 'get');
    const first = await replica.keyFor(A);
    expect(rowReads).toHaveBeenCalledTimes(1); // the first use: no key yet, so it is created
    for (let i = 0; i < 5; i++) {
      await other.keyFor(i.toString(16).padStart(64, '0')); // the file changes under the replica
      advance(LIVE_KEY_RECHECK_MS);
      expect(await replica.keyFor(A)).toEqual(first);
    }
    expect(rowReads).toHaveBeenCalledTimes(1);
    // A destruction anywhere (here of another subject's key) makes every key held be read again, once.
    await other.destroy('0'.repeat(64), new Date('2026-11-25T12:00:00Z'));
    advance(LIVE_KEY_RECHECK_MS);
    expect(await replica.keyFor(A)).toEqual(first);
    expect(await replica.keyFor(A)).toEqual(first);
    expect(rowReads).toHaveBeenCalledTimes(2);
  });

  it.each(['file', ':memory:'])('refuses new keys as StoreUnavailableError while the disk is full (%s), and makes them once there is room', async (where) => {
    const store = open(where === 'file' ? join(mkdtempSync(join(tmpdir(), 'derbes-keys-')), 'keys.db') : ':memory:');
    await store.keyFor(A);
    const [{ page_count: pages }] = await store.writerPragma('page_count') as [{ page_count: number }];
    await store.writerPragma(`max_page_count = ${pages}`);
    // New subjects asked for together: one transaction, which needs new pages.
    const subjects = Array.from({ length: 500 }, (_, i) => i.toString(16).padStart(64, '0'));
    const refused = await Promise.allSettled(subjects.map((s) => store.keyFor(s)));
    for (const outcome of refused) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(StoreUnavailableError) });
      expect((outcome as PromiseRejectedResult).reason.cause).toMatchObject({ code: 'SQLITE_FULL' });
    }
    expect(await store.find(subjects[0]!, 1)).toBeNull();
    await store.writerPragma('max_page_count = 1073741823');
    expect((await Promise.all(subjects.map((s) => store.keyFor(s)))).map((k) => k.version)).toEqual(subjects.map(() => 1));
  });

  it('keeps keys in a file only this user can read, and they survive a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-keys-'));
    const path = join(dir, 'data-keys', 'keys.db');
    const key = await open(path).keyFor(A);
    await stores.pop()?.close();
    expect(statSync(path).mode & 0o077).toBe(0);
    expect(statSync(join(dir, 'data-keys')).mode & 0o077).toBe(0);
    expect(await open(path).find(A, 1)).toEqual(key.key);
  });

  it('leaves no trace of a destroyed key in the file: secure deletion overwrites its bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-keys-'));
    const path = join(dir, 'keys.db');
    const store = open(path);
    // Keys created before and after it, so that its row sits amid others on its page and its bytes do not happen to
    // be overwritten by the shorter row that replaces it: only secure deletion clears them then.
    const others = [];
    for (let i = 0; i < 20; i++) others.push(await store.keyFor(i.toString(16).padStart(64, '0')));
    const doomed = await store.keyFor(A);
    for (let i = 20; i < 40; i++) others.push(await store.keyFor(i.toString(16).padStart(64, '0')));
    const bytes = () => Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
    expect(bytes().includes(doomed.key)).toBe(true);
    await store.destroy(A, new Date('2026-11-26T08:00:00Z'));
    expect(bytes().includes(doomed.key)).toBe(false);
    for (const other of others) expect(bytes().includes(other.key)).toBe(true);
    // The WAL beside it holds nothing: the old page was checkpointed and the log cut to zero.
    expect(readdirSync(dir).filter((f) => !['keys.db', 'keys.db-wal', 'keys.db-shm'].includes(f))).toEqual([]);
    expect(statSync(`${path}-wal`).size).toBe(0);
  });

  it('keeps a destruction written down across a reopen until it is settled with the keys or forgotten', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'derbes-keys-')), 'keys.db');
    const first = open(path);
    const a1 = await first.keyFor(A);
    await first.keyFor(B);
    const toA = { subjectId: A, eventId: 'e-a', at: '2026-11-26T08:00:00.000Z' };
    const toB = { subjectId: B, eventId: 'e-b', at: '2026-11-26T09:00:00.000Z' };
    await first.intendDestruction(toA);
    await first.intendDestruction(toB);
    await first.close();

    const second = open(path);
    expect(await second.pendingDestructions()).toEqual([toA, toB]);
    expect(await second.find(A, 1)).toEqual(a1.key);
    // Settling destroys the keys and forgets that destruction alone, in one step.
    await second.settleDestruction(toA);
    expect(await second.find(A, 1)).toBe('destroyed');
    expect(await second.destroyedAt(A, 1)).toBe(toA.at);
    expect(await second.pendingDestructions()).toEqual([toB]);
    // Forgetting names the event: another destruction of the subject stays written down.
    await second.forgetDestruction(B, 'e-other');
    expect(await second.pendingDestructions()).toEqual([toB]);
    await second.forgetDestruction(B, 'e-b');
    expect(await second.pendingDestructions()).toEqual([]);
    expect(await second.find(B, 1)).not.toBe('destroyed');
  });
});
