import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aRecord, READER, startTestApp } from './support/test-app';

/** README, "Crypto-shredding": backups of the events leave the data keys out, and a restore cannot bring one back. */
const NOTE = 'complaint by Marat Seitkali about the competition file';
const PERSON = 'Aigerim Bekova';
const SHREDDED_AT = '2026-11-25T12:00:00.000Z';

/** Every byte of the files of a directory (the event store and its WAL, as a backup copies them). */
function storedBytes(dir: string): Buffer {
  return Buffer.concat(readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile()).map((f) => readFileSync(join(dir, f))));
}

describe('backups do not bring a destroyed key back', () => {
  it('a copy of the event store taken before shredding, opened with the live key store, shows the texts unreadable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-shred-live-'));
    const backup = mkdtempSync(join(tmpdir(), 'derbes-shred-backup-'));
    const env = { DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') };

    const first = await startTestApp(env);
    const written = await first.http.post('/v1/processing-records').send(aRecord({
      operation: 'transfer', source: undefined, note: NOTE, recipient: { name: PERSON, country: 'KZ', kind: 'person' },
    })).expect(201);
    const { subjectId } = written.body;
    await first.close();
    // The backup: the event store's files, as `derbes backup` copies them, without data-keys/.
    for (const file of readdirSync(dir).filter((f) => f.startsWith('events.db'))) copyFileSync(join(dir, file), join(backup, file));
    expect(storedBytes(backup).includes(Buffer.from(NOTE))).toBe(false);
    expect(storedBytes(backup).includes(Buffer.from(PERSON))).toBe(false);

    const second = await startTestApp(env);
    await second.as('official').post(`/v1/subjects/${subjectId}/shred`).send({ reason: 'storage period ended' }).expect(200);
    await second.close();

    // Restored: the old events (no SubjectDataKeyDestroyed among them) beside the live key store.
    const restored = await startTestApp({ DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(backup, 'events.db') });
    try {
      const stream = await restored.store.readStream(`subject-${subjectId}`);
      expect(stream.map((e) => e.type)).toEqual(['ProcessingRecorded']);
      expect(String(stream[0]?.data.note)).toMatch(/^sealed:v1:1:/);
      const items = (await restored.http.get(`/v1/subjects/${subjectId}/history`).set(READER).query({ position: String(stream[0]?.position) }).expect(200)).body.items;
      expect(items[0]).toMatchObject({
        operation: 'transfer', note: null, recipient: { name: null, kind: 'person' },
        shredded: { destroyedAt: SHREDDED_AT, fields: ['note', 'recipient.name'] },
      });
      const shown = (await restored.http.get(`/v1/subjects/${subjectId}/events`).set(READER).expect(200)).body.items;
      expect(shown[0]).toMatchObject({ note: null, shredded: { destroyedAt: SHREDDED_AT } });
      const html = (await restored.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ format: 'html', lang: 'en' }).expect(200)).text;
      expect(html).toContain('destroyed on 25 November 2026');
      expect(html).not.toContain(PERSON);
    } finally {
      await restored.close();
    }
  });

  it('a backup restored without its key store reads as unreadable, not as an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-shred-live-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'derbes-shred-elsewhere-'));
    const first = await startTestApp({ DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') });
    const { subjectId, position } = (await first.http.post('/v1/processing-records').send(aRecord({ note: NOTE })).expect(201)).body;
    await first.close();
    const restored = await startTestApp({ DERBES_DATA_DIR: elsewhere, DERBES_EVENT_STORE: join(dir, 'events.db') });
    try {
      const items = (await restored.http.get(`/v1/subjects/${subjectId}/history`).set(READER).query({ position: String(position) }).expect(200)).body.items;
      expect(items[0]).toMatchObject({ note: null, shredded: { destroyedAt: null, fields: ['note'] } });
    } finally {
      await restored.close();
    }
  });
});
