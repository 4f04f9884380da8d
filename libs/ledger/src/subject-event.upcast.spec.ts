import { UnreadableEventError, upcastSubjectEvent } from './subject-event.upcast';

describe('upcastSubjectEvent', () => {
  const v1 = { recordId: 'r1', subjectId: 's', operation: 'access', note: null };

  it('reads a v1 ProcessingRecorded as the current version: no embargo, no subject mask, no request, no source sequence', () => {
    const event = upcastSubjectEvent('ProcessingRecorded', v1, { schemaVersion: 1 });
    expect(event).toEqual({
      type: 'ProcessingRecorded', data: { ...v1, embargoUntil: null, subjectMask: null, requestId: null, sourceSequence: null },
    });
  });

  it('leaves v2 and v3 events as stored but for the source sequence they never had: their plain note and recipient without a kind stay', () => {
    const v2 = {
      ...v1, note: 'competition file', recipient: { name: 'Pension fund', country: 'KZ' },
      embargoUntil: '2027-01-01', subjectMask: '7**********8', requestId: null,
    };
    expect(upcastSubjectEvent('ProcessingRecorded', v2, { schemaVersion: 2 })?.data).toEqual({ ...v2, sourceSequence: null });
    const v3 = { ...v2, note: 'sealed:v1:1:AAAA', recipient: { name: 'sealed:v1:1:BBBB', country: 'KZ', kind: 'person' } };
    expect(upcastSubjectEvent('ProcessingRecorded', v3, { schemaVersion: 3 })?.data).toEqual({ ...v3, sourceSequence: null });
  });

  it('reads a v4 ProcessingRecorded with its source sequence, or without one, as stored', () => {
    const v4 = { ...v1, embargoUntil: null, subjectMask: null, requestId: null, sourceSequence: 17 };
    expect(upcastSubjectEvent('ProcessingRecorded', v4, { schemaVersion: 4 })?.data).toEqual(v4);
    const unnumbered = { ...v4, sourceSequence: null };
    expect(upcastSubjectEvent('ProcessingRecorded', unnumbered, { schemaVersion: 4 })?.data).toEqual(unnumbered);
  });

  it('gives a v4 state violation the time its detail ends with, and leaves the other violations and v5 ones as stored', () => {
    const v4 = { ...v1, embargoUntil: null, subjectMask: null, requestId: null, sourceSequence: null, violations: [
      { code: 'category-destroyed', category: 28, detail: 'access of category 28 (medical-results), destroyed at 2026-03-01T10:00:00Z' },
      { code: 'category-depersonalized', category: 3, detail: 'change of category 3 (birth-date), depersonalized at 2026-04-02T00:00:00.000Z' },
      { code: 'blocked-data-processed', category: 1, detail: 'transfer of category 1 (surname), blocked since 2026-05-03T08:15:00+05:00' },
      { code: 'blocked-data-processed', category: 2, detail: 'worded otherwise by hand' },
      { code: 'purpose-not-in-register', detail: 'purpose P99 is not in mep-328 v1' },
    ] };
    const read = upcastSubjectEvent('ProcessingRecorded', v4, { schemaVersion: 4 })?.data as unknown as { violations: unknown[] };
    expect(read.violations.map((v) => (v as { since?: unknown }).since)).toEqual([
      '2026-03-01T10:00:00Z', '2026-04-02T00:00:00.000Z', '2026-05-03T08:15:00+05:00', null, undefined,
    ]);
    expect(read.violations[4]).toEqual(v4.violations[4]);
    const v5 = { ...v4, violations: [{ ...v4.violations[0], since: '2026-03-01T10:00:00.000Z' }] };
    expect(upcastSubjectEvent('ProcessingRecorded', v5, { schemaVersion: 5 })?.data).toEqual(v5);
  });

  it('reads the request events at v1 with their plain text, received, answered and refused at v2, and ignores types it does not know', () => {
    expect(upcastSubjectEvent('SubjectRequestReceived', { requestId: 'q', detail: 'please' }, { schemaVersion: 1 })).toEqual({
      type: 'SubjectRequestReceived', data: { requestId: 'q', detail: 'please' },
    });
    expect(upcastSubjectEvent('SubjectRequestAnswered', { requestId: 'q', note: 'sealed:v1:2:AAAA' }, { schemaVersion: 2 })?.data)
      .toEqual({ requestId: 'q', note: 'sealed:v1:2:AAAA' });
    expect(upcastSubjectEvent('SubjectRequestRefused', { requestId: 'q', reasons: ['kept by law'] }, { schemaVersion: 1 })?.data)
      .toEqual({ requestId: 'q', reasons: ['kept by law'] });
    expect(upcastSubjectEvent('SubjectRequestRefused', { requestId: 'q', reasons: ['sealed:v1:1:AAAA'] }, { schemaVersion: 2 })?.data)
      .toEqual({ requestId: 'q', reasons: ['sealed:v1:1:AAAA'] });
    expect(upcastSubjectEvent('SomethingLater', {}, { schemaVersion: 1 })).toBeNull();
  });

  it('reads the deadlines of received before v3 and re-timed before v2 as counted from the day after receipt, the only rule then', () => {
    const calendar = { id: 'kz-working-days', version: '1', fingerprint: 'f'.repeat(64) };
    const deadline = { date: '2026-03-26', workingDays: 1, coverage: 'verified', calendar };
    for (const version of [1, 2]) {
      expect(upcastSubjectEvent('SubjectRequestReceived', { requestId: 'q', deadline }, { schemaVersion: version })?.data)
        .toEqual({ requestId: 'q', deadline: { ...deadline, firstDay: 'after-receipt' } });
    }
    // The rule recorded from v3 on is read as it is, whichever it is.
    const onReceipt = { ...deadline, date: '2026-03-20', firstDay: 'receipt' };
    expect(upcastSubjectEvent('SubjectRequestReceived', { requestId: 'q', deadline: onReceipt }, { schemaVersion: 3 })?.data)
      .toEqual({ requestId: 'q', deadline: onReceipt });
    const moved = { ...deadline, date: '2026-03-27' };
    expect(upcastSubjectEvent('SubjectRequestRetimed', { requestId: 'q', previous: deadline, deadline: moved }, { schemaVersion: 1 })?.data).toEqual({
      requestId: 'q', previous: { ...deadline, firstDay: 'after-receipt' }, deadline: { ...moved, firstDay: 'after-receipt' },
    });
    const retimed = { requestId: 'q', previous: onReceipt, deadline: { ...onReceipt, date: '2026-03-26' } };
    expect(upcastSubjectEvent('SubjectRequestRetimed', retimed, { schemaVersion: 2 })?.data).toEqual(retimed);
  });

  it('reads SubjectDataKeyDestroyed v1', () => {
    const data = { subjectId: 's', destroyedAt: '2026-11-25T12:00:00.000Z', reason: 'storage period ended', by: { id: 'a', role: 'official', unit: 'u' } };
    expect(upcastSubjectEvent('SubjectDataKeyDestroyed', data, { schemaVersion: 1 })).toEqual({ type: 'SubjectDataKeyDestroyed', data });
  });

  it('refuses versions it cannot read', () => {
    expect(() => upcastSubjectEvent('ProcessingRecorded', v1, { schemaVersion: 6 })).toThrow(UnreadableEventError);
    expect(() => upcastSubjectEvent('SubjectRequestAnswered', {}, { schemaVersion: 3 })).toThrow(/newer/);
    expect(() => upcastSubjectEvent('SubjectRequestRefused', {}, { schemaVersion: 3 })).toThrow(/newer/);
    expect(() => upcastSubjectEvent('SubjectRequestReceived', {}, { schemaVersion: 4 })).toThrow(/newer/);
    expect(() => upcastSubjectEvent('SubjectRequestRetimed', {}, { schemaVersion: 3 })).toThrow(/newer/);
    expect(() => upcastSubjectEvent('SubjectDataKeyDestroyed', {}, { schemaVersion: 2 })).toThrow(/newer/);
    expect(() => upcastSubjectEvent('ProcessingRecorded', v1, {})).toThrow(/schemaVersion/);
  });
});
