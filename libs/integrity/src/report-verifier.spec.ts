import { generateKeyPairSync } from 'node:crypto';
import { chainHash, eventLeafHash, type CanonicalEvent } from './canonical-event';
import { inclusionProof, merkleRoot } from './merkle';
import { verifyReport } from './report-verifier';
import { keyIdOf, signTreeHead } from './tree-head';

const keys = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const PUBLIC = [keys.publicKey];
const SUBJECT = '9c'.repeat(32);
const STREAM = `subject-${SUBJECT}`;

type Loose = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A subject with a collection, an embargoed access, a transfer, a request and a read, among other subjects' events:
 * the report as the ledger makes it (rows, chain, stored forms, head, proof), reduced to what the verifier reads.
 */
function validReport(): Loose {
  const subject: CanonicalEvent[] = [];
  const log: CanonicalEvent[] = [];
  const specs: Array<[string, Record<string, unknown>]> = [
    ['ProcessingRecorded', { operation: 'collect', occurredAt: '2026-02-01T09:00:00.000Z', note: 'competition file' }],
    ['ProcessingRecorded', { operation: 'access', occurredAt: '2026-03-01T09:00:00.000Z', embargoUntil: '2027-01-15' }],
    ['ProcessingRecorded', { operation: 'transfer', occurredAt: '2026-04-01T09:00:00.000Z', recipient: 'sealed:v1:1:abc' }],
    ['SubjectRequestReceived', { requestId: 'r-1', receivedAt: '2026-04-02T09:00:00.000Z' }],
    ['SubjectFileRead', { occurredAt: '2026-05-01T09:00:00.000Z', view: 'history' }],
  ];
  let previousHash: string | null = null;
  for (const [i, [type, data]] of specs.entries()) {
    log.push(other(log.length + 1));
    const event: CanonicalEvent = {
      id: `00000000-0000-4000-8000-00000000000${i}`, type, streamId: STREAM, revision: i, position: log.length + 1,
      data: data as CanonicalEvent['data'], metadata: { schemaVersion: 1, previousHash }, created: `2026-06-0${i + 1}T00:00:00.000Z`,
    };
    previousHash = chainHash(event);
    subject.push(event);
    log.push(event);
  }
  log.push(other(log.length + 1), other(log.length + 2));
  const leaves = log.map(eventLeafHash);
  const head = signTreeHead({ treeSize: log.length, rootHash: merkleRoot(leaves) }, new Date('2026-11-25T12:00:00Z'), { keyId: keyIdOf(keys.publicKey), privateKey: keys.privateKey });
  const last = subject.at(-1)!;
  const row = (e: CanonicalEvent) => ({ eventId: e.id, at: e.data.occurredAt, operation: e.type === 'SubjectFileRead' ? 'read' : e.data.operation });
  return {
    schema: 'derbes/access-report', schemaVersion: 2, subject: { subjectId: SUBJECT, maskedIin: null },
    events: [row(subject[0]!), row(subject[2]!), row(subject[4]!)],
    transfers: [{ eventId: subject[2]!.id }],
    violations: [],
    requests: [{ requestId: 'r-1', eventIds: [subject[3]!.id] }],
    integrity: {
      treeHeadSource: 'latest', treeHead: { ...head, position: log.length + 1 },
      chain: subject.map((e, i) => ({
        position: e.position, revision: e.revision, eventId: e.id, type: e.type, previousHash: e.metadata.previousHash, chainHash: chainHash(e),
        withheld: i === 1, event: i === 1 ? null : structuredClone(e),
      })),
      inclusion: {
        eventId: last.id, leafIndex: last.position - 1, treeSize: log.length, leafHash: eventLeafHash(last).toString('hex'),
        proof: inclusionProof(last.position - 1, leaves).map((p) => p.toString('hex')),
      },
    },
  };
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
      summary: expect.objectContaining({ subjectId: SUBJECT, chainLength: 5, shown: 4, withheld: 1, rows: 3, treeSize: 12, lastPosition: 10 }),
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

  it('names an altered stored form', () => {
    expect(failure((r) => (r.integrity.chain[0].event.data.note = 'another file'))).toMatchObject({ code: 'chain-hash-mismatch', reason: expect.stringContaining('chain entry 0') });
  });

  it('names a row that says something else than its event', () => {
    expect(failure((r) => (r.events[0].operation = 'access'))).toMatchObject({ code: 'row-mismatch' });
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

  it('names a report without an integrity section', () => {
    expect(failure((r) => (r.integrity = null))).toMatchObject({ code: 'no-integrity' });
  });
});
