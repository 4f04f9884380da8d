import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANY, type JsonObject } from '@derbes/event-store';
import { DEADLINE_COUNTING, WorkingDayCalendar, derivedUuid } from '@derbes/ledger';
import { LedgerError } from '../apps/ledger/src/ledger-errors';
import { DeadlineRetimer } from '../apps/ledger/src/subject-requests/deadline-retimer';
import { SubjectRequestDesk } from '../apps/ledger/src/subject-requests/subject-request-desk';
import { aRecord, IIN, READER, recordPastTheApi, startTestApp, uuid, type TestApp } from './support/test-app';


function aRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  // The test clock stands at Wed 25 Nov 2026, 17:00 in Astana.
  return { subject: { iin: IIN }, kind: 'blocking', channel: 'in-person', receivedAt: '2026-11-24T10:00:00+05:00', categories: [13], ...overrides };
}

describe('subject requests', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const eventsOf = async (subjectId: string) => t.store.readStream(`subject-${subjectId}`);

  it('receives a blocking request with its deadline, carries it out on answer, and closes it for good', async () => {
    await t.http.post('/v1/processing-records').send(aRecord({ categories: [1, 13] })).expect(201);
    // Received Tue 24 Nov; 1 working day: Wed 25 Nov.
    const received = await t.http.post('/v1/subject-requests').send(aRequest()).expect(201);
    expect(received.body).toMatchObject({ status: 'open', result: 'created', deadline: { date: '2026-11-25', workingDays: 1, coverage: 'verified' } });
    const { requestId, subjectId } = received.body;

    const queue = await t.http.get('/v1/subject-requests').query({ position: String(received.body.position) }).expect(200);
    expect(queue.body).toMatchObject({ today: '2026-11-25', status: 'open' });
    expect(queue.body.items).toEqual([expect.objectContaining({ requestId, kind: 'blocking', deadline: '2026-11-25', dueToday: true, overdue: false })]);

    const answered = await t.http.post(`/v1/subject-requests/${requestId}/answer`).send({}).expect(200);
    expect(answered.body).toMatchObject({ status: 'answered', late: false, workingDaysLate: 0, records: [expect.any(String)] });

    const events = await eventsOf(subjectId);
    expect(events.map((e) => e.type)).toEqual(['ProcessingRecorded', 'SubjectRequestReceived', 'ProcessingRecorded', 'SubjectRequestAnswered']);
    expect(events[2]?.data).toMatchObject({
      recordId: answered.body.records[0], operation: 'block', categories: [{ number: 13 }], requestId,
      purpose: { code: 'SUBJECT-RIGHTS' }, actor: { id: 'hr-director' }, violations: [],
    });
    expect(JSON.stringify(events)).not.toContain(IIN);

    // The subject's history shows the block and the request that caused it.
    const history = await t.http.get(`/v1/subjects/${subjectId}/history`).set(READER)
      .query({ position: String(answered.body.position), operation: 'block' }).expect(200);
    expect(history.body.items).toEqual([expect.objectContaining({ operation: 'block', requestId })]);

    await t.http.post(`/v1/subject-requests/${requestId}/answer`).send({}).expect(409)
      .expect((res) => expect(res.body.code).toBe('request_closed'));
    await t.http.post(`/v1/subject-requests/${requestId}/refuse`).send({ reasons: ['late thought'] }).expect(409);

    const closed = await t.http.get('/v1/subject-requests').query({ status: 'answered', position: String(answered.body.position) }).expect(200);
    expect(closed.body.items).toEqual([expect.objectContaining({ requestId, status: 'answered', late: false })]);
  });

  it('answers an information request with the access report, late when after the deadline, and records the report as a read', async () => {
    await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
    // Received Thu 19 Nov 2026; 3 working days: Fri 20, Mon 23, Tue 24. Today (Wed 25) is one working day late.
    const received = await t.http.post('/v1/subject-requests')
      .send(aRequest({ kind: 'information', categories: undefined, receivedAt: '2026-11-19T09:00:00+05:00', channel: 'egov' })).expect(201);
    expect(received.body.deadline.date).toBe('2026-11-24');
    const { requestId, subjectId, position } = received.body;

    const overdue = await t.http.get('/v1/subject-requests').query({ due: 'overdue', position: String(position) }).expect(200);
    expect(overdue.body.items).toEqual([expect.objectContaining({ requestId, overdue: true, workingDaysOverdue: 1, dueToday: false })]);
    const dueToday = await t.http.get('/v1/subject-requests').query({ due: 'today' }).expect(200);
    expect(dueToday.body.items).toEqual([]);

    const answered = await t.http.post(`/v1/subject-requests/${requestId}/answer`).send({ language: 'ru' }).expect(200);
    expect(answered.body).toMatchObject({ status: 'answered', late: true, workingDaysLate: 1, records: [] });
    expect(answered.body.report).toMatchObject({ language: 'ru', subject: { subjectId, maskedIin: '7**********8' } });
    expect(answered.body.report.requests).toEqual([expect.objectContaining({ requestId, kind: 'information', status: 'open' })]);
    // Sent as bytes written outside the heap: the very text JSON.stringify gives, as JSON.
    expect(answered.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answered.text).toBe(JSON.stringify(answered.body));

    const events = await eventsOf(subjectId);
    expect(events.map((e) => e.type)).toEqual(['ProcessingRecorded', 'SubjectRequestReceived', 'SubjectFileRead', 'SubjectRequestAnswered']);
    expect(events[2]?.data).toMatchObject({ purpose: { code: 'SUBJECT-RIGHTS' }, categories: [{ number: 1 }, { number: 2 }, { number: 28 }] });
    expect(events[3]?.data).toMatchObject({ late: true, workingDaysLate: 1, report: { language: 'ru', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    // The report ends with its own read, recorded first; its digest is of the report as given.
    expect(answered.body.report.integrity).toMatchObject({ readEventId: events[2]?.id, chain: [{}, {}, { eventId: events[2]?.id }] });
    expect((events[3]?.data as { report: { sha256: string } }).report.sha256).toBe(createHash('sha256').update(JSON.stringify(answered.body.report)).digest('hex'));

    // Answered already: refused before any report is made, so no read is recorded.
    await t.http.post(`/v1/subject-requests/${requestId}/answer`).send({ language: 'ru' }).expect(409)
      .expect((res) => expect(res.body.code).toBe('request_closed'));
    expect(await eventsOf(subjectId)).toHaveLength(4);

    const history = await t.http.get('/v1/subject-requests').query({ status: 'closed', position: String(answered.body.position) }).expect(200);
    expect(history.body.items).toEqual([expect.objectContaining({ requestId, late: true, workingDaysLate: 1 })]);
  });

  it('refuses with reasons, never without, and records a late refusal as late', async () => {
    const received = await t.http.post('/v1/subject-requests')
      .send(aRequest({ kind: 'destruction', receivedAt: '2026-11-20T18:00:00+05:00' })).expect(201);
    // Received Fri 20 Nov; 1 working day: Mon 23 Nov. Today, Wed 25, is two working days late.
    expect(received.body.deadline.date).toBe('2026-11-23');
    const { requestId } = received.body;
    await t.http.post(`/v1/subject-requests/${requestId}/refuse`).send({ reasons: [] }).expect(400)
      .expect((res) => expect(res.body.errors).toEqual([expect.objectContaining({ field: 'reasons' })]));
    await t.http.post(`/v1/subject-requests/${requestId}/refuse`).send({ reasons: ['  '] }).expect(400)
      .expect((res) => expect(res.body.errors).toEqual([expect.objectContaining({ field: 'reasons[0]' })]));
    await t.http.post(`/v1/subject-requests/${requestId}/refuse`).send({ reasons: ['storage period', '\u00a0\u200b'] }).expect(400)
      .expect((res) => expect(res.body.errors).toEqual([expect.objectContaining({ field: 'reasons[1]' })]));
    const refused = await t.http.post(`/v1/subject-requests/${requestId}/refuse`)
      .send({ reasons: ['the personnel file must be kept 75 years'] }).expect(200);
    expect(refused.body).toMatchObject({ status: 'refused', late: true, workingDaysLate: 2 });
    const queue = await t.http.get('/v1/subject-requests').query({ status: 'refused', position: String(refused.body.position) }).expect(200);
    expect(queue.body.items).toEqual([expect.objectContaining({ requestId, reasons: ['the personnel file must be kept 75 years'], late: true })]);
  });

  it("shows a refusal's reasons only to those who may read per-person data: an auditor without the grant sees them sealed", async () => {
    const { requestId } = (await t.http.post('/v1/subject-requests').send(aRequest()).expect(201)).body;
    const reasons = ['the court case naming Ivanov is pending', 'kept by law'];
    const refused = await t.http.post(`/v1/subject-requests/${requestId}/refuse`).send({ reasons }).expect(200);
    const queueAs = async (key: string, status: string) => (await t.as(key).get('/v1/subject-requests')
      .query({ status, position: String(refused.body.position) }).expect(200)).body;
    for (const key of ['official', 'auditorWithGrant']) {
      const { items } = await queueAs(key, 'refused');
      expect(items).toEqual([expect.objectContaining({ requestId, reasons })]);
      expect(items[0]).not.toHaveProperty('sealed');
    }
    for (const status of ['refused', 'closed']) {
      const page = await queueAs('auditor', status);
      expect(page.items).toEqual([expect.objectContaining({ requestId, status: 'refused', reasons: [null, null], sealed: { fields: ['reasons[0]', 'reasons[1]'] } })]);
      expect(JSON.stringify(page)).not.toMatch(/Ivanov|kept by law/);
    }
  });

  it('takes a repeated requestId with the same content as a duplicate and with another as a conflict', async () => {
    const requestId = uuid();
    const first = await t.http.post('/v1/subject-requests').send(aRequest({ requestId })).expect(201);
    const again = await t.http.post('/v1/subject-requests').send(aRequest({ requestId })).expect(200);
    expect(again.body).toMatchObject({ requestId, result: 'duplicate', deadline: first.body.deadline, position: first.body.position });
    await t.http.post('/v1/subject-requests').send(aRequest({ requestId, categories: [14] })).expect(409)
      .expect((res) => expect(res.body).toMatchObject({ code: 'request_exists', errors: [{ field: 'requestId' }] }));
    // The detail is part of the request too: another one is another request, not a repeat that loses it.
    await t.http.post('/v1/subject-requests').send(aRequest({ requestId, detail: 'asked again by phone' })).expect(409)
      .expect((res) => expect(res.body).toMatchObject({ code: 'request_exists', errors: [{ field: 'requestId' }] }));
    expect(await t.store.lastPosition()).toBe(first.body.position);
    await t.http.post(`/v1/subject-requests/${requestId}/refuse`).send({ reasons: ['kept by law'] }).expect(200);
    const afterRefusal = await t.http.post('/v1/subject-requests').send(aRequest({ requestId })).expect(200);
    expect(afterRefusal.body).toMatchObject({ result: 'duplicate', status: 'refused', position: first.body.position });
  });

  it('answers the same request sent many times at once: one created, every other a duplicate, never a conflict', async () => {
    // On a file, appends are committed on the writer thread: the requests that lose the race find the request in
    // the subject's state before it is stored, which is what made a duplicate look like a conflict.
    const dir = mkdtempSync(join(tmpdir(), 'derbes-requests-'));
    const onFile = await startTestApp({ DERBES_EVENT_STORE: join(dir, 'events.db') });
    try {
      for (let trial = 0; trial < 8; trial++) {
        const requestId = uuid();
        const answers = await Promise.all(Array.from({ length: 20 }, () => onFile.http.post('/v1/subject-requests').send(aRequest({ requestId }))));
        expect(answers.map((a) => a.status).sort()).toEqual([...Array(19).fill(200), 201]);
        expect(new Set(answers.map((a) => a.body.position)).size).toBe(1);
      }
    } finally {
      await onFile.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers a repeat of a request stored before deadlines recorded their first day with the deadline as read now', async () => {
    // A v2 SubjectRequestReceived, as a ledger before v3 wrote it: no deadline.firstDay, an unkeyed request hash.
    const first = await t.http.post('/v1/subject-requests').send(aRequest()).expect(201);
    const [template] = (await eventsOf(first.body.subjectId)).filter((e) => e.type === 'SubjectRequestReceived');
    const requestId = uuid();
    const { firstDay: _counted, ...deadline } = template!.data.deadline as JsonObject;
    const data: JsonObject = { ...template!.data, requestId, deadline };
    const canonical = JSON.stringify([requestId, first.body.subjectId, 'blocking', 'in-person', data.receivedAt, [13], null]);
    await t.store.appendToStream(`subject-${first.body.subjectId}`, [{
      id: requestId, type: 'SubjectRequestReceived', data,
      metadata: { ...template!.metadata, schemaVersion: 2, requestHash: createHash('sha256').update(canonical).digest('hex') },
    }], ANY);
    const again = await t.http.post('/v1/subject-requests').send(aRequest({ requestId })).expect(200);
    expect(again.body).toMatchObject({ requestId, result: 'duplicate', deadline: { ...deadline, firstDay: 'after-receipt' } });
  });

  it("refuses a requestId that is another event's id, saying so", async () => {
    const record = await t.http.post('/v1/processing-records').send(aRecord({ operation: 'access', source: undefined })).expect(201);
    await t.http.post('/v1/subject-requests').send(aRequest({ requestId: record.body.recordId })).expect(409)
      .expect((res) => expect(res.body).toMatchObject({ code: 'request_exists', errors: [{ field: 'requestId', reason: 'is already the id of another event' }] }));
  });

  it("refuses a requestId of version 8, the ledger's own ids, from the API and the console's form alike", async () => {
    const reserved = derivedUuid('any name');
    const res = await t.http.post('/v1/subject-requests').send(aRequest({ requestId: reserved })).expect(400);
    expect(res.body.errors).toEqual([{ field: 'requestId', reason: "UUID version 8 is reserved for the ledger's own events" }]);
    // The console's form reaches the desk without the API's DTO.
    const desk = t.app.get(SubjectRequestDesk);
    const input = { requestId: reserved, iin: IIN, kind: 'information' as const, channel: 'in-person' as const, receivedAt: new Date('2026-11-24T05:00:00Z'), categories: [], detail: null };
    const error = await desk.receive(input, { id: 'hr-director', role: 'official', unit: 'personnel-management' }, 'test').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({ code: 'invalid_request', errors: [{ field: 'requestId', reason: "UUID version 8 is reserved for the ledger's own events" }] });
    expect(await t.written()).toBe(0);
  });

  it('answers 409 event_id_conflict, writing nothing, when the id of the record that carries out a request is held by another event', async () => {
    await t.http.post('/v1/processing-records').send(aRecord({ categories: [1, 13] })).expect(201);
    const received = await t.http.post('/v1/subject-requests').send(aRequest({ kind: 'destruction' })).expect(201);
    const { requestId, subjectId } = received.body;
    // A record a client sent under that id before such ids were refused (it was a 500, and so on every retry).
    const taken = derivedUuid(`${requestId}/destroy`);
    await recordPastTheApi(t, { recordId: taken, subject: { iin: '061211600012' } });
    const before = await t.written();
    for (let i = 0; i < 2; i++) {
      const res = await t.http.post(`/v1/subject-requests/${requestId}/answer`).send({}).expect(409);
      expect(res.body).toMatchObject({ code: 'event_id_conflict', errors: [{ field: 'requestId', reason: expect.stringContaining(taken) }] });
    }
    expect(await t.written()).toBe(before);
    expect((await eventsOf(subjectId)).map((e) => e.type)).toEqual(['ProcessingRecorded', 'SubjectRequestReceived']);
    // The request stays open and can be refused.
    await t.http.post(`/v1/subject-requests/${requestId}/refuse`).send({ reasons: ['its record id is taken; registered again'] }).expect(200);
  });

  it.each([
    [{ subject: { iin: '791028302729' } }, 'subject.iin'],
    [{ subject: { iin: '991231500016' } }, 'subject.iin'], // born 2099-12-31: in the future
    [{ kind: 'appeal' }, 'kind'],
    [{ channel: 'pigeon' }, 'channel'],
    [{ receivedAt: '2026-11-24' }, 'receivedAt'],
    [{ receivedAt: '2026-12-24T10:00:00Z' }, 'receivedAt'],
    // A second past the clock skew the ledger allows (300 s; the test clock stands at 12:00:00Z).
    [{ receivedAt: '2026-11-25T12:05:01Z' }, 'receivedAt'],
    // Before Law 94-V of 21 May 2013, on Kazakhstan's calendar day (UTC+5): 20 May at 23:30 there.
    [{ receivedAt: '2013-05-20T23:30:00+05:00' }, 'receivedAt'],
    [{ categories: undefined }, 'categories'],
    [{ kind: 'information' }, 'categories'],
    [{ categories: [99] }, 'categories[0]'],
    [{ detail: `about ${IIN}` }, 'detail'],
    [{ surprise: 1 }, 'surprise'],
  ])('answers %j with a 400 naming %s and writes nothing', async (change, field) => {
    const res = await t.http.post('/v1/subject-requests').send(aRequest(change)).expect(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await t.written()).toBe(0);
  });

  it('takes a request received on the day of Law 94-V in Kazakhstan, though it was the day before in UTC', async () => {
    const res = await t.http.post('/v1/subject-requests').send(aRequest({ receivedAt: '2013-05-21T02:00:00+05:00', requestId: uuid() })).expect(201);
    expect(res.body.deadline).toMatchObject({ coverage: 'not-covered' });
  });

  it('counts the deadline from the day of receipt in Kazakhstan, not in UTC, and takes a receipt up to the clock skew ahead', async () => {
    // 02:00 on Tue 24 Nov in Astana is still Mon 23 Nov in UTC; 1 working day from Tue 24 is Wed 25.
    const early = await t.http.post('/v1/subject-requests').send(aRequest({ receivedAt: '2026-11-24T02:00:00+05:00' })).expect(201);
    expect(early.body.deadline).toMatchObject({ date: '2026-11-25', workingDays: 1 });
    const ahead = await t.http.post('/v1/subject-requests').send(aRequest({ receivedAt: '2026-11-25T12:05:00Z' })).expect(201);
    expect(ahead.body.deadline.date).toBe('2026-11-26');
  });

  it('judges an answer or a refusal late by the day in Kazakhstan: 01:00 on Thursday there is a day after a Wednesday deadline', async () => {
    await t.http.post('/v1/processing-records').send(aRecord({ categories: [1, 13] })).expect(201);
    const answerable = await t.http.post('/v1/subject-requests').send(aRequest()).expect(201);
    const refusable = await t.http.post('/v1/subject-requests').send(aRequest({ kind: 'unblocking' })).expect(201);
    expect([answerable.body.deadline.date, refusable.body.deadline.date]).toEqual(['2026-11-25', '2026-11-25']);
    // Wed 25 Nov, 20:00 UTC: Thu 26 Nov, 01:00 in Astana.
    t.clock.at = new Date('2026-11-25T20:00:00Z');
    try {
      const answered = await t.http.post(`/v1/subject-requests/${answerable.body.requestId}/answer`).send({}).expect(200);
      expect(answered.body).toMatchObject({ late: true, workingDaysLate: 1 });
      const refused = await t.http.post(`/v1/subject-requests/${refusable.body.requestId}/refuse`).send({ reasons: ['nothing is blocked'] }).expect(200);
      expect(refused.body).toMatchObject({ late: true, workingDaysLate: 1 });
    } finally {
      t.clock.at = new Date('2026-11-25T12:00:00Z');
    }
  });

  it("refuses an IIN in a refusal's reasons or in an answer's note, and writes nothing", async () => {
    const received = await t.http.post('/v1/subject-requests').send(aRequest()).expect(201);
    const before = await t.written();
    await t.http.post(`/v1/subject-requests/${received.body.requestId}/refuse`).send({ reasons: ['kept by law', `the employee ${IIN} objected`] }).expect(400)
      .expect((res) => expect(res.body.errors).toEqual([{ field: 'reasons[1]', reason: 'must be a reason in words, without an IIN' }]));
    await t.http.post(`/v1/subject-requests/${received.body.requestId}/answer`).send({ note: `blocked for ${IIN}` }).expect(400)
      .expect((res) => expect(res.body.errors).toEqual([{ field: 'note', reason: 'must not contain an IIN' }]));
    expect(await t.written()).toBe(before);
  });

  it("needs the official's key, a UUID for the request, and a request that exists", async () => {
    await t.as('auditor').post('/v1/subject-requests').send(aRequest()).expect(403);
    await t.http.post('/v1/subject-requests/not-a-uuid/answer').send({}).expect(400)
      .expect((r) => expect(r.body.errors).toEqual([expect.objectContaining({ field: 'requestId' })]));
    await t.http.post(`/v1/subject-requests/${uuid()}/answer`).send({}).expect(404)
      .expect((r) => expect(r.body.code).toBe('request_not_found'));
    await t.http.get('/v1/subject-requests').query({ status: 'answered', due: 'today' }).expect(400);
    expect(await t.written()).toBe(0);
  });
});

describe('a corrected working-day calendar', () => {
  it('moves the deadlines of open requests at start-up and records that it did', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-calendar-'));
    const env = { DERBES_EVENT_STORE: join(dir, 'events.db') };
    let t = await startTestApp(env);
    const received = await t.http.post('/v1/subject-requests').send(aRequest()).expect(201);
    const answeredToo = await t.http.post('/v1/subject-requests')
      .send(aRequest({ kind: 'unblocking', receivedAt: '2026-11-23T10:00:00+05:00' })).expect(201);
    await t.http.post(`/v1/subject-requests/${answeredToo.body.requestId}/answer`).send({}).expect(200);
    expect(received.body.deadline.date).toBe('2026-11-25');
    await t.close();

    // The government moved a day off onto Wed 25 Nov 2026: the blocking request is now due Thu 26 Nov.
    const corrected = WorkingDayCalendar.builtInData();
    const correction = {
      ...corrected, id: 'kz-2026-decree', version: 2,
      years: corrected.years.filter((y) => y.year === 2026).map((y) => ({
        ...y, workingDays: undefined, days: [...y.days, { date: '2026-11-25', kind: 'transfer-off', names: { kk: 'Демалыс', ru: 'Выходной', en: 'Day off' }, source: 'test decree' }],
      })),
    };
    const file = join(dir, 'calendar.json');
    writeFileSync(file, JSON.stringify(correction));
    t = await startTestApp({ ...env, DERBES_CALENDAR_FILE: file });
    try {
      expect(await t.app.get(DeadlineRetimer).done).toBe(1);
      const events = await t.store.readStream(`subject-${received.body.subjectId}`);
      const retimed = events.filter((e) => e.type === 'SubjectRequestRetimed');
      expect(retimed).toHaveLength(1);
      expect(retimed[0]?.data).toMatchObject({
        requestId: received.body.requestId, previous: { date: '2026-11-25' }, deadline: { date: '2026-11-26', calendar: { version: expect.stringContaining('kz-2026-decree@2') } },
        reason: expect.stringContaining('calendar'),
      });
      const queue = await t.http.get('/v1/subject-requests').query({ position: String(await t.store.lastPosition()) }).expect(200);
      expect(queue.body.items).toEqual([expect.objectContaining({ requestId: received.body.requestId, deadline: '2026-11-26', retimed: 1, dueToday: false })]);
      // Once moved, a restart with the same calendar moves nothing.
      await t.close();
      t = await startTestApp({ ...env, DERBES_CALENDAR_FILE: file });
      expect(await t.app.get(DeadlineRetimer).done).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('refuses to start with a calendar file that is wrong, naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-calendar-'));
    const file = join(dir, 'calendar.json');
    writeFileSync(file, JSON.stringify({ ...WorkingDayCalendar.builtInData(), years: [{ year: 2026, status: 'verified', sources: ['x'], days: [{ date: '2026-02-30', kind: 'holiday', names: { kk: 'a', ru: 'b', en: 'c' }, source: 's' }] }] }));
    await expect(startTestApp({ DERBES_CALENDAR_FILE: file })).rejects.toThrow(/calendar\.json.*years\[0\]\.days\[0\]\.date/);
  });
});

describe('where the working days of a deadline start (DERBES_DEADLINE_FIRST_DAY)', () => {
  // Tue 24 Nov 2026 is a working day: an information request (3 working days) is due Thu 26 Nov counting that day,
  // Fri 27 Nov counting from the day after.
  const information = (receivedAt = '2026-11-24T10:00:00+05:00') => aRequest({ kind: 'information', categories: undefined, receivedAt });
  const counting = async (t: TestApp, subjectId: string, lang: string) =>
    (await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ lang }).expect(200)).body.rights.counting;

  it('counts from the rule in force, records it with the deadline, and the report tells that rule; a rule set later moves no recorded deadline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-first-day-'));
    const env = { DERBES_EVENT_STORE: join(dir, 'events.db') };
    let t = await startTestApp({ ...env, DERBES_DEADLINE_FIRST_DAY: 'receipt' });
    let received;
    try {
      received = await t.http.post('/v1/subject-requests').send(information()).expect(201);
      expect(received.body.deadline).toMatchObject({ date: '2026-11-26', workingDays: 3, firstDay: 'receipt' });
      // Received on a Sunday, 22 Nov: no working day, so day 1 is Mon 23 Nov under this rule too.
      const onSunday = await t.http.post('/v1/subject-requests').send(information('2026-11-22T10:00:00+05:00')).expect(201);
      expect(onSunday.body.deadline).toMatchObject({ date: '2026-11-25', firstDay: 'receipt' });
      const stored = (await t.store.readStream(`subject-${received.body.subjectId}`)).find((e) => e.id === received!.body.requestId);
      expect(stored?.metadata.schemaVersion).toBe(3);
      expect(stored?.data.deadline).toMatchObject({ date: '2026-11-26', firstDay: 'receipt' });
      for (const lang of ['kk', 'ru', 'en']) {
        expect(await counting(t, received.body.subjectId, lang)).toEqual({ text: DEADLINE_COUNTING.text.receipt[lang as 'kk'], verified: false });
      }
    } finally {
      await t.close();
    }

    // Restarted with the data's rule and a calendar that makes Wed 25 Nov a day off: the open request is re-timed by the
    // rule it was received with (Tue 24, Thu 26, Fri 27 Nov), not by the rule now in force (which would give Mon 30 Nov).
    const data = WorkingDayCalendar.builtInData();
    const file = join(dir, 'calendar.json');
    writeFileSync(file, JSON.stringify({
      ...data, id: 'kz-2026-decree', version: 2,
      years: data.years.filter((y) => y.year === 2026).map((y) => ({
        ...y, workingDays: undefined, days: [...y.days, { date: '2026-11-25', kind: 'transfer-off', names: { kk: 'Демалыс', ru: 'Выходной', en: 'Day off' }, source: 'test decree' }],
      })),
    }));
    t = await startTestApp({ ...env, DERBES_CALENDAR_FILE: file });
    try {
      expect(await t.app.get(DeadlineRetimer).done).toBe(2);
      const retimed = (await t.store.readStream(`subject-${received.body.subjectId}`))
        .filter((e) => e.type === 'SubjectRequestRetimed' && e.data.requestId === received!.body.requestId);
      expect(retimed.map((e) => [e.metadata.schemaVersion, e.data.previous, e.data.deadline])).toEqual([[
        2, expect.objectContaining({ date: '2026-11-26', firstDay: 'receipt' }), expect.objectContaining({ date: '2026-11-27', firstDay: 'receipt' }),
      ]]);
      const queue = await t.http.get('/v1/subject-requests').query({ position: String(await t.store.lastPosition()) }).expect(200);
      expect(queue.body.items).toContainEqual(expect.objectContaining({ requestId: received.body.requestId, firstDay: 'receipt', deadline: '2026-11-27' }));
      // A request received now follows the data's rule: Tue 24 Nov, then Thu 26, Fri 27, Mon 30 Nov.
      const later = await t.http.post('/v1/subject-requests').send(information()).expect(201);
      expect(later.body.deadline).toMatchObject({ date: '2026-11-30', firstDay: DEADLINE_COUNTING.firstDay });
      expect(await counting(t, received.body.subjectId, 'ru')).toEqual({ text: DEADLINE_COUNTING.text['after-receipt'].ru, verified: DEADLINE_COUNTING.verified });
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start with a rule it does not know, naming the variable', async () => {
    await expect(startTestApp({ DERBES_DEADLINE_FIRST_DAY: 'day-after' })).rejects.toThrow(
      'configuration: DERBES_DEADLINE_FIRST_DAY: must be after-receipt or receipt, got "day-after"',
    );
  });
});
