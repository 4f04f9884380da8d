import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { derivedUuid } from '@derbes/ledger';
import { aRecord, IIN, OTHER_IIN, startTestApp, uuid, type TestApp } from './support/test-app';

describe('POST /v1/processing-records', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const post = (body: unknown) => t.http.post('/v1/processing-records').send(body as object);

  it('records the wire example as an event in the subject stream (201)', async () => {
    const record = aRecord();
    const res = await post(record).expect(201);
    expect(res.body).toEqual({
      recordId: record.recordId,
      status: 'created',
      subjectId: expect.stringMatching(/^[0-9a-f]{64}$/),
      eventId: record.recordId,
      streamRevision: 0,
      position: t.base + 1,
      recordedAt: '2026-11-25T12:00:00.000Z',
      violations: [],
    });
    expect(res.headers['x-correlation-id']).toBeTruthy();
    const [event] = await t.writtenEvents();
    expect(event).toMatchObject({
      streamId: `subject-${res.body.subjectId}`,
      type: 'ProcessingRecorded',
      data: {
        operation: 'collect',
        categories: [{ number: 1, slug: 'full-name' }, { number: 2, slug: 'iin' }, { number: 28, slug: 'medical-results' }],
        purpose: { code: 'P01', clause: 1 },
        register: { id: 'mineco-328-O', version: 1, order: '328-Ө' },
        actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' },
        system: 'hr-portal',
        occurredAt: '2026-11-20T09:30:00.000Z',
        source: { kind: 'subject' },
        // Sealed with the subject's data key (test/crypto-shredding.e2e-spec.ts).
        note: expect.stringMatching(/^sealed:v1:1:/),
      },
      metadata: { schemaVersion: 5, recordedAt: '2026-11-25T12:00:00.000Z', correlationId: res.headers['x-correlation-id'] },
    });
    expect((event?.data.legalBasis as unknown[]).length).toBeGreaterThan(0);
  });

  it('takes codes whose every word is in one script, Kazakh in Cyrillic too, and stores them as sent', async () => {
    const actor = { id: 'P.Ivanov@hr', role: 'hr-кадр', unit: 'кадр-бөлімі' };
    await post(aRecord({ actor })).expect(201);
    const [event] = await t.writtenEvents();
    expect(event?.data.actor).toEqual(actor);
  });

  it('takes names with spaces, №, quotes and punctuation, words of different scripts apart, and stores them as sent', async () => {
    const names = ['АО «Казпочта» № 1', 'Kazpost (Қазпошта)', "O'Reilly & Sons, Ltd.", 'Kaspi.kz — Қазақстан', 'Café Astana'];
    for (const name of names) await post(aRecord({ operation: 'transfer', source: undefined, note: undefined, recipient: { name, country: 'KZ' } })).expect(201);
    // A third party's name is sealed with the subject's key; a state database's is not.
    const database = 'ГБД «Физические лица» (State database "Individuals")';
    await post(aRecord({ source: { kind: 'state-database', name: database } })).expect(201);
    const events = await t.writtenEvents();
    expect(events.map((e) => (e.data.recipient as { name: string } | null)?.name ?? (e.data.source as { name: string }).name)).toEqual([...names, database]);
  });

  it('answers a repeated recordId with the first result (200) and appends nothing', async () => {
    const record = aRecord();
    const first = await post(record).expect(201);
    const again = await post(record).expect(200);
    expect(again.body).toEqual({ ...first.body, status: 'duplicate' });
    // Same meaning, other spelling: slugs for numbers, P01's slug, a shifted time zone.
    const respelled = { ...record, categories: ['medical-results', 'full-name', 2], occurredAt: '2026-11-20T14:30:00+05:00' };
    await post(respelled).expect(200);
    expect(await t.written()).toBe(1);
  });

  it('refuses the same recordId with a different body (409) and writes nothing', async () => {
    const record = aRecord();
    await post(record).expect(201);
    const res = await post({ ...record, purpose: 'P02' }).expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, code: 'record_id_conflict', errors: [{ field: 'recordId' }] });
    expect(await t.written()).toBe(1);
  });

  it('keeps and flags records the approved list does not allow', async () => {
    const before = await post(aRecord({ occurredAt: '2025-06-01T10:00:00Z' })).expect(201);
    expect(before.body.violations).toEqual([expect.objectContaining({ code: 'no-register-in-force' })]);

    const abroad = await post(aRecord({ operation: 'transfer', source: undefined, recipient: { name: 'Agency', country: 'DE' } })).expect(201);
    expect(abroad.body.violations.map((v: { code: string }) => v.code)).toEqual(['cross-border-without-ground']);

    const grounded = aRecord({ operation: 'transfer', source: undefined, recipient: { name: 'Agency', country: 'DE' }, transferGround: { kind: 'consent', reference: 'C-17' } });
    expect((await post(grounded).expect(201)).body.violations).toEqual([]);

    await post(aRecord({ operation: 'destroy', source: undefined, categories: [28] })).expect(201);
    const after = await post(aRecord({ operation: 'access', source: undefined, categories: [1, 28] })).expect(201);
    expect(after.body.violations).toEqual([expect.objectContaining({ code: 'category-destroyed', category: 28 })]);

    await post(aRecord({ operation: 'block', source: undefined, categories: [1] })).expect(201);
    const blocked = await post(aRecord({ operation: 'change', source: undefined, categories: [1] })).expect(201);
    expect(blocked.body.violations).toEqual([expect.objectContaining({ code: 'blocked-data-processed', category: 1 })]);
    expect(await t.written()).toBe(7);
  });

  it("takes an embargo of DERBES_EMBARGO_MAX_DAYS from the local date of occurredAt, the date it ends included, and stores it as sent", async () => {
    await post(aRecord({ embargoUntil: '2027-11-21' })).expect(201);
    // 366 days from the local date (2026-02-01), 367 from the UTC one.
    await post(aRecord({ occurredAt: '2026-01-31T20:00:00Z', embargoUntil: '2027-02-02' })).expect(201);
    expect((await t.writtenEvents()).map((e) => e.data.embargoUntil)).toEqual(['2027-11-21', '2027-02-02']);
  });

  it('keeps to the embargo length configured, refuses every embargo at 0, and writes nothing of a batch with one too long', async () => {
    await t.close();
    t = await startTestApp({ DERBES_EMBARGO_MAX_DAYS: '30' });
    await post(aRecord({ embargoUntil: '2026-12-20' })).expect(201);
    const long = await post(aRecord({ embargoUntil: '2026-12-21' })).expect(400);
    expect(long.body.errors).toEqual([{ field: 'embargoUntil', reason: expect.stringContaining('at most 30 days from it (DERBES_EMBARGO_MAX_DAYS): until 2026-12-20 at the latest') }]);
    const batch = await t.http.post('/v1/processing-records/batch').send({ records: [aRecord(), aRecord({ embargoUntil: '2027-01-15' })] }).expect(400);
    expect(batch.body.errors).toEqual([{ field: 'records[1].embargoUntil', reason: expect.stringContaining('is 56 days after'), index: 1 }]);
    expect(await t.written()).toBe(1);
    await t.close();
    t = await startTestApp({ DERBES_EMBARGO_MAX_DAYS: '0' });
    const none = await post(aRecord({ embargoUntil: '2026-11-21' })).expect(400);
    expect(none.body.errors).toEqual([{ field: 'embargoUntil', reason: 'this ledger takes no embargo (DERBES_EMBARGO_MAX_DAYS is 0): leave embargoUntil out' }]);
    await post(aRecord()).expect(201);
    expect(await t.written()).toBe(1);
  });

  it('treats a transfer to a configured adequate country as grounded', async () => {
    await t.close();
    t = await startTestApp({ DERBES_ADEQUATE_COUNTRIES: 'BY, ru' });
    const res = await post(aRecord({ operation: 'transfer', source: undefined, recipient: { name: 'Agency', country: 'RU' } })).expect(201);
    expect(res.body.violations).toEqual([]);
  });

  describe('rejects malformed records with 400, the field and the reason, and writes nothing', () => {
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['a wrong check digit', { subject: { iin: '791028302729' } }, 'subject.iin', 'rule: check-digit'],
      ['an impossible birth date', { subject: { iin: '790230300000' } }, 'subject.iin', 'rule: birth-date'],
      // Century digit 5: born 2099-12-31, check digit valid; the test clock stands at 2026-11-25.
      ['a birth date in the future', { subject: { iin: '991231500016' } }, 'subject.iin', 'a birth date in the future (2099-12-31, after 2026-11-25) (rule: birth-date)'],
      ['a century digit 0', { subject: { iin: '791028002728' } }, 'subject.iin', 'rule: century-digit'],
      ['eleven digits', { subject: { iin: '79102830272' } }, 'subject.iin', 'rule: format'],
      ['a number IIN', { subject: { iin: 791028302728 } }, 'subject.iin', 'must be a string'],
      ['a never-issued IIN', { subject: { iin: '821214240092' } }, 'subject.iin', 'never issued'],
      ['an unknown operation', { operation: 'sell' }, 'operation', 'must be one of'],
      ['an unknown category number', { categories: [1, 31] }, 'categories[1]', 'unknown category 31'],
      ['an unknown category code', { categories: ['shoe-size'] }, 'categories[0]', 'unknown category "shoe-size"'],
      ['a category as a numeric string', { categories: ['1'] }, 'categories[0]', 'unknown category "1"'],
      ['a repeated category', { categories: [1, 'full-name'] }, 'categories[1]', 'listed twice'],
      ['no categories', { categories: [] }, 'categories', 'at least 1'],
      ['a missing purpose', { purpose: undefined }, 'purpose', 'must be a string'],
      ['an unknown purpose', { purpose: 'P13' }, 'purpose', 'unknown purpose "P13"'],
      ['an unknown field', { colour: 'red' }, 'colour', 'is not a known field'],
      ['an unknown nested field', { actor: { id: 'a', role: 'b', unit: 'c', name: 'Aigerim' } }, 'actor.name', 'is not a known field'],
      ['a missing actor', { actor: undefined }, 'actor', 'should not be null or undefined'],
      ['a bad recordId', { recordId: 'not-a-uuid' }, 'recordId', 'must be a UUID'],
      // The ids the ledger derives for its own events (derivedUuid) are of version 8.
      ["a version-8 recordId (the ledger's own)", { recordId: derivedUuid('q-1/destroy') }, 'recordId', "UUID version 8 is reserved for the ledger's own events"],
      ['a date without a zone', { occurredAt: '2026-11-20T09:30:00' }, 'occurredAt', 'with a time zone'],
      ['a date that does not exist', { occurredAt: '2026-02-30T09:30:00Z' }, 'occurredAt', 'has the date 2026-02-30, which is not a day of the calendar'],
      ['a zone no place has', { occurredAt: '2026-11-20T09:30:00+23:59' }, 'occurredAt', 'not a UTC offset'],
      ['a date in the future', { occurredAt: '2026-11-25T12:06:00Z' }, 'occurredAt', 'in the future'],
      ['a date long ago', { occurredAt: '1899-01-01T00:00:00Z' }, 'occurredAt', 'before 2000-01-01'],
      ['a date a second before 2000', { occurredAt: '1999-12-31T23:59:59Z' }, 'occurredAt', 'before 2000-01-01'],
      ['a date just past the allowed clock skew', { occurredAt: '2026-11-25T12:05:00.001Z' }, 'occurredAt', 'in the future (more than 300 s'],
      ['an embargo on a day the calendar has not', { embargoUntil: '2026-02-30' }, 'embargoUntil', '2026-02-30 is not a calendar date'],
      // Withheld from the subject's report for good: a transfer abroad without a ground would never be shown to them.
      ['an embargo until the end of the calendar', { operation: 'transfer', source: undefined, recipient: { name: 'Agency', country: 'DE' }, embargoUntil: '9999-12-31' },
        'embargoUntil', '9999-12-31 is 2912119 days after the local date of occurredAt (2026-11-20); this ledger allows an embargo of at most 366 days from it (DERBES_EMBARGO_MAX_DAYS): until 2027-11-21 at the latest'],
      ['an embargo a day past the longest', { embargoUntil: '2027-11-22' }, 'embargoUntil', '2027-11-22 is 367 days after the local date of occurredAt (2026-11-20)'],
      ['an embargo ending on the record\'s own local day', { embargoUntil: '2026-11-20' }, 'embargoUntil',
        '2026-11-20 is not after the local date of occurredAt (2026-11-20): an embargo withholds the record until a later day; leave embargoUntil out to withhold nothing'],
      ['an embargo ending before the record, by its local date', { occurredAt: '2026-01-31T20:00:00Z', embargoUntil: '2026-02-01' }, 'embargoUntil',
        'is not after the local date of occurredAt (2026-02-01)'],
      // 20:00Z is already the next day in Kazakhstan (UTC+5): the length counts from that local day.
      ['an embargo a day past the longest from a local date', { occurredAt: '2026-01-31T20:00:00Z', embargoUntil: '2027-02-03' }, 'embargoUntil',
        'is 367 days after the local date of occurredAt (2026-02-01)'],
      ['a transfer ground on collect', { transferGround: { kind: 'consent', reference: 'consent form 12' } }, 'transferGround', 'only allowed with operation transfer, not collect'],
      ['collect without a source', { source: undefined }, 'source', 'required with operation collect'],
      ['a source on access', { operation: 'access' }, 'source', 'only allowed with operation collect'],
      ['transfer without a recipient', { operation: 'transfer', source: undefined }, 'recipient', 'required with operation transfer'],
      ['a recipient on collect', { recipient: { name: 'X', country: 'KZ' } }, 'recipient', 'only allowed with operation transfer'],
      ['an unknown country', { operation: 'transfer', source: undefined, recipient: { name: 'X', country: 'XX' } }, 'recipient.country', 'not an ISO 3166-1'],
      ['a region, not a country', { operation: 'transfer', source: undefined, recipient: { name: 'X', country: 'EU' } }, 'recipient.country', 'EU is not an ISO 3166-1'],
      ['a retired country code', { operation: 'transfer', source: undefined, recipient: { name: 'X', country: 'SU' } }, 'recipient.country', 'SU is not an ISO 3166-1'],
      ['a lowercase country', { operation: 'transfer', source: undefined, recipient: { name: 'X', country: 'kz' } }, 'recipient.country', 'ISO 3166-1 alpha-2'],
      ['an unknown source kind', { source: { kind: 'rumour' } }, 'source.kind', 'must be one of'],
      ['an IIN in the note', { note: `call about ${OTHER_IIN}` }, 'note', 'must not contain an IIN'],
      // The record id becomes the event's id: the subject's own IIN as its last group, or across its groups.
      ["the subject's IIN as the recordId's last group", { recordId: `00000000-0000-4000-8000-${IIN}` }, 'recordId', "must not contain the subject's IIN"],
      ["the subject's IIN across the recordId's groups", { recordId: `${IIN.slice(0, 8)}-${IIN.slice(8)}-4000-8000-000000000000` }, 'recordId', "must not contain the subject's IIN"],
      // Digits of other scripts only look like 0-9: a code may not have them, an IIN written in them included.
      ['an IIN in fullwidth digits as the actor', { actor: { id: '８５０３１５３１００１６', role: 'r', unit: 'u' } }, 'actor.id', 'must write numbers with the digits 0-9 only'],
      ['an IIN split by a space in the note', { note: 'employee 850315 310016' }, 'note', 'must not contain an IIN'],
      ['an IIN as the system', { system: '850315310016' }, 'system', 'must not contain an IIN'],
      ['an IIN split by _ in the actor id', { actor: { id: '791028_302728', role: 'r', unit: 'u' } }, 'actor.id', 'must not contain an IIN'],
      ['an IIN split by : in the unit', { actor: { id: 'a', role: 'r', unit: '791028:302728' } }, 'actor.unit', 'must not contain an IIN'],
      ['an IIN split by @ in the role', { actor: { id: 'a', role: 'iin@791028@302728', unit: 'u' } }, 'actor.role', 'must not contain an IIN'],
      ['an IIN split by _ in the system', { system: 'x_791028_302728' }, 'system', 'must not contain an IIN'],
      // The texts sealed with the subject's key are no place for another person's IIN either.
      ['an IIN in a third party\'s name', { source: { kind: 'third-party', name: `relative ${OTHER_IIN}` } }, 'source.name', 'must not contain an IIN'],
      ['an IIN in a recipient\'s name', { operation: 'transfer', source: undefined, recipient: { name: `Agency ${OTHER_IIN}`, country: 'KZ' } }, 'recipient.name', 'must not contain an IIN'],
      ['an IIN in a transfer ground\'s reference', { operation: 'transfer', source: undefined, recipient: { name: 'Agency', country: 'DE' }, transferGround: { kind: 'consent', reference: `consent of ${OTHER_IIN}` } },
        'transferGround.reference', 'must not contain an IIN'],
      ['a lone surrogate in the note', { note: 'abc\ud800def' }, 'note', 'lone UTF-16 surrogate'],
      ['a lone surrogate in a source name', { source: { kind: 'third-party', name: 'Fund \udfff' } }, 'source.name', 'lone UTF-16 surrogate'],
      ['a control character in the note', { note: 'a\u0000b' }, 'note', 'control characters'],
      ['a bidirectional override in the note', { note: 'Acme \u202e' }, 'note', 'bidirectional overrides'],
      ['a Unicode line separator in the note', { note: 'a\u2028b' }, 'note', 'control characters'],
      ['a system with spaces', { system: 'hr portal' }, 'system', 'lowercase code'],
      // Codes that look like another: each would pass for the staff member hr-17 in what officials and subjects read.
      ['an actor id with a Cyrillic г among Latin letters', { actor: { id: 'hг-17', role: 'hr-specialist', unit: 'personnel-management' } }, 'actor.id',
        'must not mix scripts in one word: "hг" has Latin and Cyrillic letters'],
      ['an actor id with a Cyrillic һ among Latin letters', { actor: { id: 'һr-17', role: 'hr-specialist', unit: 'personnel-management' } }, 'actor.id',
        'must not mix scripts in one word: "һr" has Cyrillic and Latin letters'],
      ['a role with a Greek ο', { actor: { id: 'hr-17', role: 'hr-specialist-rοle', unit: 'personnel-management' } }, 'actor.role', '"rοle" has Latin and Greek letters'],
      ['a unit with a decomposed é', { actor: { id: 'hr-17', role: 'hr-specialist', unit: 'cafe\u0301' } }, 'actor.unit', 'must be in Unicode NFC form'],
      ['an actor id with a fullwidth ｈ', { actor: { id: 'ｈr-17', role: 'hr-specialist', unit: 'personnel-management' } }, 'actor.id', 'must not contain compatibility forms'],
      ['an actor id with an invisible Hangul filler', { actor: { id: 'hr-17\u115F', role: 'hr-specialist', unit: 'personnel-management' } }, 'actor.id', 'must not contain invisible letters'],
      // The codes the ledger records for itself: the report and the console would show the system's act as the person's own or the ledger's.
      ['the data subject as the actor', { actor: { id: 'data-subject', role: 'data-subject', unit: 'self' } }, 'actor.unit', '"self" is a code the ledger records for itself'],
      ["the data subject's id, in capitals", { actor: { id: 'Data-Subject', role: 'hr-specialist', unit: 'personnel-management' } }, 'actor.id', 'records for itself'],
      ["the ledger's id", { actor: { id: 'derbes', role: 'hr-specialist', unit: 'personnel-management' } }, 'actor.id', 'records for itself'],
      ["the data subject's role", { actor: { id: 'hr-17', role: 'data-subject', unit: 'personnel-management' } }, 'actor.role', 'records for itself'],
      ["the data subject's unit", { actor: { id: 'hr-17', role: 'hr-specialist', unit: 'SELF' } }, 'actor.unit', 'records for itself'],
      ["the ledger's unit", { actor: { id: 'hr-17', role: 'hr-specialist', unit: 'derbes' } }, 'actor.unit', 'records for itself'],
      // Blank would pass for a consent reference: the transfer abroad would lose its flag.
      ...[' ', '\u00a0', '\u200b', '\u3000', '\t', ' \u200e ', '\u3164', '\u00ad', '\u2800', '\u034f', '\ufe0f'].map((blank): [string, Record<string, unknown>, string, string] => [
        `a transfer ground's reference of nothing but ${JSON.stringify(blank)}`,
        { operation: 'transfer', source: undefined, recipient: { name: 'Agency', country: 'DE' }, transferGround: { kind: 'consent', reference: blank } },
        'transferGround.reference', 'must contain a visible character'],
      ),
      // Names that look like another: "Kazpost", "Kazpost" with a zero-width space and "Kаzpost" with a Cyrillic а would be three recipients.
      ['a recipient name with a zero-width space', { operation: 'transfer', source: undefined, recipient: { name: 'Kazpost\u200b', country: 'KZ' } }, 'recipient.name',
        'must not contain invisible characters: U+200B at character 8'],
      ['a recipient name with a Cyrillic а among Latin letters', { operation: 'transfer', source: undefined, recipient: { name: 'Kаzpost', country: 'KZ' } }, 'recipient.name',
        'must not mix scripts in one word: "Kаzpost" has Latin and Cyrillic letters'],
      ["a person recipient's name with a Latin a among Cyrillic letters", { operation: 'transfer', source: undefined, recipient: { name: 'Aйгерим Сапарова', country: 'KZ', kind: 'person' } },
        'recipient.name', 'must not mix scripts in one word: "Aйгерим" has Latin and Cyrillic letters'],
      ['a recipient name with a soft hyphen', { operation: 'transfer', source: undefined, recipient: { name: 'Kaz\u00adpost', country: 'KZ' } }, 'recipient.name', 'U+00AD'],
      ['a source name with a zero-width joiner', { source: { kind: 'third-party', name: 'АО «Қаз\u200dпошта»' } }, 'source.name', 'must not contain invisible characters: U+200D'],
      ['a source name with a word joiner', { source: { kind: 'state-database', name: 'State database\u2060 "Individuals"' } }, 'source.name', 'U+2060'],
      ['a source name with a Cyrillic о among Latin letters', { source: { kind: 'third-party', name: 'Kazpоst' } }, 'source.name', 'must not mix scripts in one word'],
      ['a source name with a decomposed é', { source: { kind: 'third-party', name: 'Cafe\u0301 Astana' } }, 'source.name', 'must be in Unicode NFC form'],
      ['a blank recipient name', { operation: 'transfer', source: undefined, recipient: { name: '\u2003', country: 'KZ' } }, 'recipient.name', 'must contain a visible character'],
      ['a blank source name', { source: { kind: 'third-party', name: '  ' } }, 'source.name', 'must contain a visible character'],
    ];
    it.each(cases)('%s', async (_name, overrides, field, reason) => {
      const res = await post(aRecord(overrides)).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'invalid_request', correlationId: expect.any(String) });
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason: expect.stringContaining(reason) })]));
      expect(res.body.message).toContain(res.body.errors[0].field);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
      expect(await t.written()).toBe(0);
    });

    it('lists every problem of a record, not just the first', async () => {
      const res = await post(aRecord({ subject: { iin: '1' }, purpose: 'P99', categories: [99] })).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['categories[0]', 'purpose', 'subject.iin']);
    });

    it('never echoes an IIN it was sent: the error names the field and the reason with the IIN masked', async () => {
      // Both are valid IINs: one sent as a category, one as the name of an unknown key, at the top and nested.
      const category = await post(aRecord({ categories: ['770707443318'] })).expect(400);
      expect(category.body.errors).toEqual([{ field: 'categories[0]', reason: 'unknown category "7**********8": use the order\'s number or its code' }]);
      expect(category.body.message).toBe('categories[0]: unknown category "7**********8": use the order\'s number or its code');
      const key = await post({ ...aRecord({ subject: { iin: IIN, '850808343306': 1 } }), x850808343306: 1 }).expect(400);
      expect(key.body.errors).toEqual([{ field: 'x8**********6', reason: 'is not a known field' }, { field: 'subject[8**********6]', reason: 'is not a known field' }]);
      for (const res of [category, key]) expect(JSON.stringify(res.body)).not.toMatch(/770707443318|850808343306/);
    });

    it('lists at most 100 errors, and says how many more there were', async () => {
      const body = aRecord();
      for (let i = 0; i < 900; i++) body[`unknown${i}`] = i;
      const res = await post(body).expect(400);
      expect(res.body.errors).toHaveLength(101);
      expect(res.body.errors.slice(0, 2)).toEqual([{ field: 'unknown0', reason: 'is not a known field' }, { field: 'unknown1', reason: 'is not a known field' }]);
      expect(res.body.errors[100]).toEqual({ field: '(more)', reason: '800 more errors, not listed' });
      expect(res.body.message).toBe('unknown0: is not a known field (and 899 more)');
    });

    it('refuses an object of more than 1,000 members at once, before validating any of them', async () => {
      const body = aRecord();
      for (let i = 0; i < 5000; i++) body[`unknown${i}`] = i;
      const res = await post(body).expect(400);
      expect(res.body.errors).toEqual([{ field: '(body)', reason: expect.stringMatching(/^has 50\d\d members; an object of this API has at most 1000$/) }]);
      const nested = await post(aRecord({ subject: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i])) })).expect(400);
      expect(nested.body.errors).toEqual([{ field: 'subject', reason: 'has 1001 members; an object of this API has at most 1000' }]);
    });

    it('answers invalid JSON, a wrong content type, a __proto__ key and a huge body in the same shape', async () => {
      const bad = await t.http.post('/v1/processing-records').set('content-type', 'application/json').send('{"recordId": ').expect(400);
      expect(bad.body).toMatchObject({ statusCode: 400, code: 'invalid_request', correlationId: expect.any(String) });
      const proto = await t.http.post('/v1/processing-records').set('content-type', 'application/json')
        .send(JSON.stringify(aRecord()).replace('{', '{"__proto__":{"admin":true},')).expect(400);
      expect(proto.body.code).toBe('invalid_request');
      const text = await t.http.post('/v1/processing-records').set('content-type', 'text/plain').send('hello').expect(415);
      expect(text.body).toMatchObject({ statusCode: 415, code: 'unsupported_media_type' });
      const huge = await post(aRecord({ note: 'x'.repeat(5 * 1024 * 1024) })).expect(413);
      expect(huge.body).toMatchObject({ statusCode: 413, code: 'payload_too_large' });
      const array = await post([aRecord()]).expect(400);
      expect(array.body.code).toBe('invalid_request');
      expect(await t.written()).toBe(0);
      expect(bad.body.errors).toEqual([{ field: '(body)', reason: 'is not valid JSON: it ends before the value is complete' }]);
      expect(proto.body.errors).toEqual([{ field: '__proto__', reason: 'is not a known field' }]);
    });

    it('refuses a compressed body or a charset other than UTF-8 with a 415 that says so, and takes charset=UTF-8', async () => {
      const text = JSON.stringify(aRecord());
      const gzip = await t.http.post('/v1/processing-records').set('content-type', 'application/json').set('content-encoding', 'gzip').send(gzipSync(text)).expect(415);
      expect(gzip.body).toMatchObject({ code: 'unsupported_media_type', errors: [{ field: 'content-encoding', reason: '"gzip" is not taken: send the JSON as it is, with no content coding' }] });
      const utf16 = await t.http.post('/v1/processing-records').set('content-type', 'application/json; charset=utf-16').send(text).expect(415);
      expect(utf16.body.errors).toEqual([{ field: 'content-type', reason: 'charset "utf-16" is not taken: JSON is UTF-8' }]);
      expect(await t.written()).toBe(0);
      await t.http.post('/v1/processing-records').set('content-type', 'application/json; charset="UTF-8"').set('content-encoding', '').send(text).expect(201);
    });

    it('refuses a member given twice (JSON.parse keeps the last, a reader in front may take the first), writing nothing', async () => {
      const send = (path: string, text: string) => t.http.post(path).set('content-type', 'application/json').send(text).expect(400);
      const twice = await send('/v1/processing-records', JSON.stringify(aRecord()).replace(`{"iin":"${IIN}"}`, `{"iin":"${IIN}","iin":"${OTHER_IIN}"}`));
      expect(twice.body.errors).toEqual([{ field: 'subject.iin', reason: 'is given twice in its object; each member once' }]);
      const batch = JSON.stringify({ records: [aRecord(), aRecord()] }).replace(/"purpose":"P01"(?![\s\S]*"purpose":"P01")/, '"purpose":"P01","purpose":"P05"');
      const inBatch = await send('/v1/processing-records/batch', batch);
      expect(inBatch.body.errors).toEqual([{ field: 'records[1].purpose', reason: 'is given twice in its object; each member once', index: 1 }]);
      expect(await t.written()).toBe(0);
    });
  });

  it('never stores the raw IIN anywhere in the log', async () => {
    await post(aRecord()).expect(201);
    await post(aRecord({ subject: { iin: OTHER_IIN } })).expect(201);
    const all = JSON.stringify(await t.writtenEvents());
    expect(all).not.toContain(IIN);
    expect(all).not.toContain(OTHER_IIN);
  });

  it('keeps every one of many concurrent records about one subject, each once', async () => {
    const records = Array.from({ length: 40 }, () => aRecord({ operation: 'access', source: undefined, categories: [1] }));
    const responses = await Promise.all(records.map((r) => post(r)));
    expect(responses.map((r) => r.status)).toEqual(records.map(() => 201));
    const revisions = responses.map((r) => r.body.streamRevision).sort((a: number, b: number) => a - b);
    expect(revisions).toEqual(records.map((_, i) => i));
    const stored = await t.writtenEvents();
    expect(stored.map((e) => e.id).sort()).toEqual(records.map((r) => r.recordId).sort());
    // Repeating them all at once doubles nothing.
    const again = await Promise.all(records.map((r) => post(r)));
    expect(again.map((r) => r.status)).toEqual(records.map(() => 200));
    expect(await t.written()).toBe(40);
  });

  it('answers 503 when the store cannot take writes, and keeps answering', async () => {
    await t.store.close();
    const res = await post(aRecord()).expect(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'store_unavailable', message: expect.stringContaining('nothing was recorded') });
    expect(res.headers['retry-after']).toBe('1');
    await t.http.get('/v1/register/current').expect(200);
  });

  it('answers unknown routes in the error shape', async () => {
    const res = await t.http.get('/v1/nothing-here').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'not_found' });
  });

  it('uses a well-formed client correlation id and makes one up otherwise', async () => {
    const given = await post(aRecord()).set('x-correlation-id', 'payroll-batch-17').expect(201);
    expect(given.headers['x-correlation-id']).toBe('payroll-batch-17');
    const odd = await post(aRecord()).set('x-correlation-id', 'bad id with spaces').expect(201);
    expect(odd.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    // One holding an IIN, its digits split by any character a correlation id may have, is neither echoed nor stored.
    for (const id of ['iin_791028_302728', '791028:302728', 'x.791028-302728']) {
      const res = await post(aRecord()).set('x-correlation-id', id).expect(201);
      expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(JSON.stringify(await t.writtenEvents())).not.toMatch(/791028.?302728/);
  });

  it("answers requests Node's HTTP parser refuses in the one error shape, with a correlation id", async () => {
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const raw = (request: string) => new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(request));
      let answer = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk)).on('close', () => resolve(answer)).on('error', reject);
    });
    const parse = (answer: string) => {
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      return { status: Number(head.split(' ')[1]), head: head.toLowerCase(), body: JSON.parse(body) as Record<string, unknown> };
    };
    const record = JSON.stringify(aRecord());
    const cases: [string, string, number, string][] = [
      ['Content-Length with Transfer-Encoding', `POST /v1/processing-records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${record.length}\r\nTransfer-Encoding: chunked\r\n\r\n${record}`, 400, 'invalid_request'],
      ['a header name with a space', 'GET /v1/register HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n', 400, 'invalid_request'],
      ['headers over the size limit', `GET /v1/register HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'header_too_large'],
    ];
    for (const [name, request, status, code] of cases) {
      const answer = parse(await raw(request));
      expect([name, answer.status]).toEqual([name, status]);
      expect(answer.body).toEqual({
        statusCode: status, error: status === 400 ? 'Bad Request' : 'Request Header Fields Too Large', code, message: expect.any(String),
        errors: [expect.objectContaining({ field: status === 400 ? '(request)' : '(headers)' })], correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(answer.head).toContain(`x-correlation-id: ${answer.body.correlationId as string}`);
      expect(answer.head).toContain('content-type: application/json');
    }
    expect(await t.written()).toBe(0);
  });

  it('takes occurredAt at its limits: 2000-01-01T00:00:00Z, and the clock skew (300 s) ahead of the ledger\'s clock', async () => {
    // The test clock stands at 2026-11-25T12:00:00Z; a source system's clock may run a little ahead of it.
    await post(aRecord({ occurredAt: '2000-01-01T00:00:00Z' })).expect(201);
    await post(aRecord({ occurredAt: '2026-11-25T12:04:59Z' })).expect(201);
    await post(aRecord({ occurredAt: '2026-11-25T12:05:00Z' })).expect(201);
    expect(await t.written()).toBe(3);
  });

  it('keeps an upper-case recordId in lower case, so that its repeat in lower case is the same record, stored once', async () => {
    const record = aRecord();
    const upper = String(record.recordId).toUpperCase();
    const first = await post({ ...record, recordId: upper }).expect(201);
    expect(first.body).toMatchObject({ recordId: record.recordId, eventId: record.recordId });
    const again = await post(record).expect(200);
    expect(again.body).toEqual({ ...first.body, status: 'duplicate' });
    expect(await t.written()).toBe(1);
  });

  it("takes a recipient given without a kind as an organization, whose name is not sealed", async () => {
    await post(aRecord({ operation: 'transfer', source: undefined, note: undefined, recipient: { name: 'Agency', country: 'KZ' } })).expect(201);
    const [event] = await t.writtenEvents();
    expect(event?.data).toMatchObject({ recipient: { name: 'Agency', country: 'KZ', kind: 'organization' } });
  });

  it("seals a consent reference or a third party's name that is a record's only text (no note)", async () => {
    await post(aRecord({ note: undefined, source: { kind: 'third-party', name: 'Aigerim Bekova' } })).expect(201);
    await post(aRecord({ operation: 'transfer', source: undefined, note: undefined, recipient: { name: 'Agency', country: 'DE' },
      transferGround: { kind: 'consent', reference: 'consent form 12' } })).expect(201);
    const [collected, transferred] = await t.writtenEvents();
    expect(collected?.data).toMatchObject({ note: null, source: { kind: 'third-party', name: expect.stringMatching(/^sealed:v1:1:/) } });
    expect(transferred?.data).toMatchObject({ note: null, transferGround: { kind: 'consent', reference: expect.stringMatching(/^sealed:v1:1:/) } });
  });

  it('takes a record with no optional fields', async () => {
    const res = await post(aRecord({ operation: 'access', source: undefined, note: undefined, recordId: uuid() })).expect(201);
    expect(res.body.violations).toEqual([]);
    const [event] = await t.writtenEvents();
    expect(event?.data).toMatchObject({ source: null, recipient: null, transferGround: null, note: null, crossBorder: false });
  });
});

describe('POST /v1/processing-records, a record stored by an earlier version sent again', () => {
  it('answers the repeat in the current shape: a v4 state violation gets the since its detail gave', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-v4-'));
    const t = await startTestApp({ DERBES_EVENT_STORE: join(dir, 'events.db') });
    try {
      await t.http.post('/v1/processing-records').send(aRecord({ operation: 'block', categories: [1], source: undefined, occurredAt: '2026-11-18T09:30:00Z' })).expect(201);
      const access = aRecord({ operation: 'access', categories: [1], source: undefined });
      const first = await t.http.post('/v1/processing-records').send(access).expect(201);
      expect(first.body.violations).toEqual([{ code: 'blocked-data-processed', category: 1, since: '2026-11-18T09:30:00.000Z', detail: expect.stringMatching(/blocked since 2026-11-18T09:30:00.000Z$/) }]);
      // The same event as v4 wrote it: no since of its own, only the time at the end of its detail.
      const db = new Database(join(dir, 'events.db'));
      db.prepare(`UPDATE events SET data = json_remove(data, '$.violations[0].since'), metadata = json_set(metadata, '$.schemaVersion', 4) WHERE event_id = ?`).run(access.recordId);
      expect(JSON.parse(db.prepare('SELECT data FROM events WHERE event_id = ?').pluck().get(access.recordId) as string).violations[0].since).toBeUndefined();
      db.close();
      const again = await t.http.post('/v1/processing-records').send(access).expect(200);
      expect(again.body).toEqual({ ...first.body, status: 'duplicate' });
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
