import { generateKeyPairSync } from 'node:crypto';
import { chainHash, eventLeafHash, inclusionProof, keyIdOf, merkleRoot, signReport, signTreeHead, verifyReport, type CanonicalEvent } from '@derbes/integrity';
import { upcastSubjectEvent } from '@derbes/ledger';
import { BUILT_IN_REGISTERS, RegisterCatalog } from '@derbes/register';
import { buildAccessReport, type IdentifiedSubjectEvent } from './access-report.builder';
import { checkReportSummary } from './report-summary-check';
import { DEFAULT_HOW_TO_REQUEST } from './spec-helpers';
import type { AccessReport, ReportLanguage } from './access-report.model';

const SUBJECT = 'b'.repeat(64);
const STREAM = `subject-${SUBJECT}`;
const keys = generateKeyPairSync('ed25519');
const NOW = new Date('2026-11-25T12:00:00Z');
const HR = { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' };
const REGISTER = { id: 'mineco-328-O', version: 1, order: '328-Ө' };

let records = 0;
const record = (version: number, more: Record<string, unknown>): [string, Record<string, unknown>, number] => ['ProcessingRecorded', {
  recordId: `r-${++records}`, subjectId: SUBJECT, operation: 'collect', categories: [{ number: 1, slug: 'full-name' }],
  purpose: { code: 'P01', slug: 'staffing', clause: 1 }, register: REGISTER, legalBasis: [], actor: HR, system: 'hr-portal',
  occurredAt: '2026-02-01T09:00:00.000Z', source: null, recipient: null, crossBorder: false, transferGround: null, note: null, violations: [],
  ...(version >= 2 ? { embargoUntil: null, subjectMask: '7**********8', requestId: null } : {}),
  ...(version >= 4 ? { sourceSequence: null } : {}),
  ...more,
}, version];

/**
 * A subject's stream as stored, of every kind a report shows: a version-1 record (no requestId), a transfer abroad
 * to a person (sealed name) with a consent, a record flagged twice for one rule, an embargoed access, a request
 * re-timed and answered with its blocking record, a read of the file, and last the report's own read.
 */
const SPECS: [string, Record<string, unknown>, number][] = [
  record(1, { source: { kind: 'subject' }, categories: [{ number: 1, slug: 'full-name' }, { number: 2, slug: 'iin' }] }),
  record(5, { source: { kind: 'third-party', name: 'sealed:v1:1:AGENCY-A' }, occurredAt: '2026-02-02T09:00:00.000Z' }),
  record(5, { source: { kind: 'third-party', name: 'sealed:v1:1:AGENCY-B' }, occurredAt: '2026-02-03T09:00:00.000Z' }),
  record(5, {
    operation: 'transfer', occurredAt: '2026-03-01T09:00:00.000Z', purpose: { code: 'P05', slug: 'pensions', clause: 5 },
    recipient: { name: 'sealed:v1:1:PERSON', country: 'DE', kind: 'person' }, crossBorder: true,
    transferGround: { kind: 'consent', reference: 'consent 14/2026' },
  }),
  record(5, {
    operation: 'access', occurredAt: '2026-03-05T09:00:00.000Z', categories: [{ number: 1, slug: 'full-name' }, { number: 4, slug: 'birth' }],
    violations: [
      { code: 'category-not-in-register', category: 1, detail: 'a' }, { code: 'category-not-in-register', category: 4, detail: 'b' },
      { code: 'purpose-not-approved-for-category', category: 4, detail: 'c' },
    ],
  }),
  record(5, { operation: 'access', occurredAt: '2026-03-10T09:00:00.000Z', embargoUntil: '2027-01-15' }),
  ['SubjectRequestReceived', {
    requestId: 'q-1', subjectId: SUBJECT, subjectMask: '7**********8', kind: 'blocking', channel: 'post', receivedAt: '2026-04-01T04:00:00.000Z',
    registeredBy: HR, categories: [{ number: 2, slug: 'iin' }], detail: null, deadline: { date: '2026-04-08', workingDays: 5, coverage: 'verified' },
  }, 2],
  ['SubjectRequestRetimed', { requestId: 'q-1', subjectId: SUBJECT, retimedAt: '2026-04-02T04:00:00.000Z', deadline: { date: '2026-04-09', coverage: 'projected' }, reason: 'calendar' }, 1],
  record(5, { operation: 'block', occurredAt: '2026-04-03T09:00:00.000Z', categories: [{ number: 2, slug: 'iin' }], requestId: 'q-1' }),
  ['SubjectRequestAnswered', {
    requestId: 'q-1', subjectId: SUBJECT, answeredAt: '2026-04-03T10:00:00.000Z', answeredBy: HR, records: [], report: null, note: null,
    deadline: '2026-04-09', late: false, workingDaysLate: 0,
  }, 2],
  ['SubjectFileRead', {
    readId: 'read-1', subjectId: SUBJECT, view: 'GET /v1/subjects/{subjectId}/history', categories: [{ number: 1, slug: 'full-name' }],
    purpose: { code: 'OVERSIGHT', slug: 'oversight' }, actor: { id: 'ic-3', role: 'auditor', unit: 'internal-control' }, occurredAt: '2026-05-01T09:00:00.000Z',
  }, 1],
  ['SubjectFileRead', {
    readId: 'read-2', subjectId: SUBJECT, view: 'GET /v1/access-report/{token} (en, json)', categories: [{ number: 1, slug: 'full-name' }],
    purpose: { code: 'SUBJECT-RIGHTS', slug: 'subject-rights' }, actor: { id: 'data-subject', role: 'data-subject', unit: 'self' },
    occurredAt: NOW.toISOString(),
  }, 1],
];

/** The report as the ledger makes it from that stream: stored forms, chain, a signed head over a log and the proof. */
function report(language: ReportLanguage, showActors: boolean, specs = SPECS): AccessReport {
  const stream: CanonicalEvent[] = [];
  const log: CanonicalEvent[] = [];
  let previousHash: string | null = null;
  for (const [i, [type, data, schemaVersion]] of specs.entries()) {
    log.push({ id: `other-${log.length}`, type: 'ProcessingRecorded', streamId: 'subject-other', revision: i, position: log.length + 1, data: {}, metadata: {}, created: NOW.toISOString() });
    const event: CanonicalEvent = {
      id: `e${i}`, type, streamId: STREAM, revision: i, position: log.length + 1, data: data as CanonicalEvent['data'],
      metadata: { schemaVersion, previousHash }, created: NOW.toISOString(),
    };
    previousHash = chainHash(event);
    stream.push(event);
    log.push(event);
  }
  const events: IdentifiedSubjectEvent[] = stream.map((e) => ({ ...upcastSubjectEvent(e.type, e.data, e.metadata)!, id: e.id }));
  const last = stream.at(-1)!;
  const leaves = log.map(eventLeafHash);
  const head = signTreeHead({ treeSize: log.length, rootHash: merkleRoot(leaves) }, NOW, { keyId: keyIdOf(keys.publicKey), privateKey: keys.privateKey });
  return buildAccessReport({
    subjectId: SUBJECT, events, catalog: new RegisterCatalog(BUILT_IN_REGISTERS), owner: 'mineco', language, now: NOW, utcOffsetMinutes: 300,
    showActors, showWithheld: true, howToRequest: DEFAULT_HOW_TO_REQUEST, unseal: (_s, _f, value) => (value === 'sealed:v1:1:PERSON' ? 'Aigerim Bekova' : value.startsWith('sealed:v1:1:AGENCY') ? 'ҚР ІІМ'
      : value === 'sealed:v1:1:REASON' ? 'an investigation of the personnel file' : value),
    integrity: {
      stream, treeHeadSource: 'latest', treeHead: { ...head, position: log.length + 1 },
      inclusion: {
        eventId: last.id, leafIndex: last.position - 1, treeSize: log.length, leafHash: eventLeafHash(last).toString('hex'),
        proof: inclusionProof(last.position - 1, leaves).map((p) => p.toString('hex')),
      },
      proofs: new Map(stream.map((e) => [e.id, { leafIndex: e.position - 1, proof: inclusionProof(e.position - 1, leaves).map((p) => p.toString('hex')) }])),
    },
  });
}

// Signed as the ledger signs what the builder made (AccessReports): these tests check what it signs against its events.
const verify = (r: object) => verifyReport(JSON.parse(JSON.stringify(signReport(r, { keyId: keyIdOf(keys.publicKey), privateKey: keys.privateKey }))), [keys.publicKey]);

describe('the access report as built, checked by verify-report', () => {
  it.each<[ReportLanguage, boolean]>([['kk', false], ['ru', true], ['en', false]])('verifies every row of a %s report (ids shown: %s)', (language, showActors) => {
    const r = report(language, showActors);
    expect(r.events.map((e) => e.operation)).toEqual(['collect', 'collect', 'collect', 'transfer', 'access', 'block', 'read', 'read']);
    expect([r.transfers.length, r.violations.length, r.requests.length, r.withheld?.count]).toEqual([1, 1, 1, 1]);
    expect(verify(r)).toMatchObject({ ok: true });
  });

  // The rights section is the ledger's data and configuration, which no event records: the whole-report signature
  // is what binds it, so a contact or a deadline changed after signing fails there.
  it('verifies a report with its rights section, and fails one whose rights were changed after signing', () => {
    const r = report('en', false);
    expect(r.rights.items.length).toBeGreaterThan(5);
    const signed = JSON.parse(JSON.stringify(signReport(r, { keyId: keyIdOf(keys.publicKey), privateKey: keys.privateKey })));
    expect(verifyReport(signed, [keys.publicKey])).toMatchObject({ ok: true });
    for (const alter of [(x: any) => (x.rights.contact = 'someone else'), (x: any) => (x.rights.deadlines[0].workingDays = 30), (x: any) => (x.rights.items[0].verified = true),
      (x: any) => (x.rights.deadlines[1].verified = true), (x: any) => (x.rights.deadlines[5].basis = 'law'), (x: any) => (x.rights.counting.verified = true)]) {
      const copy = structuredClone(signed);
      alter(copy);
      expect(verifyReport(copy, [keys.publicKey])).toMatchObject({ ok: false, code: 'bad-signature' });
    }
  });

  it('proves each shown event before a withheld one in the signed tree, and only those', () => {
    const r = report('en', false);
    const withheldAt = r.integrity!.chain.findIndex((e) => e.withheld);
    expect(withheldAt).toBe(5);
    expect(r.integrity!.chain.map((e) => e.inclusion !== undefined)).toEqual(r.integrity!.chain.map((_e, i) => i < withheldAt));
  });

  // A withheld entry shows its hashes only: nothing recomputable binds its link to the entry before. An event before
  // it, altered with its chain hash recomputed and the withheld entry relinked to that, used to pass.
  it('fails an event before a withheld entry that was altered and relinked, by its own proof', () => {
    const r = JSON.parse(JSON.stringify(report("en", false))) as { integrity: { chain: Record<string, any>[] }; events: Mutable["events"]; violations: unknown[] };
    const chain = r.integrity.chain;
    const flagged = chain[4]!;
    flagged.event.data.violations = [];
    flagged.chainHash = chainHash(flagged.event as CanonicalEvent);
    chain[5]!.previousHash = flagged.chainHash;
    r.events[4]!.violations = [];
    r.violations = [];
    expect(verify(r)).toMatchObject({ ok: false, code: 'inclusion-failed', reason: expect.stringContaining('chain entry 4') });
    delete flagged.inclusion;
    expect(verify(r)).toMatchObject({ ok: false, code: 'inclusion-failed', reason: expect.stringContaining('carries no inclusion proof') });
  });

  // Reports made before version 5 carried no such proofs, and verified then: they still do, and the verdict counts
  // the events bound by the chain alone. A report of version 5 without them fails (above).
  it('checks a report made before version 5 as it was then, counting the shown events before a withheld entry it cannot bind', () => {
    const r = JSON.parse(JSON.stringify(report('en', false))) as { schemaVersion: number; integrity: { chain: Record<string, unknown>[] }; violations: Record<string, unknown>[] };
    for (const entry of r.integrity.chain) delete entry.inclusion;
    expect(verify(r)).toMatchObject({ ok: false, code: 'inclusion-failed' });
    r.schemaVersion = 4;
    expect(verify(r)).toMatchObject({ ok: false, code: 'row-mismatch', reason: expect.stringContaining('violations[0].codes shows nothing') });
    // As version 4 showed a violation: its codes, each once, beside all the record's categories.
    for (const row of r.violations) row.codes = ['category-not-in-register', 'purpose-not-approved-for-category'];
    for (const row of r.violations) delete row.reasons;
    expect(verify(r)).toMatchObject({ ok: true, summary: { withheld: 1, unprovedBeforeWithheld: 5 } });
    expect(verify(report('en', false))).toMatchObject({ ok: true, summary: { unprovedBeforeWithheld: 0 } });
  });

  it.each<[string, (r: Mutable) => void, string]>([
    ['categories', (r) => r.events[0]!.categories.pop(), 'events[0].categories'],
    ['purpose', (r) => (r.events[0]!.purpose.code = 'P02'), 'events[0].purpose.code'],
    ['unit', (r) => (r.events[3]!.unit = 'internal-control'), 'events[3].unit'],
    ['role', (r) => (r.events[3]!.role = 'auditor'), 'events[3].role'],
    ['violations', (r) => (r.events[4]!.violations = ['category-not-in-register']), 'events[4].violations'],
    ["role of a read", (r) => (r.events[6]!.role = 'hr-specialist'), 'events[6].role'],
    ['country of a transfer', (r) => (r.transfers[0]!.country = 'KZ'), 'transfers[0].country'],
    ['ground of a transfer', (r) => (r.transfers[0]!.ground!.reference = 'treaty 1'), 'transfers[0].ground'],
    ['category a violation concerns', (r) => (r.violations[0]!.reasons[2]!.category = 1), 'violations[0].reasons'],
    ['deadline of a re-timed request', (r) => (r.requests[0]!.deadline = '2026-04-08'), 'requests[0].deadline'],
    ['how sure a re-timed deadline is', (r) => (r.requests[0]!.deadlineCoverage = 'verified'), 'requests[0].deadlineCoverage'],
    ['status of a request', (r) => (r.requests[0]!.status = 'refused'), 'requests[0].status'],
    ['lateness of a request', (r) => Object.assign(r.requests[0]!, { late: true, workingDaysLate: 2 }), 'requests[0].late'],
  ])('names the row and field when the %s is altered', (_what, mutate, field) => {
    const r = structuredClone(report('en', true)) as Mutable;
    mutate(r);
    expect(verify(r)).toMatchObject({ ok: false, code: 'row-mismatch', reason: expect.stringContaining(`${field} shows`) });
  });

  // Record 4 is flagged for categories 1 and 4, the purpose for 4 only; a later record, stored as v4 did, for the
  // blocked category 2 only, since when written at the end of its detail.
  it('gives each reason of a violation with the category it concerns, and since when, and verifies them', () => {
    const specs = [
      ...SPECS.slice(0, -1),
      record(4, {
        operation: 'access', occurredAt: '2026-04-10T09:00:00.000Z', categories: [{ number: 1, slug: 'full-name' }, { number: 2, slug: 'iin' }],
        violations: [{ code: 'blocked-data-processed', category: 2, detail: 'access of category 2 (iin), blocked since 2026-04-03T09:00:00.000Z' }],
      }),
      SPECS.at(-1)!,
    ];
    const r = report('en', false, specs);
    expect(r.violations.map((v) => ({ categories: v.categories.map((c) => c.number), reasons: v.reasons }))).toEqual([
      {
        categories: [1, 4],
        reasons: [
          { code: 'category-not-in-register', category: 1, since: null }, { code: 'category-not-in-register', category: 4, since: null },
          { code: 'purpose-not-approved-for-category', category: 4, since: null },
        ],
      },
      { categories: [1, 2], reasons: [{ code: 'blocked-data-processed', category: 2, since: '2026-04-03T09:00:00.000Z' }] },
    ]);
    expect(verify(r)).toMatchObject({ ok: true });
    const blamed = structuredClone(r) as Mutable;
    blamed.violations[1]!.reasons[0]!.category = 1;
    expect(verify(blamed)).toMatchObject({ ok: false, code: 'row-mismatch', reason: expect.stringContaining('violations[1].reasons shows') });
  });

  it('verifies a refusal whose reasons are sealed (shown opened) or plain, and names a reason dropped, added or altered', () => {
    const refused = (requestId: string, receivedAt: string, reasons: string[], version: number): [string, Record<string, unknown>, number][] => [
      ['SubjectRequestReceived', {
        requestId, subjectId: SUBJECT, subjectMask: '7**********8', kind: 'information', channel: 'post', receivedAt,
        registeredBy: HR, categories: [], detail: null, deadline: { date: '2026-06-05', workingDays: 3 },
      }, 2],
      ['SubjectRequestRefused', {
        requestId, subjectId: SUBJECT, refusedAt: '2026-06-03T10:00:00.000Z', refusedBy: HR, reasons, deadline: '2026-06-05', late: false, workingDaysLate: 0,
      }, version],
    ];
    const specs = [
      ...SPECS.slice(0, -1),
      ...refused('q-sealed', '2026-06-02T04:00:00.000Z', ['sealed:v1:1:REASON', 'sealed:v1:1:REASON'], 2),
      ...refused('q-plain', '2026-06-01T04:00:00.000Z', ['kept by law'], 1),
      SPECS.at(-1)!,
    ];
    const r = report('en', false, specs);
    expect(r.requests.map((q) => [q.requestId, q.reasons])).toEqual([
      ['q-sealed', ['an investigation of the personnel file', 'an investigation of the personnel file']], ['q-plain', ['kept by law']], ['q-1', []],
    ]);
    expect(verify(r)).toMatchObject({ ok: true });
    // What a sealed reason says cannot be checked without the key; how many there are, and a plain one, can.
    const mutated = (mutate: (m: Mutable) => void) => {
      const m = structuredClone(r) as Mutable;
      mutate(m);
      return verify(m);
    };
    expect(mutated((m) => (m.requests[0]!.reasons[1] = 'destroyed on 3 June 2026'))).toMatchObject({ ok: true });
    for (const mutate of [(m: Mutable) => m.requests[0]!.reasons.pop(), (m: Mutable) => m.requests[0]!.reasons.push('and another')]) {
      expect(mutated(mutate)).toMatchObject({ ok: false, code: 'row-mismatch', reason: expect.stringContaining('requests[0].reasons shows') });
    }
    expect(mutated((m) => (m.requests[1]!.reasons[0] = 'kept by order'))).toMatchObject({ ok: false, code: 'row-mismatch', reason: expect.stringContaining('requests[1].reasons shows') });
  });

  it('names the events of a request listed out of order', () => {
    const r = structuredClone(report('en', true)) as Mutable;
    r.requests[0]!.eventIds.reverse();
    expect(verify(r)).toMatchObject({ ok: false, code: 'row-mismatch', reason: expect.stringContaining('requests[0].eventIds') });
  });

  // Received, answered, then re-timed folds as received, re-timed, answered does: only the chain's order tells them apart.
  it('names the later events of a request swapped, though they fold alike', () => {
    const r = structuredClone(report('en', true)) as Mutable;
    const [received, retimed, answered] = r.requests[0]!.eventIds;
    r.requests[0]!.eventIds = [received!, answered!, retimed!];
    expect(verify(r)).toMatchObject({ ok: false, code: 'row-mismatch', reason: 'requests[0].eventIds are not in the order of the chain' });
  });
});

describe('the derived sections of the access report, made again from its chain by verify-report', () => {
  const catalog = new RegisterCatalog(BUILT_IN_REGISTERS);
  const check = (r: unknown) => checkReportSummary(JSON.parse(JSON.stringify(r)), catalog);

  it('match as built, in every language, a name sealed in two records shown once', () => {
    for (const language of ['kk', 'ru', 'en'] as const) {
      const r = report(language, false);
      const fullName = r.categories.find((c) => c.category.number === 1)!;
      expect(fullName.sources).toEqual([{ kind: 'subject', name: null }, { kind: 'third-party', name: 'ҚР ІІМ' }]);
      expect(r.categories.find((c) => c.category.number === 2)).toMatchObject({ blockedAt: '2026-04-03T09:00:00.000Z' });
      expect(check(r)).toEqual({ checked: true, difference: null });
    }
  });

  it.each<[string, (r: Mutable) => void, string]>([
    ['a category dropped', (r) => r.categories.pop(), 'categories'],
    ['a block hidden', (r) => (r.categories.find((c) => c.category.number === 2)!.blockedAt = null), '.blockedAt'],
    ['a destruction claimed', (r) => (r.categories[0]!.destroyedAt = '2026-05-01T09:00:00.000Z'), 'categories[0].destroyedAt'],
    ['held denied', (r) => (r.categories[0]!.held = false), 'categories[0].held'],
    ['a purpose left out', (r) => r.categories[0]!.purposes.pop(), 'categories[0].purposes'],
    ['a first collection moved', (r) => (r.categories[0]!.firstCollectedAt = '2026-01-01T00:00:00.000Z'), 'categories[0].firstCollectedAt'],
    ['a source of another kind', (r) => (r.categories[0]!.sources[0]!.kind = 'state-database'), 'categories[0].sources'],
    ['a source left out', (r) => r.categories[0]!.sources.shift(), 'categories[0].sources'],
    ['every source left out', (r) => (r.categories[0]!.sources = []), 'categories[0].sources'],
    ['a sealed source left out', (r) => (r.categories[0]!.sources = r.categories[0]!.sources.filter((s) => s.kind !== 'third-party')), 'categories[0].sources'],
    ["a sealed source's kind changed", (r) => (r.categories[0]!.sources.find((s) => s.kind === 'third-party')!.kind = 'state-database'), 'categories[0].sources'],
    ['more third parties than sealed names', (r) => r.categories[0]!.sources.push({ kind: 'third-party', name: 'A' }, { kind: 'third-party', name: 'B' }), 'categories[0].sources'],
    ['the withheld count', (r) => (r.withheld = { count: 0 }), 'withheld.count'],
    // The holder's order is no signed field: one the events were not checked against would switch the check off.
    ['an order its events were not checked against', (r) => (r.holder.order.number = '999-X'), 'holder.order.number'],
  ])('name the field when %s', (_what, mutate, field) => {
    const r = structuredClone(report('en', false)) as Mutable;
    mutate(r);
    const result = check(r);
    expect(result).toMatchObject({ checked: true, difference: { field: expect.stringContaining(field) } });
  });

  it('name a category whose only source, a sealed one, is left out', () => {
    const r = structuredClone(report('en', false, [record(5, { source: { kind: 'third-party', name: 'sealed:v1:1:AGENCY-A' } }), SPECS.at(-1)!])) as Mutable;
    expect(r.categories[0]!.sources).toEqual([{ kind: 'third-party', name: 'ҚР ІІМ' }]);
    expect(check(r)).toEqual({ checked: true, difference: null });
    r.categories[0]!.sources = [];
    expect(check(r)).toMatchObject({ checked: true, difference: { field: 'categories[0].sources', shown: '[]', recomputed: '["third-party:sealed:v1:1:AGENCY-A"]' } });
  });

  it('name a categories section of another shape, never throwing', () => {
    for (const categories of [null, [{}], [{ category: { number: 1 }, purposes: 'P01' }]]) {
      const r = structuredClone(report('en', false)) as unknown as Record<string, unknown>;
      r.categories = categories;
      expect(check(r)).toMatchObject({ checked: true, difference: { field: 'categories' } });
    }
    const r = structuredClone(report('en', false)) as unknown as Record<string, unknown>;
    r.language = 'de';
    expect(check(r)).toMatchObject({ checked: true, difference: { field: 'language, generatedAt or utcOffsetMinutes' } });
  });

  it('show a category collected again after its destruction as not destroyed, and check a version 3 report by its own rule', () => {
    const specs = [
      ...SPECS.slice(0, -1),
      record(5, { operation: 'destroy', occurredAt: '2026-06-01T09:00:00.000Z' }),
      record(5, { source: { kind: 'subject' }, occurredAt: '2026-07-01T09:00:00.000Z' }),
      SPECS.at(-1)!,
    ];
    const r = structuredClone(report('en', false, specs)) as Mutable;
    expect(r.schemaVersion).toBe(6);
    expect(r.categories[0]).toMatchObject({ category: { number: 1 }, held: true, destroyedAt: null });
    expect(check(r)).toEqual({ checked: true, difference: null });
    // A report of version 3 was made with the former rule: destroyed stays shown.
    const v3 = structuredClone(r) as unknown as Record<string, unknown> & Mutable;
    v3.schemaVersion = 3 as never;
    expect(check(v3)).toMatchObject({ checked: true, difference: { field: 'categories[0].destroyedAt', recomputed: '"2026-06-01T09:00:00.000Z"' } });
    v3.categories[0]!.destroyedAt = '2026-06-01T09:00:00.000Z';
    expect(check(v3)).toEqual({ checked: true, difference: null });
  });

  it("show a category only the ledger's own request records name as not known to be held, and check an older report by its rule", () => {
    // A blocking of category 24, never collected, carried out by the ledger on the subject's request q-2.
    const specs = [
      ...SPECS.slice(0, -1),
      record(5, {
        operation: 'block', occurredAt: '2026-06-01T09:00:00.000Z', categories: [{ number: 24, slug: 'military-registration' }],
        purpose: { code: 'SUBJECT-RIGHTS', slug: 'subject-rights' }, legalBasis: ['LAW-94-V-ART-24-25'], system: 'derbes', requestId: 'q-2',
      }),
      SPECS.at(-1)!,
    ];
    const r = structuredClone(report('en', false, specs)) as Mutable;
    const at = r.categories.findIndex((c) => c.category.number === 24);
    expect(r.categories[at]).toMatchObject({ held: null, sources: [], firstCollectedAt: null, blockedAt: '2026-06-01T09:00:00.000Z' });
    expect(verify(r)).toMatchObject({ ok: true });
    expect(check(r)).toEqual({ checked: true, difference: null });
    const claimed = structuredClone(r);
    claimed.categories[at]!.held = true;
    expect(check(claimed)).toEqual({ checked: true, difference: { field: `categories[${at}].held`, shown: 'true', recomputed: 'null' } });
    // A report of version 5 or before was made when such a category was shown held: it verifies as it was.
    const v5 = structuredClone(claimed) as unknown as Record<string, unknown> & Mutable;
    v5.schemaVersion = 5 as never;
    expect(check(v5)).toEqual({ checked: true, difference: null });
    v5.categories[at]!.held = null;
    expect(check(v5)).toMatchObject({ checked: true, difference: { field: `categories[${at}].held`, recomputed: 'true' } });
  });

  it('are not checked, saying why, when this build has not the register the events were checked against', () => {
    const r = structuredClone(report('en', false));
    const other = new RegisterCatalog(BUILT_IN_REGISTERS.map((reg) => ({ ...reg, id: `${reg.id}-elsewhere` })));
    expect(checkReportSummary(JSON.parse(JSON.stringify(r)), other)).toEqual({ checked: false, reason: expect.stringContaining('no register mineco-328-O v1 (order 328-Ө), which the report') });
  });
});

type Mutable = { -readonly [K in keyof AccessReport]: DeepMutable<AccessReport[K]> };
type DeepMutable<T> = T extends readonly (infer U)[] ? DeepMutable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;
