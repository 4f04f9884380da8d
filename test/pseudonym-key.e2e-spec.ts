import { mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@derbes/event-store';
import { PSEUDONYM_KEY_CHECK_RECORDED, PSEUDONYM_KEY_STREAM } from '../apps/ledger/src/config/pseudonym-key-check';
import { aRecord, startTestApp } from './support/test-app';

const KEY_A = 'a1'.repeat(32);
const KEY_B = 'b2'.repeat(32);

async function lastPosition(file: string): Promise<number> {
  const store = SqliteEventStore.open(file);
  try {
    return await store.lastPosition();
  } finally {
    await store.close();
  }
}

describe('the pseudonym key checked against the log at every start', () => {
  let dataDir: string;
  let eventStore: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'derbes-pseudonym-'));
    eventStore = join(dataDir, 'events.db');
  });
  const start = (key: string) => startTestApp({ DERBES_DATA_DIR: dataDir, DERBES_EVENT_STORE: eventStore, DERBES_PSEUDONYM_KEY: key });

  it('records the key\'s check value once, and refuses a start with another key, writing nothing', async () => {
    const record = aRecord();
    const first = await start(KEY_A);
    await first.http.post('/v1/processing-records').send(record).expect(201);
    const checks = (await first.store.readAll()).filter((e) => e.streamId === PSEUDONYM_KEY_STREAM);
    expect(checks).toEqual([expect.objectContaining({ type: PSEUDONYM_KEY_CHECK_RECORDED, position: 1 })]);
    const check = (checks[0]!.data as { check: string }).check;
    expect(check).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(checks)).not.toContain(KEY_A);
    await first.close();
    const before = await lastPosition(eventStore);

    await expect(start(KEY_B)).rejects.toThrow("the pseudonym key (DERBES_PSEUDONYM_KEY) is not the key this ledger's subjects are filed under (its check value was recorded at position 1");
    expect(await lastPosition(eventStore)).toBe(before);

    // With its own key the ledger starts, records nothing more of the key, and a retried record is the same record.
    const again = await start(KEY_A);
    await again.http.post('/v1/processing-records').send(record).expect(200);
    expect((await again.store.readAll()).filter((e) => e.streamId === PSEUDONYM_KEY_STREAM)).toHaveLength(1);
    await again.close();
  });

  it('refuses a lost key file made anew, and removes the new file so that the next start does not take it for the ledger\'s', async () => {
    const first = await start('');
    await first.http.post('/v1/processing-records').send(aRecord()).expect(201);
    await first.close();
    const keyFile = join(dataDir, 'pseudonym.key');
    renameSync(keyFile, `${keyFile}.away`);
    await expect(start('')).rejects.toThrow(`the pseudonym key (${keyFile} (made anew: none was found)) is not the key this ledger's subjects are filed under`);
    expect(readdirSync(dataDir).filter((f) => f.startsWith('pseudonym.key'))).toEqual(['pseudonym.key.away']);
    renameSync(`${keyFile}.away`, keyFile);
    await (await start('')).close();
  });

  it('gives a new ledger\'s key file its name only once its check value is in the log, and confirms one left unconfirmed by a stop after that', async () => {
    const keyFile = join(dataDir, 'pseudonym.key');
    const first = await start('');
    expect(readdirSync(dataDir).filter((f) => f.startsWith('pseudonym.key'))).toEqual(['pseudonym.key']);
    const record = aRecord();
    await first.http.post('/v1/processing-records').send(record).expect(201);
    await first.close();
    // As a first start that stopped between recording the check value and renaming the file leaves it.
    renameSync(keyFile, `${keyFile}.unconfirmed`);
    const again = await start('');
    expect(readdirSync(dataDir).filter((f) => f.startsWith('pseudonym.key'))).toEqual(['pseudonym.key']);
    await again.http.post('/v1/processing-records').send(record).expect(200);
    await again.close();
  });

  it('on a ledger made before checks were kept: records the key it starts with, unless that key was made just now', async () => {
    // A log with events and no check value, as a ledger of an earlier version leaves it.
    const store = SqliteEventStore.open(eventStore);
    await store.appendToStream('admin-api-keys', [{ id: 'e-1', type: 'Happened', data: {}, metadata: {} }], 'any');
    await store.close();

    await expect(start('')).rejects.toThrow(`no pseudonym key was found (${join(dataDir, 'pseudonym.key')}), but the log already holds events`);
    expect(readdirSync(dataDir).filter((f) => f.startsWith('pseudonym.key'))).toEqual([]);
    expect(await lastPosition(eventStore)).toBe(1);
    // A start that made a key and stopped before its check (killed, a power cut) left it unconfirmed: the next start
    // does not take it for the ledger's key.
    writeFileSync(join(dataDir, 'pseudonym.key.unconfirmed'), `${KEY_B}\n`, { mode: 0o600 });
    await expect(start('')).rejects.toThrow('no pseudonym key was found');
    expect(readdirSync(dataDir).filter((f) => f.startsWith('pseudonym.key'))).toEqual([]);
    expect(await lastPosition(eventStore)).toBe(1);

    await (await start(KEY_A)).close();
    await expect(start(KEY_B)).rejects.toThrow('is not the key this ledger\'s subjects are filed under (its check value was recorded at position 2');
  });
});
