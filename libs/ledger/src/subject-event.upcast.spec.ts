import { UnreadableEventError, upcastSubjectEvent } from './subject-event.upcast';

describe('upcastSubjectEvent', () => {
  const v1 = { recordId: 'r1', subjectId: 's', operation: 'access', note: null };

  it('reads a v1 ProcessingRecorded as v2: no embargo, no subject mask, no request', () => {
    const event = upcastSubjectEvent('ProcessingRecorded', v1, { schemaVersion: 1 });
    expect(event).toEqual({ type: 'ProcessingRecorded', data: { ...v1, embargoUntil: null, subjectMask: null, requestId: null } });
  });

  it('leaves a v2 event as stored', () => {
    const v2 = { ...v1, embargoUntil: '2027-01-01', subjectMask: '7**********8', requestId: null };
    expect(upcastSubjectEvent('ProcessingRecorded', v2, { schemaVersion: 2 })?.data).toEqual(v2);
  });

  it('reads the request events at v1 and ignores types it does not know', () => {
    expect(upcastSubjectEvent('SubjectRequestReceived', { requestId: 'q' }, { schemaVersion: 1 })?.type).toBe('SubjectRequestReceived');
    expect(upcastSubjectEvent('SomethingLater', {}, { schemaVersion: 1 })).toBeNull();
  });

  it('refuses versions it cannot read', () => {
    expect(() => upcastSubjectEvent('ProcessingRecorded', v1, { schemaVersion: 3 })).toThrow(UnreadableEventError);
    expect(() => upcastSubjectEvent('SubjectRequestAnswered', {}, { schemaVersion: 2 })).toThrow(/newer/);
    expect(() => upcastSubjectEvent('ProcessingRecorded', v1, {})).toThrow(/schemaVersion/);
  });
});
