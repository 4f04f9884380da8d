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
    for (const rule of ['after-receipt', 'receipt'] as const) {
      expect(DEADLINE_COUNTING.text[rule].en).toMatch(/^Working days only/);
      expect(DEADLINE_COUNTING.text[rule].ru).toMatch(/рабочие дни/);
      expect(DEADLINE_COUNTING.text[rule].kk).toMatch(/жұмыс күндері/);
      expect(Object.isFrozen(DEADLINE_COUNTING.text[rule])).toBe(true);
    }
    expect(Object.isFrozen(DEADLINE_COUNTING.text)).toBe(true);
  });

  it('starts day 1 after the day of receipt, from memory (law.md [M]), and tells each rule as it is', () => {
    expect(DEADLINE_COUNTING.firstDay).toBe('after-receipt');
    expect(DEADLINE_COUNTING.basis).toMatch(/day 1 is the first working day after the day of receipt \[M\]/);
    expect(DEADLINE_COUNTING.text['after-receipt'].en).toMatch(/from the day after your request is received/);
    expect(DEADLINE_COUNTING.text.receipt.en).toMatch(/from the day your request is received if that is a working day/);
    expect(DEADLINE_COUNTING.text['after-receipt'].ru).toMatch(/со дня, следующего за днём получения/);
    expect(DEADLINE_COUNTING.text.receipt.ru).toMatch(/со дня получения запроса, если это рабочий день/);
    expect(DEADLINE_COUNTING.text['after-receipt'].kk).toMatch(/алынған күннің келесі күнінен бастап/);
    expect(DEADLINE_COUNTING.text.receipt.kk).toMatch(/алынған күн жұмыс күні болса, сол күннен бастап/);
  });

  it.each([
    ['next-day', `counting.firstDay: must be 'after-receipt' or 'receipt', got "next-day"`],
    [1, `counting.firstDay: must be 'after-receipt' or 'receipt', got 1`],
    [undefined, `counting.firstDay: must be 'after-receipt' or 'receipt', got undefined`],
  ])('refuses a file whose counting.firstDay is %p, naming the field and the rules', (firstDay, message) => {
    const file = structuredClone(data) as any;
    if (firstDay === undefined) delete file.counting.firstDay;
    else file.counting.firstDay = firstDay;
    expect(() => deadlineDefaultsOf(file)).toThrow(`request-deadline-defaults.json: ${message}`);
  });

  it("refuses a file without the other rule's text, since the operator may choose it", () => {
    const file = structuredClone(data) as any;
    delete file.counting.text.receipt.ru;
    expect(() => deadlineDefaultsOf(file)).toThrow('request-deadline-defaults.json: counting.text.receipt.ru: must be a non-empty string');
    // The shape before the rule was data (one text, no rule) is refused too, naming the first thing it lacks.
    const old = structuredClone(data) as any;
    old.counting.text = old.counting.text['after-receipt'];
    expect(() => deadlineDefaultsOf(old)).toThrow('request-deadline-defaults.json: counting.text.after-receipt.kk: must be a non-empty string');
  });

  it('refuses a file whose source or counting rule is missing or wrong, naming the field', () => {
    const file = structuredClone(data) as any;
    file.kinds.blocking.source = 'court';
    expect(() => deadlineDefaultsOf(file)).toThrow("request-deadline-defaults.json: kinds.blocking.source: must be 'law' or 'ledger'");
    const noVerified = structuredClone(data) as any;
    delete noVerified.counting.verified;
    expect(() => deadlineDefaultsOf(noVerified)).toThrow('request-deadline-defaults.json: counting.verified: must be true or false');
    const noKazakh = structuredClone(data) as any;
    noKazakh.counting.text['after-receipt'].kk = ' ';
    expect(() => deadlineDefaultsOf(noKazakh)).toThrow('request-deadline-defaults.json: counting.text.after-receipt.kk: must be a non-empty string');
  });
});
