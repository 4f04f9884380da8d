import data from './request-deadline-defaults.json';
import { DEADLINE_COUNTING, DEFAULT_REQUEST_DEADLINES, deadlineDefaultsOf } from './request-deadlines';
import { REQUEST_KINDS } from './subject-request.events';

describe('default request deadlines (data)', () => {
  it('gives every kind of request a length and the basis of it', () => {
    for (const kind of REQUEST_KINDS) {
      expect(DEFAULT_REQUEST_DEADLINES[kind].workingDays).toBeGreaterThanOrEqual(1);
      expect(DEFAULT_REQUEST_DEADLINES[kind].basis).not.toBe('');
    }
  });

  it("marks verified only the 3 working days to inform, which law.md checked against a source", () => {
    const verified = REQUEST_KINDS.filter((kind) => DEFAULT_REQUEST_DEADLINES[kind].verified);
    expect(verified).toEqual(['information']);
    expect(DEFAULT_REQUEST_DEADLINES.information.workingDays).toBe(3);
    expect(DEFAULT_REQUEST_DEADLINES.blocking.workingDays).toBe(1);
    // Art. 8 states none: the default must not pass for the law's.
    expect(DEFAULT_REQUEST_DEADLINES['consent-withdrawal'].basis).toMatch(/none stated/);
  });
});

describe('whose each default is, and how the days are counted (data)', () => {
  it("says the law's from the ledger's own: only the withdrawal of consent, for which Art. 8 states none, is the ledger's", () => {
    expect(REQUEST_KINDS.filter((kind) => DEFAULT_REQUEST_DEADLINES[kind].source === 'ledger')).toEqual(['consent-withdrawal']);
    expect(DEFAULT_REQUEST_DEADLINES['consent-withdrawal'].verified).toBe(false);
  });

  it('holds the counting rule in three languages, unverified: the five-day week is from memory (law.md [M])', () => {
    expect(DEADLINE_COUNTING.verified).toBe(false);
    expect(DEADLINE_COUNTING.basis).toMatch(/five-day week.*\[M\]/);
    expect(DEADLINE_COUNTING.text.en).toMatch(/^Working days only/);
    expect(DEADLINE_COUNTING.text.ru).toMatch(/рабочие дни/);
    expect(DEADLINE_COUNTING.text.kk).toMatch(/жұмыс күндері/);
    expect(Object.isFrozen(DEADLINE_COUNTING.text)).toBe(true);
  });

  it('refuses a file whose source or counting rule is missing or wrong, naming the field', () => {
    const file = structuredClone(data) as any;
    file.kinds.blocking.source = 'court';
    expect(() => deadlineDefaultsOf(file)).toThrow("request-deadline-defaults.json: kinds.blocking.source: must be 'law' or 'ledger'");
    const noVerified = structuredClone(data) as any;
    delete noVerified.counting.verified;
    expect(() => deadlineDefaultsOf(noVerified)).toThrow('request-deadline-defaults.json: counting.verified: must be true or false');
    const noKazakh = structuredClone(data) as any;
    noKazakh.counting.text.kk = ' ';
    expect(() => deadlineDefaultsOf(noKazakh)).toThrow('request-deadline-defaults.json: counting.text.kk: must be a non-empty string');
  });
});
