import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORDER_328_O } from '@derbes/register';
import { aRecord, IIN, READER, startTestApp } from './support/test-app';

describe('the ledger on a SQLite file', () => {
  it('keeps every record across a restart, finds the subject again, and keeps idempotency', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-file-'));
    const env = { DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') };
    const records = [aRecord(), aRecord({ operation: 'destroy', source: undefined, categories: [28] })];

    const first = await startTestApp(env);
    const batch = await first.http.post('/v1/processing-records/batch').send({ records }).expect(201);
    await first.close();

    const second = await startTestApp(env);
    try {
      const { subjectId } = (await second.http.post('/v1/subjects/lookup').send({ iin: IIN }).expect(200)).body;
      expect(subjectId).toBe(batch.body.results[0].subjectId);
      const events = await second.http.get(`/v1/subjects/${subjectId}/events`).set(READER).expect(200);
      expect(events.body.items.map((e: { eventId: string }) => e.eventId)).toEqual(records.map((r) => r.recordId));
      await second.http.post('/v1/processing-records').send(records[0]).expect(200);
      // The state survives too: the destroyed category is still destroyed after the restart.
      const later = await second.http.post('/v1/processing-records').send(aRecord({ operation: 'access', source: undefined, categories: [28] })).expect(201);
      expect(later.body.violations).toEqual([expect.objectContaining({ code: 'category-destroyed' })]);
      // Two records, the read of the events above (itself recorded), then this one.
      expect(later.body.streamRevision).toBe(3);
    } finally {
      await second.close();
    }
  });
});

describe('extra registers from DERBES_REGISTERS_FILE', () => {
  const writeRegisters = (value: unknown) => {
    const file = join(mkdtempSync(join(tmpdir(), 'derbes-reg-')), 'registers.json');
    writeFileSync(file, JSON.stringify(value));
    return file;
  };

  it('replaces a built-in version: a known publication date moves the effective date', async () => {
    const corrected = {
      ...ORDER_328_O,
      publication: { date: '2025-12-20', known: true, note: 'published on Adilet' },
      effective: { from: '2025-12-30', fromBasis: 'publication+10d', to: null },
    };
    const t = await startTestApp({ DERBES_REGISTERS_FILE: writeRegisters([corrected]) });
    try {
      const list = await t.http.get('/v1/register').expect(200);
      expect(list.body.registers).toEqual([expect.objectContaining({ effective: corrected.effective, publication: corrected.publication })]);
      const early = await t.http.post('/v1/processing-records').send(aRecord({ occurredAt: '2025-12-20T10:00:00Z' })).expect(201);
      expect(early.body.violations).toEqual([expect.objectContaining({ code: 'no-register-in-force' })]);
    } finally {
      await t.close();
    }
  });

  it('checks purposes per category where a register restricts them', async () => {
    // A changed list is a new version: version 2 from July 2026, version 1 ended the day before.
    const ended = { ...ORDER_328_O, effective: { ...ORDER_328_O.effective, to: '2026-06-30' } };
    const restricted = {
      ...ORDER_328_O, version: 2, effective: { from: '2026-07-01', fromBasis: 'stated', to: null },
      categories: ORDER_328_O.categories.map((c) => (c.number === 28 ? { ...c, purposes: ['P07'] } : c)),
    };
    const t = await startTestApp({ DERBES_REGISTERS_FILE: writeRegisters([ended, restricted]) });
    try {
      const flagged = await t.http.post('/v1/processing-records').send(aRecord({ categories: [1, 28], purpose: 'P01' })).expect(201);
      expect(flagged.body.violations).toEqual([expect.objectContaining({ code: 'purpose-not-approved-for-category', category: 28 })]);
      const allowed = await t.http.post('/v1/processing-records').send(aRecord({ categories: [28], purpose: 'P07' })).expect(201);
      expect(allowed.body.violations).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('refuses to start on a replacement of a built-in version that changes its list, rather than change what stored records point to', async () => {
    const shrunk = { ...ORDER_328_O, categories: ORDER_328_O.categories.filter((c) => c.number !== 30) };
    const file = writeRegisters([shrunk]);
    await expect(startTestApp({ DERBES_REGISTERS_FILE: file })).rejects.toThrow(
      `registers file ${file}: [0]: replaces built-in mineco-328-O v1 but has no category 30 (pension)`);
  });

  it('refuses to start for an owner that has no register, naming DERBES_OWNER', async () => {
    await expect(startTestApp({ DERBES_OWNER: 'minecoo' })).rejects.toThrow('DERBES_OWNER: no register of owner "minecoo" is loaded (owners: mineco)');
  });

  it('refuses to start on versions that do not fit together, naming the file and the register\'s place in it', async () => {
    const amendment = { ...ORDER_328_O, version: 2, effective: { from: '2026-06-15', fromBasis: 'stated', to: null } };
    const file = writeRegisters([amendment]);
    await expect(startTestApp({ DERBES_REGISTERS_FILE: file })).rejects.toThrow(
      `registers file ${file}: [0].effective: period 2026-06-15..open overlaps mineco-328-O v1 (2025-12-14..open, mineco-328-O v1 of built-in registers)`);
  });

  it('refuses to start on a register with a bad field, naming the file and the field', async () => {
    const broken = { ...ORDER_328_O, id: 'other-list', categories: ORDER_328_O.categories.map((c, i) => (i === 4 ? { ...c, names: { ...c.names, kk: '' } } : c)) };
    const file = writeRegisters([broken]);
    await expect(startTestApp({ DERBES_REGISTERS_FILE: file })).rejects.toThrow(`${file}: [0].categories[4].names.kk`);
  });
});
