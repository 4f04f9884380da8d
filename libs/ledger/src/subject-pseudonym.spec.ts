import { SUBJECT_ID_PATTERN, SubjectPseudonymizer, subjectStreamId } from './subject-pseudonym';

describe('SubjectPseudonymizer', () => {
  const key = Buffer.alloc(32, 7);

  it('is stable under one key and different under another', () => {
    const a = new SubjectPseudonymizer(key);
    const b = new SubjectPseudonymizer(Buffer.alloc(32, 8));
    expect(a.subjectId('791028302728')).toBe(new SubjectPseudonymizer(Buffer.alloc(32, 7)).subjectId('791028302728'));
    expect(a.subjectId('791028302728')).not.toBe(b.subjectId('791028302728'));
    expect(a.subjectId('791028302728')).not.toBe(a.subjectId('061211600012'));
  });

  it('never contains the IIN and names the stream by the pseudonym', () => {
    const id = new SubjectPseudonymizer(key).subjectId('791028302728');
    expect(id).toMatch(SUBJECT_ID_PATTERN);
    expect(id).not.toContain('791028302728');
    expect(subjectStreamId(id)).toBe(`subject-${id}`);
  });

  it('refuses a short key', () => {
    expect(() => new SubjectPseudonymizer(Buffer.alloc(16))).toThrow('at least 32 bytes');
  });
});
