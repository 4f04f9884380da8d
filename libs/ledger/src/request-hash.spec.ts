import { createHash } from 'node:crypto';
import type { RecordProcessing } from './processing-record.command';
import { HmacSha256 } from './hmac-sha256';
import { recordFingerprint, recordHash, sameRecord } from './request-hash';
import { evolve, initialSubjectState } from './subject-state';

const transfer: RecordProcessing = {
  recordId: '00000000-0000-4000-8000-000000000001',
  subjectId: 'a'.repeat(64),
  operation: 'transfer',
  categories: [{ number: 1, slug: 'full-name' }],
  purpose: { code: 'P01', slug: 'staffing' },
  actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' },
  system: 'hr-portal',
  occurredAt: '2026-11-20T09:30:00.000Z',
  source: null,
  recipient: { name: 'Pension fund', country: 'KZ' },
  transferGround: null,
  note: 'competition file',
  embargoUntil: null,
  subjectMask: null,
  requestId: null,
  sourceSequence: null,
};

describe('recordHash', () => {
  it('keeps the fingerprint of an organization recipient as before recipient.kind existed', () => {
    const withKind = { ...transfer, recipient: { name: 'Pension fund', country: 'KZ', kind: 'organization' as const } };
    expect(recordHash(withKind)).toBe(recordHash(transfer));
  });

  it('tells a person recipient from an organization of the same name', () => {
    const person = { ...transfer, recipient: { name: 'Pension fund', country: 'KZ', kind: 'person' as const } };
    expect(recordHash(person)).not.toBe(recordHash(transfer));
  });

  it('keeps the fingerprint of a record without a source sequence as it was before v4, and tells numbered records apart', () => {
    // The canonical form of v3, written out: events stored before v4 must stay idempotent.
    const before = JSON.stringify([
      transfer.recordId, transfer.subjectId, 'transfer', [1], 'P01', ['hr-17', 'hr-specialist', 'personnel-management'], 'hr-portal',
      '2026-11-20T09:30:00.000Z', null, ['Pension fund', 'KZ'], null, 'competition file',
    ]);
    expect(recordHash(transfer)).toBe(createHash('sha256').update(before, 'utf8').digest('hex'));
    const numbered = { ...transfer, sourceSequence: 7 };
    expect(recordHash(numbered)).not.toBe(recordHash(transfer));
    expect(recordHash({ ...transfer, sourceSequence: 8 })).not.toBe(recordHash(numbered));
    expect(recordHash({ ...transfer, sourceSequence: 7 })).toBe(recordHash(numbered));
    // A number is never read as the request id or embargo date that come before it.
    expect(recordHash({ ...transfer, requestId: '7' })).not.toBe(recordHash(numbered));
  });

  it('is over the plain text: the same note is the same record, another note another record', () => {
    expect(recordHash({ ...transfer })).toBe(recordHash(transfer));
    expect(recordHash({ ...transfer, note: 'competition file.' })).not.toBe(recordHash(transfer));
  });
});

describe('SubjectDataKeyDestroyed', () => {
  it('leaves the deciding state as it was: it destroys texts, not categories', () => {
    const event = {
      type: 'SubjectDataKeyDestroyed' as const,
      data: { subjectId: 'a'.repeat(64), destroyedAt: '2026-11-25T12:00:00.000Z', reason: 'storage period ended', by: transfer.actor },
    };
    expect(evolve(initialSubjectState, event)).toBe(initialSubjectState);
  });
});

describe('recordFingerprint', () => {
  const key = new HmacSha256(Buffer.alloc(32, 7));

  it('is keyed: without the key a guessed note cannot be tested against it', () => {
    const stored = recordFingerprint(transfer, key);
    expect(stored).toMatch(/^hmac:[0-9a-f]{64}$/);
    expect(stored).not.toContain(recordHash(transfer));
    expect(recordFingerprint(transfer, new HmacSha256(Buffer.alloc(32, 8)))).not.toBe(stored);
    // A guess of the note is told from the truth only with the key.
    expect(recordFingerprint({ ...transfer, note: 'competition file' }, key)).toBe(stored);
    expect(recordFingerprint({ ...transfer, note: 'disciplinary file' }, key)).not.toBe(stored);
  });

  it('recognises the same record by a keyed fingerprint or by the unkeyed hash older events carry', () => {
    expect(sameRecord(recordFingerprint(transfer, key), transfer, key)).toBe(true);
    expect(sameRecord(recordHash(transfer), transfer, key)).toBe(true);
    const other = { ...transfer, note: 'another note' };
    expect(sameRecord(recordFingerprint(transfer, key), other, key)).toBe(false);
    expect(sameRecord(recordHash(transfer), other, key)).toBe(false);
    expect(sameRecord(undefined, transfer, key)).toBe(false);
  });
});
