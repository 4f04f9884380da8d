import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { buildIin, DATA_SUBJECT_READER } from '@derbes/ledger';
import { ORDER_328_O } from '@derbes/register';
import { ApiKeys } from '../apps/ledger/src/auth/api-keys';
import { aRecord, startTestApp, type TestApp } from './support/test-app';

/** Distinct valid IINs for test subjects. */
const IINS = Array.from({ length: 60 }, (_, i) => buildIin('900101', 3, String(i + 1).padStart(4, '0'))).filter((x): x is string => x !== null);
const unit = 'personnel-management';
const actor = (id: string) => ({ id, role: 'hr-specialist', unit });
const access = (id: string, iin: string, occurredAt: string, categories: (number | string)[] = [1]) =>
  aRecord({ operation: 'access', source: undefined, actor: actor(id), subject: { iin }, categories, occurredAt });
const medical = ORDER_328_O.categories.find((c) => c.number === 28)!;

describe('GET /v1/reports/actor-activity', () => {
  let t: TestApp;
  let position: number;
  beforeEach(async () => {
    t = await startTestApp();
    const records: Record<string, unknown>[] = [];
    // Two weeks of quiet work: one subject a day each.
    for (let d = 10; d <= 23; d++) {
      records.push(access('hr-1', IINS[0]!, `2026-11-${d}T04:00:00Z`), access('hr-2', IINS[1]!, `2026-11-${d}T05:00:00Z`));
    }
    // Then hr-1 reads 25 people's medical results in a day; hr-2 works as usual, once just after midnight at UTC+5.
    IINS.slice(0, 25).forEach((iin) => records.push(access('hr-1', iin, '2026-11-24T06:00:00Z', [28, 1])));
    records.push(access('hr-2', IINS[1]!, '2026-11-23T19:30:00Z'), access('hr-2', IINS[2]!, '2026-11-24T10:00:00Z', ['address']));
    const res = await t.http.post('/v1/processing-records/batch').send({ records }).expect(201);
    position = res.body.results[res.body.results.length - 1].position;
  });
  afterEach(async () => {
    await t.close();
  });

  const report = (query: Record<string, string>) => t.http.get('/v1/reports/actor-activity').query(query);

  it("reports each actor and flags the day far above their own and their unit's level, with the numbers", async () => {
    const res = await report({ from: '2026-11-10', to: '2026-11-24', position: String(position) }).expect(200);
    expect(res.body).toMatchObject({ from: '2026-11-10', to: '2026-11-24', lang: 'kk', rule: { minSubjects: 20, minSensitive: 10, factor: 3, windowDays: 30 } });
    expect(res.body.position).toBeGreaterThanOrEqual(position);
    expect(res.body.actors).toEqual([
      {
        actorId: 'hr-1', role: 'hr-specialist', unit, subjects: 25, records: 39,
        recordsByOperation: { collect: 0, access: 39, change: 0, transfer: 0, block: 0, unblock: 0, depersonalize: 0, destroy: 0, read: 0 },
        sensitiveCategories: [{ number: 28, code: 'medical-results', name: medical.names.kk, records: 25 }],
        sensitiveAccesses: 25,
      },
      expect.objectContaining({ actorId: 'hr-2', subjects: 2, records: 16, sensitiveCategories: [], sensitiveAccesses: 0 }),
    ]);
    expect(res.body.unusual).toEqual([
      expect.objectContaining({ actorId: 'hr-1', unit, day: '2026-11-24', kind: 'subjects', count: 25, ownBaseline: 0, unitUsual: 1, unitSameDay: 2, unitBaseline: 2, factor: 3 }),
      expect.objectContaining({ actorId: 'hr-1', unit, day: '2026-11-24', kind: 'sensitive', count: 25, ownBaseline: 0, unitBaseline: 0, factor: 3 }),
    ]);
    expect(res.body.unusual[0].reason).toContain('2026-11-24');
    for (const iin of IINS) expect(JSON.stringify(res.body)).not.toContain(iin);
  });

  it("counts an official's reads of people's files, so that browsing many files in a day is flagged like any other spike", async () => {
    // The hr-director (unit personnel-management) reads 22 people's histories on the test clock's day.
    let last = position;
    for (const iin of IINS.slice(0, 22)) {
      const { subjectId } = (await t.http.post('/v1/subjects/lookup').send({ iin }).expect(200)).body;
      await t.http.get(`/v1/subjects/${subjectId}/history`).set('x-purpose', 'OVERSIGHT').expect(200);
      last = await t.store.lastPosition();
    }
    const res = await report({ from: '2026-11-25', to: '2026-11-25', lang: 'en', position: String(last) }).expect(200);
    expect(res.body.actors).toEqual([expect.objectContaining({
      actorId: 'hr-director', role: 'official', unit, subjects: 22, records: 22, recordsByOperation: expect.objectContaining({ access: 0, read: 22 }),
    })]);
    // Each of those histories names medical results (hr-1's records): a sensitive access each.
    expect(res.body.unusual).toEqual([
      expect.objectContaining({ actorId: 'hr-director', day: '2026-11-25', kind: 'subjects', count: 22, ownBaseline: 0 }),
      expect.objectContaining({ actorId: 'hr-director', day: '2026-11-25', kind: 'sensitive', count: 22, ownBaseline: 0 }),
    ]);
    expect(res.body.actors[0].sensitiveCategories).toEqual([expect.objectContaining({ number: 28, records: 22 })]);
  });

  it("counts the reads of a staff key named data-subject (made before such names were refused), not the subject's own", async () => {
    const { token } = await t.app.get(ApiKeys).create({ name: 'data-subject', role: 'official', unit, system: null, grants: [] }, 'test');
    const subjects: string[] = [];
    for (const iin of IINS.slice(0, 3)) subjects.push((await t.http.post('/v1/subjects/lookup').send({ iin }).expect(200)).body.subjectId);
    for (const subjectId of subjects) {
      await request(t.server).get(`/v1/subjects/${subjectId}/history`).set('authorization', `Bearer ${token}`).set('x-purpose', 'OVERSIGHT').expect(200);
    }
    // The subject opening their own report with their link: recorded as DATA_SUBJECT_READER's read, nobody's activity.
    const link = (await t.http.post(`/v1/subjects/${subjects[0]}/access-links`).send({}).expect(201)).body;
    await request(t.server).get(link.path).query({ format: 'json' }).expect(200);
    const reads = (await t.store.readStream(`subject-${subjects[0]}`)).filter((e) => e.type === 'SubjectFileRead').map((e) => (e.data as { actor: unknown }).actor);
    expect(reads).toEqual([{ id: 'data-subject', role: 'official', unit }, DATA_SUBJECT_READER]);
    const res = await report({ from: '2026-11-25', to: '2026-11-25', position: String(await t.store.lastPosition()) }).expect(200);
    expect(res.body.actors).toEqual([expect.objectContaining({
      actorId: 'data-subject', role: 'official', unit, subjects: 3, records: 3, recordsByOperation: expect.objectContaining({ read: 3 }),
    })]);
  });

  it('names categories and explains flags in the language asked for', async () => {
    const en = await report({ from: '2026-11-24', to: '2026-11-24', lang: 'en', position: String(position) }).expect(200);
    expect(en.body.actors[0].sensitiveCategories[0].name).toBe(medical.names.en);
    expect(en.body.unusual[0].reason).toBe(
      'On 2026-11-24 hr-1 processed the data of 25 distinct subjects: at least the minimum of 20 and at least 3 × their own usual level of 0 ' +
        '(median of the 30 days before), and more than 3 × the level of unit personnel-management, 2 ' +
        "(the higher of its other actors' median over those days, 1, and on the day, 2).",
    );
    const ru = await report({ from: '2026-11-24', to: '2026-11-24', lang: 'ru' }).expect(200);
    expect(ru.body.actors[0].sensitiveCategories[0].name).toBe(medical.names.ru);
    expect(ru.body.unusual[1].reason).toContain('25 записей с чувствительными категориями');
  });

  it('counts days at UTC+5 and filters by actor and unit', async () => {
    await report({ from: '2026-11-10', to: '2026-11-24', position: String(position) }).expect(200);
    const day = await report({ from: '2026-11-24', to: '2026-11-24', actor: 'hr-2' }).expect(200);
    // 19:30Z on the 23rd is 00:30 on the 24th in Kazakhstan.
    expect(day.body.actors).toEqual([expect.objectContaining({ actorId: 'hr-2', records: 2, subjects: 2 })]);
    expect(day.body.unusual).toEqual([]);
    expect((await report({ from: '2026-11-10', to: '2026-11-24', unit: 'finance' }).expect(200)).body).toMatchObject({ actors: [], unusual: [] });
    expect((await report({ from: '2026-11-10', to: '2026-11-23', unit }).expect(200)).body.actors.map((a: { records: number }) => a.records)).toEqual([14, 14]);
  });

  it('answers 400 at once for a position beyond the end of the log: no write returned it', async () => {
    const res = await report({ from: '2026-11-10', to: '2026-11-24', position: String(position + 1000) }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'position', reason: expect.stringContaining('beyond the end of the log') }]);
  });

  it.each([
    [{ to: '2026-11-24' }, 'from'],
    [{ from: '2026-11-01' }, 'to'],
    [{ from: '2026-11-01T00:00:00Z', to: '2026-11-24' }, 'from'],
    [{ from: '2026-02-30', to: '2026-03-02' }, 'from'],
    [{ from: '2026-11-24', to: '2026-11-01' }, 'to'],
    [{ from: '2024-01-01', to: '2026-11-24' }, 'to'],
    [{ from: '2026-11-01', to: '2026-11-24', lang: 'de' }, 'lang'],
    [{ from: '2026-11-01', to: '2026-11-24', position: 'last' }, 'position'],
    [{ from: '2026-11-01', to: '2026-11-24', unit: 'has space' }, 'unit'],
    [{ from: '2026-11-01', to: '2026-11-24', actor: '' }, 'actor'],
    [{ from: '2026-11-01', to: '2026-11-24', colour: 'red' }, 'colour'],
  ])('rejects %j with 400 naming %s', async (query, field) => {
    const res = await report(query as Record<string, string>).expect(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('takes a period of up to 731 calendar days, a single day included, and refuses one a day longer or a day reversed', async () => {
    // 2027-01-01 to 2028-12-31: two years with a leap day, 731 days.
    await report({ from: '2027-01-01', to: '2028-12-31' }).expect(200);
    await report({ from: '2026-11-24', to: '2026-11-24' }).expect(200);
    const long = await report({ from: '2027-01-01', to: '2029-01-01' }).expect(400);
    expect(long.body.errors).toEqual([expect.objectContaining({ field: 'to', reason: expect.stringContaining('longer than 731 days') })]);
    const reversed = await report({ from: '2026-11-24', to: '2026-11-23' }).expect(400);
    expect(reversed.body.errors).toEqual([{ field: 'to', reason: 'is before from' }]);
  });

  it('says an instant is not a calendar day, rather than that it is too long', async () => {
    const res = await report({ from: '2026-11-01T00:00:00Z', to: '2026-11-24' }).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'from', reason: 'must be a calendar day YYYY-MM-DD (an instant is not taken here)' })]);
  });

  it('is documented in OpenAPI', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    const get = doc.paths['/v1/reports/actor-activity'].get;
    expect(get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['actor', 'from', 'lang', 'position', 'to', 'unit']);
    expect(Object.keys(get.responses).sort()).toEqual(['200', '400', '409', '503', 'default']);
  });
});

describe('GET /v1/reports/actor-activity while the read model is not built', () => {
  it('answers 503 projection_building with Retry-After', async () => {
    const t = await startTestApp({ DERBES_PROJECTIONS: 'off' });
    try {
      const res = await t.http.get('/v1/reports/actor-activity').query({ from: '2026-11-01', to: '2026-11-24' }).expect(503);
      expect(res.body.code).toBe('projection_building');
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      await t.close();
    }
  });
});

describe('actor activity after the ledger\'s UTC offset changes', () => {
  it('is rebuilt on the new offset at start, so that it counts each record on the same local day as the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-offset-'));
    const env = { DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') };
    const days = async (t: TestApp) => {
      const activity = async (day: string) => (await t.http.get('/v1/reports/actor-activity').query({ from: day, to: day, actor: 'hr-9' }).expect(200)).body.actors[0]?.records ?? 0;
      const summary = async (day: string) => (await t.http.get('/v1/reports/summary').query({ from: day, to: day }).expect(200)).body.totals.records;
      return { activity: [await activity('2026-10-31'), await activity('2026-11-01')], summary: [await summary('2026-10-31'), await summary('2026-11-01')] };
    };
    const first = await startTestApp(env);
    try {
      // 18:30Z: 23:30 on 31 October at UTC+5, 00:30 on 1 November at UTC+6.
      const written = await first.http.post('/v1/processing-records').send(access('hr-9', IINS[0]!, '2026-10-31T18:30:00Z')).expect(201);
      await first.http.get('/v1/reports/actor-activity').query({ from: '2026-10-31', to: '2026-10-31', position: String(written.body.position) }).expect(200);
      expect(await days(first)).toEqual({ activity: [1, 0], summary: [1, 0] });
    } finally {
      await first.close();
    }
    const again = await startTestApp({ ...env, DERBES_UTC_OFFSET_MINUTES: '360' });
    try {
      // The new generation is built in the background (the old one answers meanwhile) and swapped in.
      let seen = await days(again);
      for (let i = 0; i < 250 && JSON.stringify(seen.activity) !== '[0,1]'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        seen = await days(again);
      }
      expect(seen).toEqual({ activity: [0, 1], summary: [0, 1] });
    } finally {
      await again.close();
    }
  });
});
