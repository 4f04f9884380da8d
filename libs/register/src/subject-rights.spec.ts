import data from './data/subject-rights.json';
import { RegisterSchemaError } from './register-schema-error';
import { builtInSubjectRights, parseSubjectRights } from './subject-rights';

// A deliberately broken copy is edited freely, whatever the model says.
type Loose = any;

const KINDS = ['information', 'change', 'blocking', 'unblocking', 'destruction', 'consent-withdrawal'];

function rejection(mutate: (d: Loose) => void): RegisterSchemaError {
  const copy: Loose = structuredClone(data);
  mutate(copy);
  try {
    parseSubjectRights(copy, 'subject-rights.json', KINDS);
  } catch (err) {
    if (err instanceof RegisterSchemaError) return err;
    throw err;
  }
  throw new Error('parseSubjectRights accepted the input');
}

describe('the subject-rights data file', () => {
  it('holds the rights of Art. 24 in three languages, only blocking marked verified (law.md: the rest is from memory)', () => {
    const rights = builtInSubjectRights(KINDS);
    expect(rights.map((r) => r.code)).toEqual(['know', 'change', 'blocking', 'destruction', 'consent-withdrawal', 'public-sources', 'protection', 'other']);
    expect(rights.filter((r) => r.verified).map((r) => r.code)).toEqual(['blocking']);
    expect(rights.find((r) => r.code === 'blocking')?.requests).toEqual(['blocking']);
    for (const r of rights) for (const lang of ['kk', 'ru', 'en'] as const) expect(r.citation[lang]).toMatch(/94-V.*24/);
    expect(Object.isFrozen(rights[0]?.text)).toBe(true);
  });

  it('names the bad field and why', () => {
    expect(rejection((d) => (d.rights[2].verified = 'yes'))).toMatchObject({ field: 'rights[2].verified', reason: 'must be true or false' });
    expect(rejection((d) => delete d.rights[1].citation.ru)).toMatchObject({ field: 'rights[1].citation.ru', reason: 'is required' });
    expect(rejection((d) => (d.rights[0].requests = ['complaint'])).field).toBe('rights[0].requests[0]');
    expect(rejection((d) => (d.rights[0].requests = ['complaint'])).reason).toMatch(/must be one of "information", .*got "complaint"/);
    expect(rejection((d) => (d.rights[3].code = d.rights[0].code)).reason).toMatch(/duplicate right "know" \(also at rights\[0\]\.code\)/);
    expect(rejection((d) => (d.rights[4].txt = d.rights[4].text)).field).toBe('rights[4].txt');
    expect(rejection((d) => (d.rights = [])).field).toBe('rights');
    expect(rejection((d) => (d.rights[5].text.kk = ' ')).message).toBe('registers file subject-rights.json: rights[5].text.kk: must be a non-empty string');
  });

  it('lets a right point only at a request kind the ledger takes', () => {
    expect(() => builtInSubjectRights(KINDS.filter((k) => k !== 'blocking'))).toThrow(/rights\[2\]\.requests\[0\]: must be one of/);
  });
});
