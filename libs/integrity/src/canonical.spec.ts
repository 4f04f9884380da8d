import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalEventBytes, canonicalEventJson, chainHash, eventLeafHash, type CanonicalEvent } from './canonical-event';
import { nodeHash } from './merkle';
import {
  PROCESSING_RECORDED_SCHEMA_VERSION, SUBJECT_FILE_READ_SCHEMA_VERSION, decide, initialSubjectState, upcastSubjectEvent,
  type ProcessingRecordedData, type RecordProcessing, type SubjectFileReadData,
} from '@derbes/ledger';
import { ORDER_328_O } from '@derbes/register';
import { keyIdOf, treeHeadSignedBytes, verifyTreeHead, type SignedTreeHead } from './tree-head';

// The worked example of CANONICAL.md, read from the document itself so that the two cannot drift apart.
const doc = readFileSync(join(__dirname, '..', 'CANONICAL.md'), 'utf8');

function block(name: string): string {
  const match = new RegExp(`<!-- example: ${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
  if (!match) throw new Error(`CANONICAL.md has no example block ${name}`);
  return match[1]!;
}

function values(name: string): Record<string, string> {
  return Object.fromEntries(block(name).split('\n').map((line) => line.trim().split(/\s+/) as [string, string]));
}

describe('the worked example of CANONICAL.md', () => {
  const event1 = JSON.parse(block('event-1')) as CanonicalEvent;
  const event2 = JSON.parse(block('event-2')) as CanonicalEvent;

  // The example was once written by hand with shapes the ledger never stored: its events must stay the ledger's own.
  it('holds a ProcessingRecorded that the real decider makes from its record, at the current schema version', () => {
    const d = event1.data as unknown as ProcessingRecordedData;
    const record: RecordProcessing = {
      recordId: d.recordId, subjectId: d.subjectId, operation: d.operation, categories: d.categories,
      purpose: { code: d.purpose.code, slug: d.purpose.slug }, actor: d.actor, system: d.system, occurredAt: d.occurredAt,
      source: d.source, recipient: d.recipient, transferGround: d.transferGround, note: d.note, embargoUntil: d.embargoUntil,
      subjectMask: d.subjectMask, requestId: d.requestId, sourceSequence: d.sourceSequence,
    };
    const decided = decide(record, initialSubjectState, { register: ORDER_328_O, adequateCountries: new Set() });
    expect(decided).toEqual([{ type: event1.type, data: event1.data }]);
    expect(event1.metadata.schemaVersion).toBe(PROCESSING_RECORDED_SCHEMA_VERSION);
    expect(event1.streamId).toBe(`subject-${d.subjectId}`);
  });

  it('holds a SubjectFileRead with exactly the members the ledger records, at the current schema version', () => {
    // Typed so that a member added to or removed from SubjectFileReadData fails to compile until the example follows.
    const members: Record<keyof SubjectFileReadData, true> = {
      readId: true, subjectId: true, view: true, categories: true, purpose: true, actor: true, occurredAt: true,
    };
    expect(Object.keys(event2.data).sort()).toEqual(Object.keys(members).sort());
    expect(event2.metadata.schemaVersion).toBe(SUBJECT_FILE_READ_SCHEMA_VERSION);
    expect(upcastSubjectEvent(event2.type, event2.data, event2.metadata)).toEqual({ type: event2.type, data: event2.data });
    expect(event2.streamId).toBe(event1.streamId);
    expect(event2.id).toBe((event2.data as unknown as SubjectFileReadData).readId);
  });

  it("gives event 1's canonical bytes", () => {
    expect(canonicalEventJson(event1)).toBe(block('event-1-canonical'));
    expect(canonicalEventBytes(event1).length).toBe(1216);
  });

  it('gives the leaf and chain hashes of both events, and the root of the two', () => {
    expect(eventLeafHash(event1).toString('hex')).toBe(values('event-1-hashes').leafHash);
    expect(chainHash(event1)).toBe(values('event-1-hashes').chainHash);
    expect(eventLeafHash(event2).toString('hex')).toBe(values('event-2-hashes').leafHash);
    expect(chainHash(event2)).toBe(values('event-2-hashes').chainHash);
    expect(event2.metadata.previousHash).toBe(chainHash(event1));
    expect(nodeHash(eventLeafHash(event1), eventLeafHash(event2)).toString('hex')).toBe(values('tree-2').rootHash);
  });

  it("gives the tree head's key id, signed bytes and signature (RFC 8032's first test key)", () => {
    const seed = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
    const privateKey = createPrivateKey({ key: Buffer.from(`302e020100300506032b657004220420${seed}`, 'hex'), format: 'der', type: 'pkcs8' });
    const publicKeyPem = block('public-key') + '\n';
    expect(createPublicKey(privateKey).export({ format: 'pem', type: 'spki' })).toBe(publicKeyPem);
    const head = JSON.parse(block('tree-head')) as SignedTreeHead;
    expect(keyIdOf(publicKeyPem)).toBe(head.keyId);
    expect(head.rootHash).toBe(values('event-1-hashes').leafHash);
    expect(treeHeadSignedBytes(head).toString('utf8')).toBe(block('tree-head-signed-bytes'));
    expect(verifyTreeHead(head, publicKeyPem)).toBe(true);
  });
});
