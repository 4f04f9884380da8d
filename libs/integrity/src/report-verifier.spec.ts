import { generateKeyPairSync } from 'node:crypto';
import { chainHash, eventLeafHash, type CanonicalEvent } from './canonical-event';
import { inclusionProof, merkleRoot } from './merkle';
import { signReport } from './report-signature';
import { verifyReport } from './report-verifier';
import { keyIdOf, signTreeHead } from './tree-head';

const keys = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const PUBLIC = [keys.publicKey];
const SUBJECT = '9c'.repeat(32);
const STREAM = `subject-${SUBJECT}`;

type Loose = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A subject with a collection, an embargoed access, a transfer, a request and a read (the report's own, recorded when
 * it was made), among other subjects' events: the report as the ledger makes it (rows, chain, stored forms, head,
 * proof), reduced to what the verifier reads.
 */
function validReport(): Loose {
  return validReportAndLog().report;
}

/** The valid report, with the leaf hashes of the whole log it was proven in; `masks`: a subjectMask recorded by the event at a revision. */
function validReportAndLog(masks: Record<number, string> = {}): { report: Loose; leaves: Buffer[] } {
  const subject: CanonicalEvent[] = [];
  const log: CanonicalEvent[] = [];
  const actor = { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' };
  const record = (more: Record<string, unknown>) => ({
    operation: 'collect', categories: [{ number: 1, slug: 'full-name' }, { number: 13, slug: 'signature' }],
    purpose: { code: 'P01', slug: 'staffing', clause: 1 }, actor, system: 'hr-portal', recipient: null, crossBorder: false,
    transferGround: null, violations: [], embargoUntil: null, requestId: null, ...more,
  });
  const specs: Array<[string, Record<string, unknown>]> = [
    ['ProcessingRecorded', record({ occurredAt: '2026-02-01T09:00:00.000Z', note: 'competition file' })],
    ['ProcessingRecorded', record({ operation: 'access', occurredAt: '2026-03-01T09:00:00.000Z', embargoUntil: '2027-01-15' })],
    ['ProcessingRecorded', record({
      operation: 'transfer', occurredAt: '2026-04-01T09:00:00.000Z', recipient: { name: 'sealed:v1:1:abc', country: 'DE', kind: 'person' },
      crossBorder: true, transferGround: { kind: 'consent', reference: 'consent 14/2026' }, purpose: { code: 'P05', slug: 'pensions', clause: 5 },
      violations: [{ code: 'category-not-in-register', category: 13, detail: 'x' }, { code: 'purpose-not-approved-for-category', category: 1, detail: 'y' },
        { code: 'category-not-in-register', category: 1, detail: 'z' },
        // As v4 and before stored a state reason: its since only at the end of its detail.
        { code: 'blocked-data-processed', category: 1, detail: 'transfer of category 1 (full-name), blocked since 2026-03-15T09:00:00.000Z' },
        { code: 'purpose-not-in-register', detail: 'purpose P05 is not in the register' }],
    })],
    ['SubjectRequestReceived', { requestId: 'r-1', kind: 'information', channel: 'egov', receivedAt: '2026-04-02T09:00:00.000Z', deadline: { date: '2026-04-16' } }],
    ['SubjectFileRead', { occurredAt: '2026-05-01T09:00:00.000Z', view: 'history', categories: [{ number: 1, slug: 'full-name' }], purpose: { code: 'OVERSIGHT', slug: 'oversight' }, actor: { id: 'ic-3', role: 'auditor', unit: 'internal-control' } }],
  ];
  let previousHash: string | null = null;
  for (const [i, [type, data]] of specs.entries()) {
    log.push(other(log.length + 1));
    const event: CanonicalEvent = {
      id: `00000000-0000-4000-8000-00000000000${i}`, type, streamId: STREAM, revision: i, position: log.length + 1,
      data: (masks[i] ? { ...data, subjectMask: masks[i] } : data) as CanonicalEvent['data'], metadata: { schemaVersion: 1, previousHash }, created: `2026-06-0${i + 1}T00:00:00.000Z`,
    };
    previousHash = chainHash(event);
    subject.push(event);
    log.push(event);
  }
  log.push(other(log.length + 1), other(log.length + 2));
  const leaves = log.map(eventLeafHash);
  const head = signTreeHead({ treeSize: log.length, rootHash: merkleRoot(leaves) }, new Date('2026-11-25T12:00:00Z'), { keyId: keyIdOf(keys.publicKey), privateKey: keys.privateKey });
  const last = subject.at(-1)!;
  // Rows as the report builds them; names are the register's words, in the reader's language.
  const named = (cs: unknown) => (cs as { number: number; slug: string }[]).map((c) => ({ ...c, name: `name of ${c.slug}` }));
  const row = (e: CanonicalEvent) => {
    const d = e.data as Loose;
    const read = e.type === 'SubjectFileRead';
    return {
      eventId: e.id, at: d.occurredAt, operation: read ? 'read' : d.operation, categories: named(d.categories),
      purpose: { code: d.purpose.code, name: 'words' }, unit: d.actor.unit, role: d.actor.role, actorId: null, system: read ? null : d.system,
      requestId: read ? null : d.requestId, violations: read ? [] : d.violations.map((v: Loose) => v.code),
    };
  };
  const transfer = subject[2]!.data as Loose;
  const report = {
    schema: 'derbes/access-report', schemaVersion: 3, generatedAt: (last.data as Loose).occurredAt, subject: { subjectId: SUBJECT, maskedIin: null },
    events: [row(subject[0]!), row(subject[2]!), row(subject[4]!)],
    transfers: [{
      eventId: subject[2]!.id, at: transfer.occurredAt, recipient: 'Aigerim Bekova', country: 'DE', crossBorder: true,
      categories: named(transfer.categories), purpose: { code: 'P05', name: 'words' }, ground: { kind: 'consent', reference: 'consent 14/2026' },
    }],
    violations: [{
      eventId: subject[2]!.id, at: transfer.occurredAt, operation: 'transfer', categories: named(transfer.categories),
      codes: ['category-not-in-register', 'purpose-not-approved-for-category', 'blocked-data-processed', 'purpose-not-in-register'],
    }],
    requests: [{
      requestId: 'r-1', eventIds: [subject[3]!.id], kind: 'information', channel: 'egov', receivedAt: '2026-04-02T09:00:00.000Z',
      deadline: '2026-04-16', status: 'open', closedAt: null, late: false, workingDaysLate: 0, reasons: [],
    }],
    integrity: {
      treeHeadSource: 'latest', treeHead: { ...head, position: log.length + 1 }, readEventId: last.id,
      chain: subject.map((e, i) => ({
        position: e.position, revision: e.revision, eventId: e.id, type: e.type, previousHash: e.metadata.previousHash, chainHash: chainHash(e),
        withheld: i === 1, event: i === 1 ? null : structuredClone(e),
        // The one shown event before the withheld one carries its own proof.
        ...(i === 0 ? { inclusion: { leafIndex: e.position - 1, proof: inclusionProof(e.position - 1, leaves).map((p) => p.toString('hex')) } } : {}),
      })),
      inclusion: {
        eventId: last.id, leafIndex: last.position - 1, treeSize: log.length, leafHash: eventLeafHash(last).toString('hex'),
        proof: inclusionProof(last.position - 1, leaves).map((p) => p.toString('hex')),
      },
    },
  };
  return { report, leaves };
}

function other(position: number): CanonicalEvent {
  return { id: `other-${position}`, type: 'ProcessingRecorded', streamId: `subject-${'0'.repeat(64)}`, revision: 0, position, data: { n: position }, metadata: {}, created: '2026-06-01T00:00:00.000Z' };
}

function failure(mutate: (report: Loose) => void, publicKeys: Parameters<typeof verifyReport>[1] = PUBLIC) {
  const report = validReport();
  mutate(report);
  const verdict = verifyReport(JSON.parse(JSON.stringify(report)), publicKeys);
  if (verdict.ok) throw new Error('the altered report verified');
  return verdict;
}

describe('verifyReport', () => {
  it('accepts the report as made, a withheld event included, with its summary', () => {
    const verdict = verifyReport(JSON.parse(JSON.stringify(validReport())), PUBLIC);
    expect(verdict).toEqual({
      ok: true,
      summary: expect.objectContaining({
        subjectId: SUBJECT, chainLength: 5, shown: 4, withheld: 1, rows: 3, treeSize: 12, lastPosition: 10, completeAsOf: '2026-05-01T09:00:00.000Z',
      }),
    });
  });

  it('accepts the public key as PEM, among other keys', () => {
    const pem = keys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(verifyReport(JSON.parse(JSON.stringify(validReport())), [stranger.publicKey, pem]).ok).toBe(true);
  });

  it('names an omitted row', () => {
    expect(failure((r) => r.events.splice(1, 1))).toMatchObject({ code: 'event-without-row', reason: expect.stringContaining('revision 2') });
  });

  it('names a row and its stored form removed while the chain entry stays', () => {
    expect(failure((r) => {
      r.events.splice(1, 1);
      r.integrity.chain[2].event = null;
    })).toMatchObject({ code: 'malformed', reason: expect.stringContaining('integrity.chain[2].event is not an object') });
  });

  it('names a withheld flag that is no boolean (a reader taking any truthy value would hide what is checked as shown)', () => {
    expect(failure((r) => (r.integrity.chain[0].withheld = 'true'))).toMatchObject({ code: 'malformed', reason: 'integrity.chain[0].withheld is not true or false' });
  });

  it('names an altered stored form', () => {
    expect(failure((r) => (r.integrity.chain[0].event.data.note = 'another file'))).toMatchObject({ code: 'chain-hash-mismatch', reason: expect.stringContaining('chain entry 0') });
  });

  it('names a row that says something else than its event', () => {
    expect(failure((r) => (r.events[0].operation = 'access'))).toMatchObject({ code: 'row-mismatch' });
  });

  it.each<[string, (r: Loose) => void, string]>([
    ['a category', (r) => r.events[0].categories.pop(), 'events[0].categories'],
    ['a category swapped under its old name', (r) => (r.events[0].categories[1].number = 4), 'events[0].categories'],
    ['the purpose', (r) => (r.events[1].purpose.code = 'P01'), 'events[1].purpose.code'],
    ['the unit', (r) => (r.events[0].unit = 'internal-control'), 'events[0].unit'],
    ['the role', (r) => (r.events[0].role = 'auditor'), 'events[0].role'],
    ['the individual, where ids are shown', (r) => (r.events[0].actorId = 'hr-18'), 'events[0].actorId'],
    ['the system', (r) => (r.events[0].system = 'e-qyzmet'), 'events[0].system'],
    ['the request', (r) => (r.events[0].requestId = 'r-1'), 'events[0].requestId'],
    ['the violations', (r) => (r.events[1].violations = []), 'events[1].violations'],
    ["a read's reader", (r) => (r.events[2].unit = 'personnel-management'), 'events[2].unit'],
    ["a read's purpose", (r) => (r.events[2].purpose.code = 'P01'), 'events[2].purpose.code'],
    ["a read's categories", (r) => r.events[2].categories.push({ number: 2, slug: 'iin', name: 'IIN' }), 'events[2].categories'],
    ["a transfer's country", (r) => (r.transfers[0].country = 'KZ'), 'transfers[0].country'],
    ["a transfer's cross-border mark", (r) => (r.transfers[0].crossBorder = false), 'transfers[0].crossBorder'],
    ["a transfer's ground", (r) => (r.transfers[0].ground = null), 'transfers[0].ground'],
    ["a transfer's plain ground reference", (r) => (r.transfers[0].ground.reference = 'treaty 1'), 'transfers[0].ground'],
    ["a transfer's purpose", (r) => (r.transfers[0].purpose.code = 'P01'), 'transfers[0].purpose.code'],
    ["a transfer's categories", (r) => r.transfers[0].categories.shift(), 'transfers[0].categories'],
    ['a transfers row for an event that is no transfer', (r) => (r.transfers[0].eventId = r.events[0].eventId), 'transfers[0].operation'],
    ["a violation's codes", (r) => r.violations[0].codes.pop(), 'violations[0].codes'],
    ["a violation's categories", (r) => r.violations[0].categories.pop(), 'violations[0].categories'],
    ["a violation's time", (r) => (r.violations[0].at = '2026-04-01T10:00:00.000Z'), 'violations[0].at'],
    ["a request's kind", (r) => (r.requests[0].kind = 'destruction'), 'requests[0].kind'],
    ["a request's status", (r) => Object.assign(r.requests[0], { status: 'answered', closedAt: '2026-04-03T09:00:00.000Z' }), 'requests[0].status'],
    ["a request's deadline", (r) => (r.requests[0].deadline = '2026-04-30'), 'requests[0].deadline'],
    ["a request's id", (r) => (r.requests[0].requestId = 'r-2'), 'requests[0].requestId'],
  ])('names a row whose field differs from its event: %s', (_what, mutate, field) => {
    expect(failure(mutate)).toMatchObject({ code: 'row-mismatch', reason: expect.stringContaining(`${field} shows`) });
  });

  it('checks codes and numbers, not the words of the reader\'s language, nor a sealed text it cannot open', () => {
    const report = validReport();
    report.events[0].categories[0].name = 'Фамилия, имя, отчество';
    report.events[0].purpose.name = 'other words';
    report.transfers[0].recipient = 'destroyed on 25 November 2026';
    expect(verifyReport(JSON.parse(JSON.stringify(report)), PUBLIC).ok).toBe(true);
  });

  it('checks the individual where the report shows ids', () => {
    const report = validReport();
    report.events[0].actorId = 'hr-17';
    report.events[2].actorId = 'ic-3';
    expect(verifyReport(JSON.parse(JSON.stringify(report)), PUBLIC).ok).toBe(true);
  });

  it('names a transfer or a violation left out of its list, and one listed twice', () => {
    expect(failure((r) => (r.transfers = []))).toMatchObject({ code: 'event-without-row', reason: expect.stringContaining('no row of transfers') });
    expect(failure((r) => (r.violations = []))).toMatchObject({ code: 'event-without-row', reason: expect.stringContaining('no row of violations') });
    expect(failure((r) => r.transfers.push(r.transfers[0]))).toMatchObject({ code: 'row-mismatch', reason: expect.stringContaining('two rows of transfers') });
  });

  it('names a chain entry dropped, with its row and stored form', () => {
    expect(failure((r) => {
      r.integrity.chain.splice(2, 1);
      r.events.splice(1, 1);
      r.transfers = [];
    })).toMatchObject({ code: 'chain-break', reason: expect.stringContaining('revision 3, expected 2') });
  });

  it('names a chain whose revisions were renumbered to hide a dropped entry', () => {
    expect(failure((r) => {
      r.integrity.chain.splice(0, 1);
      r.events.splice(0, 1);
      for (const e of r.integrity.chain) {
        e.revision--;
        if (e.event) e.event.revision--;
      }
    })).toMatchObject({ code: 'chain-break', reason: expect.stringContaining('first chained event') });
  });

  it('names the last entry dropped: the proof is of another event', () => {
    expect(failure((r) => {
      r.integrity.chain.pop();
      r.events.pop();
    })).toMatchObject({ code: 'inclusion-failed', reason: expect.stringContaining("not of the chain's last event") });
  });

  /** The report cut before its last `drop` entries (their rows too), its proof re-targeted to the new last entry. */
  function cutAndRetargeted(drop: number): Loose {
    const { report, leaves } = validReportAndLog();
    for (let i = 0; i < drop; i++) {
      const gone = report.integrity.chain.pop().eventId;
      for (const list of ['events', 'transfers', 'violations'] as const) report[list] = report[list].filter((row: Loose) => row.eventId !== gone);
      report.requests = report.requests.filter((row: Loose) => !row.eventIds.includes(gone));
    }
    const last: CanonicalEvent = JSON.parse(JSON.stringify(report.integrity.chain.at(-1).event));
    report.integrity.inclusion = {
      eventId: last.id, leafIndex: last.position - 1, treeSize: leaves.length, leafHash: eventLeafHash(last).toString('hex'),
      proof: inclusionProof(last.position - 1, leaves).map((p) => p.toString('hex')),
    };
    return report;
  }

  it("names a report cut before its own read, the proof re-targeted: the chain must end with the read it names", () => {
    const verdict = verifyReport(JSON.parse(JSON.stringify(cutAndRetargeted(1))), PUBLIC);
    expect(verdict).toMatchObject({ ok: false, code: 'not-own-read', reason: expect.stringContaining('entries after it are missing') });
  });

  it('names a cut report that names its new last entry as its read, and one whose read is not at its generatedAt', () => {
    const renamed = cutAndRetargeted(2);
    renamed.integrity.readEventId = renamed.integrity.chain.at(-1).eventId;
    expect(verifyReport(JSON.parse(JSON.stringify(renamed)), PUBLIC)).toMatchObject({ ok: false, code: 'not-own-read', reason: expect.stringContaining('not a read of the file') });
    expect(failure((r) => (r.generatedAt = '2026-11-25T12:00:00.000Z'))).toMatchObject({ code: 'not-own-read', reason: expect.stringContaining('2026-11-25T12:00:00.000Z') });
  });

  it('names a cut report whose new last event, no read, is named its read and recorded at the generatedAt it is given', () => {
    const report = cutAndRetargeted(2);
    const transfer = report.integrity.chain.at(-1);
    expect(transfer.type).toBe('ProcessingRecorded');
    report.integrity.readEventId = transfer.eventId;
    report.generatedAt = transfer.event.data.occurredAt;
    expect(verifyReport(JSON.parse(JSON.stringify(report)), PUBLIC)).toMatchObject({ ok: false, code: 'not-own-read', reason: expect.stringContaining('is not a read of the file') });
  });

  it("accepts a report of version 2 cut before its newest entries (the proof re-targeted), saying it cannot show it is complete", () => {
    const report = cutAndRetargeted(1);
    report.schemaVersion = 2;
    delete report.integrity.readEventId;
    // Version 2 did not end with the report's own read: nothing in it ties the subject's stream to the head.
    expect(verifyReport(JSON.parse(JSON.stringify(report)), PUBLIC)).toMatchObject({ ok: true, summary: { chainLength: 4, completeAsOf: null } });
  });

  it('names a wrong proof', () => {
    expect(failure((r) => (r.integrity.inclusion.proof[0] = 'f'.repeat(64)))).toMatchObject({ code: 'inclusion-failed', reason: expect.stringContaining("head's root") });
    expect(failure((r) => r.integrity.inclusion.proof.pop())).toMatchObject({ code: 'inclusion-failed' });
  });

  it('names a forged head signature, and a head altered after signing', () => {
    expect(failure((r) => (r.integrity.treeHead.signature = '0'.repeat(128)))).toMatchObject({ code: 'bad-signature' });
    expect(failure((r) => (r.integrity.treeHead.treeSize = 13))).toMatchObject({ code: 'bad-signature' });
  });

  it('names a head signed by a key not given, even when the report is otherwise whole', () => {
    const verdict = failure(() => undefined, [stranger.publicKey]);
    expect(verdict).toMatchObject({ code: 'unknown-key', reason: expect.stringContaining(keyIdOf(keys.publicKey)) });
  });

  it('names a withheld entry that shows content, and a row pointing at a withheld event', () => {
    expect(failure((r) => (r.integrity.chain[1].event = r.integrity.chain[0].event))).toMatchObject({ code: 'malformed' });
    expect(failure((r) => r.events.push({ eventId: r.integrity.chain[1].eventId, at: 'x', operation: 'access' }))).toMatchObject({ code: 'row-without-event' });
  });

  // Each shown entry's id, type, position and the subject's stream are read from the entry, and must be its stored
  // form's: the chain hash is recomputed from the stored form alone, so nothing else ties the two.
  it('names a report of another subject relabelled to this one', () => {
    expect(failure((r) => (r.subject.subjectId = 'ab'.repeat(32)))).toMatchObject({
      code: 'stored-form-mismatch', reason: expect.stringContaining(`chain entry 0 (event 00000000-0000-4000-8000-000000000000): its stored form is not of this entry (id, type, revision, position, or stream subject-${'ab'.repeat(32)})`),
    });
  });

  it.each<[string, (r: Loose) => void]>([
    ['an entry renamed, with its row', (r) => {
      r.integrity.chain[0].eventId = 'forged';
      r.events[0].eventId = 'forged';
    }],
    // A type that needs no row: the collection would leave the rows unseen.
    ['an entry retyped to need no row, its row dropped', (r) => {
      r.integrity.chain[0].type = 'SubjectNoteAdded';
      r.events.shift();
    }],
    ['an entry moved to another position', (r) => (r.integrity.chain[2].position = 5)],
  ])('names a chain entry that is not its stored form: %s', (_what, mutate) => {
    expect(failure(mutate)).toMatchObject({ code: 'stored-form-mismatch', reason: expect.stringContaining('its stored form is not of this entry') });
  });

  // The link checked against the entry before is the entry's previousHash; the one hashed is its stored form's. Were
  // they not the same, a shown event before the last could be altered, its chain hash recomputed, and the next entry
  // relinked to it while its stored form (and so its chain hash) stayed as recorded.
  it('names a shown event altered and relinked through a previousHash its stored form does not carry', () => {
    expect(failure((r) => {
      const transfer = r.integrity.chain[2];
      transfer.event.data.violations = [];
      transfer.chainHash = chainHash(JSON.parse(JSON.stringify(transfer.event)));
      r.integrity.chain[3].previousHash = transfer.chainHash;
      r.events[1].violations = [];
      r.violations = [];
    })).toMatchObject({ code: 'stored-form-mismatch', reason: expect.stringContaining("chain entry 3 (event 00000000-0000-4000-8000-000000000003): previousHash differs from its stored form's metadata.previousHash") });
  });

  // Version 5: shown, withheld (1), shown (2), withheld (3), the read. The event between the two withheld entries is
  // bound by nothing but its own proof: the withheld entry after it can be relinked at will.
  function twiceWithheld(): { report: Loose; leaves: Buffer[] } {
    const { report, leaves } = validReportAndLog();
    report.schemaVersion = 5;
    Object.assign(report.integrity.chain[3], { withheld: true, event: null });
    report.requests = [];
    const transfer = report.integrity.chain[2];
    transfer.inclusion = { leafIndex: transfer.position - 1, proof: inclusionProof(transfer.position - 1, leaves).map((p) => p.toString('hex')) };
    return { report, leaves };
  }

  it('proves, in version 5, each shown event up to the last withheld entry, not the first only', () => {
    const { report } = twiceWithheld();
    expect(verifyReport(JSON.parse(JSON.stringify(report)), PUBLIC)).toMatchObject({ ok: true, summary: { withheld: 2, unprovedBeforeWithheld: 0 } });
    delete report.integrity.chain[2].inclusion;
    expect(verifyReport(JSON.parse(JSON.stringify(report)), PUBLIC)).toMatchObject({
      ok: false, code: 'inclusion-failed', reason: expect.stringContaining('chain entry 2 (event 00000000-0000-4000-8000-000000000002), before the withheld entry 3 carries no inclusion proof'),
    });
  });

  it('names, in version 5, a shown event between two withheld entries altered and the withheld entry after it relinked', () => {
    const { report } = twiceWithheld();
    const transfer = report.integrity.chain[2];
    transfer.event.data.violations = [];
    transfer.chainHash = chainHash(JSON.parse(JSON.stringify(transfer.event)));
    report.integrity.chain[3].previousHash = transfer.chainHash;
    report.events[1].violations = [];
    report.violations = [];
    expect(verifyReport(JSON.parse(JSON.stringify(report)), PUBLIC)).toMatchObject({
      ok: false, code: 'inclusion-failed', reason: expect.stringContaining('chain entry 2 (event 00000000-0000-4000-8000-000000000002), before the withheld entry 3: its stored form is not the event at position 6'),
    });
  });

  it.each<[string, (r: Loose) => void]>([
    ['version 1', (r) => (r.schemaVersion = 1)],
    ['version 7', (r) => (r.schemaVersion = 7)],
    ['version "3", a string', (r) => (r.schemaVersion = '3')],
    ['another schema', (r) => (r.schema = 'derbes/other-report')],
  ])('names a report of a schema it does not know: %s', (_what, mutate) => {
    expect(failure(mutate)).toMatchObject({ code: 'malformed', reason: expect.stringContaining('not an access report of schema derbes/access-report version 2 to 6') });
  });

  it('names an empty chain as malformed, with or without rows, and does not throw', () => {
    expect(failure((r) => (r.integrity.chain = []))).toEqual({ ok: false, code: 'malformed', reason: 'integrity.chain is empty' });
    expect(failure((r) => Object.assign(r, { events: [], transfers: [], violations: [], requests: [], integrity: { ...r.integrity, chain: [] } })))
      .toEqual({ ok: false, code: 'malformed', reason: 'integrity.chain is empty' });
  });

  // A withheld entry shows no stored form: its position, id and link are bound by the chain checks alone.
  it('names a withheld entry at the position of the entry before', () => {
    expect(failure((r) => (r.integrity.chain[1].position = r.integrity.chain[0].position))).toMatchObject({
      code: 'chain-break', reason: expect.stringContaining('chain entry 1 (event 00000000-0000-4000-8000-000000000001) is at position 2, not after 2'),
    });
  });

  it('names an entry listed twice (a withheld entry under the id of the shown one after it)', () => {
    expect(failure((r) => (r.integrity.chain[1].eventId = r.integrity.chain[2].eventId))).toMatchObject({
      code: 'chain-break', reason: expect.stringContaining('chain entry 2 (event 00000000-0000-4000-8000-000000000002) is listed twice'),
    });
  });

  it('names an entry without a link after chained ones', () => {
    expect(failure((r) => delete r.integrity.chain[1].previousHash)).toMatchObject({
      code: 'chain-break', reason: expect.stringContaining('chain entry 1 (event 00000000-0000-4000-8000-000000000001) has no previousHash after chained events'),
    });
  });

  // Its fields as an events row would compare them: all absent in a request's data, but its requestId.
  it('names an events row that points at an event no events row can show (a request received)', () => {
    expect(failure((r) => r.events.push({ eventId: r.integrity.chain[3].eventId, requestId: 'r-1', violations: [] }))).toMatchObject({
      code: 'row-mismatch', reason: 'events[3].eventId: event 00000000-0000-4000-8000-000000000003 is a SubjectRequestReceived',
    });
  });

  it('names a report without an integrity section', () => {
    expect(failure((r) => (r.integrity = null))).toMatchObject({ code: 'no-integrity' });
  });
});

describe('verifyReport, version 6: each violation with the category it concerns', () => {
  // The transfer's reasons, each with its category (null: the record as a whole) and, for a state, since when: that
  // of the blocked data read from the end of its detail, as the event was stored before v5.
  const REASONS = [
    { code: 'category-not-in-register', category: 13, since: null },
    { code: 'purpose-not-approved-for-category', category: 1, since: null },
    { code: 'category-not-in-register', category: 1, since: null },
    { code: 'blocked-data-processed', category: 1, since: '2026-03-15T09:00:00.000Z' },
    { code: 'purpose-not-in-register', category: null, since: null },
  ];
  function version6(masks: Record<number, string> = {}): Loose {
    const report = validReportAndLog(masks).report;
    report.schemaVersion = 6;
    delete report.violations[0].codes;
    report.violations[0].reasons = structuredClone(REASONS);
    return report;
  }
  // A version 6 report is signed by the ledger as made; these tests check what it signs against its events.
  const SIGNER = { keyId: keyIdOf(keys.publicKey), privateKey: keys.privateKey };
  const verify = (report: Loose) => verifyReport(JSON.parse(JSON.stringify(signReport(report, SIGNER))), PUBLIC);
  const verifySigned = (report: Loose) => verifyReport(JSON.parse(JSON.stringify(report)), PUBLIC);

  it('accepts the report as signed, and names one changed after signing, unsigned, or signed by a key not given', () => {
    const signed = signReport(version6(), SIGNER);
    expect(verifySigned(signed).ok).toBe(true);
    for (const change of [
      (r: Loose) => (r.holder = { body: 'another body' }),
      (r: Loose) => (r.withheld = { count: 0 }),
      (r: Loose) => (r.integrity.chain[2].event.created = '2026-06-09T00:00:00.000Z'),
      (r: Loose) => (r.events[0].role = 'director'),
      (r: Loose) => (r.generatedAt = '2026-05-01T09:00:00.001Z'),
    ]) {
      const changed = JSON.parse(JSON.stringify(signed)) as Loose;
      change(changed);
      expect(verifySigned(changed)).toMatchObject({ ok: false, code: 'bad-signature', reason: expect.stringContaining('changed after the ledger signed it') });
    }
    expect(verifySigned({ ...signed, signature: undefined })).toMatchObject({ ok: false, code: 'unsigned' });
    // A replica that holds no key leaves its reports unsigned (null), as anyone who strips a signature off would: they
    // fail unless the caller accepts them, and are then checked by their hashes alone, as a report before version 6.
    expect(verifySigned({ ...signed, signature: null })).toMatchObject({ ok: false, code: 'unsigned', reason: expect.stringContaining('strips a signature off') });
    expect(verifyReport(JSON.parse(JSON.stringify({ ...signed, signature: null })), PUBLIC, { acceptUnsigned: true })).toMatchObject({ ok: true, summary: { signed: false } });
    expect(verifyReport(JSON.parse(JSON.stringify(signed)), PUBLIC, { acceptUnsigned: true })).toMatchObject({ ok: true, summary: { signed: true } });
    expect(verifySigned(signed)).toMatchObject({ ok: true, summary: { signed: true } });
    const stranger6 = signReport(version6(), { keyId: keyIdOf(stranger.publicKey), privateKey: stranger.privateKey });
    expect(verifySigned(stranger6)).toMatchObject({ ok: false, code: 'unknown-key', reason: expect.stringContaining('the report is signed by key') });
  });

  it('names a shown event passed off as withheld (its rows dropped, the entries before it proven), which the chain alone lets through', () => {
    const { report, leaves } = validReportAndLog();
    report.schemaVersion = 6;
    delete report.violations[0].codes;
    report.violations[0].reasons = structuredClone(REASONS);
    const signed: Loose = signReport(report, SIGNER);
    // The transfer, flagged, hidden: its stored form dropped, its rows gone, the entries before it proven each.
    const forged: Loose = JSON.parse(JSON.stringify(signed));
    const hidden = forged.integrity.chain[2];
    Object.assign(hidden, { withheld: true, event: null });
    forged.events = forged.events.filter((row: Loose) => row.eventId !== hidden.eventId);
    forged.transfers = [];
    forged.violations = [];
    const first = forged.integrity.chain[0];
    first.inclusion = { leafIndex: first.position - 1, proof: inclusionProof(first.position - 1, leaves).map((p) => p.toString('hex')) };
    expect(verifySigned(forged)).toMatchObject({ ok: false, code: 'bad-signature' });
    // Whoever forges it cannot sign it: without the signature member it is named unsigned.
    expect(verifySigned({ ...forged, signature: undefined })).toMatchObject({ ok: false, code: 'unsigned' });
    // Stripped (null), it fails; accepted as unsigned, it is no signed word of the ledger, which summary.signed says
    // (and derbes verify-report, which refuses it with --require-complete, as for a report before version 6).
    expect(verifySigned({ ...forged, signature: null })).toMatchObject({ ok: false, code: 'unsigned' });
    expect(verifyReport(JSON.parse(JSON.stringify({ ...forged, signature: null })), PUBLIC, { acceptUnsigned: true })).toMatchObject({ ok: true, summary: { signed: false } });
  });

  it('names a category shown under another slug than its event records', () => {
    const report = version6();
    report.events[0].categories[0].slug = 'surname';
    expect(verify(report)).toMatchObject({ ok: false, code: 'row-mismatch', reason: expect.stringContaining('events[0].categories shows') });
  });

  it.each(['events', 'transfers', 'violations', 'requests'])('names a member the schema does not allow in a row of %s', (list) => {
    const report = version6();
    report[list][0].note = 'unchecked words';
    expect(verify(report)).toMatchObject({ ok: false, code: 'malformed', reason: `${list}[0].note is not a member of a ${list} row (the schema allows no other)` });
  });

  it('names the codes of version 5 in place of the reasons', () => {
    const report = version6();
    Object.assign(report.violations[0], { reasons: undefined, codes: REASONS.map((x) => x.code) });
    expect(verify(report)).toMatchObject({ ok: false, code: 'malformed', reason: expect.stringContaining('violations[0].codes is not a member') });
  });

  it("checks the masked IIN against the last mask the subject's shown events record", () => {
    // The request received (after the withheld entry) records the mask: the report must show it.
    const report = version6({ 3: '7**********8' });
    report.subject.maskedIin = '7**********8';
    expect(verify(report).ok).toBe(true);
    report.subject.maskedIin = '9**********1';
    expect(verify(report)).toMatchObject({ ok: false, code: 'row-mismatch', reason: 'subject.maskedIin shows "9**********1", but the subject\'s events record "7**********8"' });
    report.subject.maskedIin = null;
    expect(verify(report)).toMatchObject({ ok: false, code: 'row-mismatch' });
  });

  it('accepts the reasons as recorded, whatever order their fields come in', () => {
    expect(verify(version6())).toMatchObject({ ok: true, summary: { withheld: 1, unprovedBeforeWithheld: 0 } });
    const reordered = version6();
    reordered.violations[0].reasons = REASONS.map(({ code, category, since }) => ({ since, category, code }));
    expect(verify(reordered).ok).toBe(true);
  });

  it.each<[string, (r: Loose) => void]>([
    ['a reason blamed on another category of the record', (r) => (r.violations[0].reasons[0].category = 1)],
    ['a reason about the whole record put on one category', (r) => (r.violations[0].reasons[4].category = 13)],
    ['a state reason given no category', (r) => (r.violations[0].reasons[3].category = null)],
    ['another since', (r) => (r.violations[0].reasons[3].since = '2026-03-16T09:00:00.000Z')],
    ['no since where the detail gives it', (r) => (r.violations[0].reasons[3].since = null)],
    ['a reason left out', (r) => r.violations[0].reasons.pop()],
    ['the reasons reordered', (r) => r.violations[0].reasons.reverse()],
  ])('names a violations row whose reasons differ from its event: %s', (_what, mutate) => {
    const report = version6();
    mutate(report);
    expect(verify(report)).toMatchObject({ ok: false, code: 'row-mismatch', reason: expect.stringContaining('violations[0].reasons shows') });
  });

  it('still checks a report of version 5 and before by its codes, each once', () => {
    const v5 = validReport();
    v5.schemaVersion = 5;
    expect(verify(v5).ok).toBe(true);
    v5.violations[0].codes.pop();
    expect(verify(v5)).toMatchObject({ ok: false, code: 'row-mismatch', reason: expect.stringContaining('violations[0].codes shows') });
  });
});
