import { buildIin as makeIin, checkIin, codeContainsIin, containsIin, iinCheckDigit, redactIins } from './iin';

/** The ledger's local date in these tests. */
const TODAY = '2026-11-25';

describe('IIN', () => {
  it.each([
    ['791028302728', '1979-10-28', 'male'],
    ['061211600012', '2006-12-11', 'female'],
  ])('accepts %s (born %s, %s)', (iin, birthDate, sex) => {
    expect(checkIin(iin, TODAY)).toEqual({ valid: true, birthDate, sex });
  });

  it('needs the second weight pass for 061211600012', () => {
    const digits = Array.from('06121160001', Number);
    const first = digits.reduce((s, d, i) => s + d * (i + 1), 0) % 11;
    expect(first).toBe(10);
    expect(iinCheckDigit(digits)).toBe(2);
  });

  it.each([
    ['010101600586', 'check-digit', 'check digit (digit 12) is 6, expected'],
    ['821214240092', 'never-issued', 'never issued'],
    ['123456789012', 'century-digit', 'digit 7 (century and sex) must be 1 to 6, got 7'],
    ['791028002728', 'century-digit', 'got 0'],
    ['79102830272', 'format', 'exactly 12 digits'],
    ['7910283027281', 'format', 'exactly 12 digits'],
    ['79102830272a', 'format', 'exactly 12 digits'],
    [' 791028302728', 'format', 'exactly 12 digits'],
    ['790230300000', 'birth-date', '1979-02-30'],
    ['791328300000', 'birth-date', 'not a real date'],
    ['791000300000', 'birth-date', 'not a real date'],
  ])('rejects %s by rule %s', (iin, rule, reason) => {
    const result = checkIin(iin, TODAY);
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.rule).toBe(rule);
    expect(result.reason).toContain(reason);
  });

  it('refuses a birth date after today, naming the rule; today itself is a birth date, and without today only the date is checked', () => {
    // 991231500016: century digit 5, so 2099-12-31, with a valid check digit.
    expect(checkIin('991231500016', TODAY)).toEqual({
      valid: false, rule: 'birth-date', reason: 'digits 1-6 with the century of digit 7 give a birth date in the future (2099-12-31, after 2026-11-25)',
    });
    expect(checkIin('991231500016', null)).toMatchObject({ valid: true, birthDate: '2099-12-31' });
    const born = (makeIin('261125', 5, '0001') ?? makeIin('261125', 5, '0002')) as string;
    expect(checkIin(born, TODAY)).toMatchObject({ valid: true, birthDate: '2026-11-25' });
    expect(checkIin(born, '2026-11-24')).toMatchObject({ valid: false, rule: 'birth-date' });
    // The free-text check errs towards finding an IIN: a future-dated one is still refused in text.
    expect(containsIin('ref 991231500016')).toBe(true);
  });

  it('knows leap days: 29 Feb 2000 exists, 29 Feb 1900 does not', () => {
    const leap = makeIin('000229', 6, '0001');
    const notLeap = makeIin('000229', 4, '0001');
    expect(leap && checkIin(leap, TODAY).valid).toBe(true);
    expect(notLeap && checkIin(notLeap, TODAY)).toMatchObject({ valid: false, rule: 'birth-date' });
  });

  it('rejects every single-digit change of a valid check digit', () => {
    const valid = '791028302728';
    for (let d = 0; d <= 9; d++) {
      if (d === 8) continue;
      expect(checkIin(valid.slice(0, 11) + d, TODAY)).toMatchObject({ valid: false, rule: 'check-digit' });
    }
  });

  it('accepts generated numbers across centuries and sexes', () => {
    let built = 0;
    for (const [date, digit] of [['850115', 3], ['991231', 4], ['200229', 5], ['240101', 6], ['650505', 1], ['700707', 2]] as const) {
      for (let serial = 0; serial < 50; serial++) {
        const iin = makeIin(date, digit, String(serial).padStart(4, '0'));
        if (iin === null) continue;
        built++;
        expect(checkIin(iin, TODAY)).toMatchObject({ valid: true, sex: digit % 2 ? 'male' : 'female' });
      }
    }
    expect(built).toBeGreaterThan(250);
  });

  it('builds no IIN for a prefix whose check digit does not exist, and refuses a malformed prefix', () => {
    expect(makeIin('821214', 2, '4009')).toBeNull();
    expect(makeIin('791028', 3, '0272')).toBe('791028302728');
    expect(() => makeIin('7910', 3, '0272')).toThrow(RangeError);
  });

  it('finds an IIN hidden in free text but not other numbers', () => {
    expect(containsIin('called 791028302728 about the file')).toBe(true);
    expect(containsIin('doc no. 0791028302728x')).toBe(true);
    expect(containsIin('order 010101600586 (not valid)')).toBe(false);
    expect(containsIin('phone +7 701 123 45 67')).toBe(false);
  });

  it('finds in long runs of digits exactly the places checkIin takes, wherever they are', () => {
    // checkIin at every place of the run, as the search did before its integer pre-check.
    const atEveryPlace = (run: string) => Array.from({ length: run.length - 11 }, (_, i) => run.slice(i, i + 12)).some((w) => checkIin(w, null).valid);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let found = 0;
    for (let n = 0; n < 3000; n++) {
      // Digits drawn so that dates and century digits often fit: every rule gets to decide somewhere.
      const run = Array.from({ length: 12 + Math.floor(random() * 40) }, (_, i) => String(i % 6 === 2 ? Math.floor(random() * 2) : Math.floor(random() * 10))).join('');
      const expected = atEveryPlace(run);
      if (expected) found++;
      expect([run, containsIin(run)]).toEqual([run, expected]);
    }
    expect(found).toBeGreaterThan(50);
    expect(containsIin(`${'1'.repeat(2000)} 791028302728`)).toBe(true);
    expect(containsIin(`${'1'.repeat(1000)}791028302728${'1'.repeat(1000)}`)).toBe(true);
    expect(containsIin('1'.repeat(2000))).toBe(false);
  });

  it('finds an IIN written in the digits of another script, split by separators or invisible characters', () => {
    expect(containsIin('８５０３１５３１００１６')).toBe(true); // fullwidth
    expect(containsIin('id ٨٥٠٣١٥٣١٠٠١٦')).toBe(true); // Arabic-Indic
    expect(containsIin('𝟖𝟓𝟎𝟑𝟏𝟓𝟑𝟏𝟎𝟎𝟏𝟔')).toBe(true); // mathematical bold, outside the BMP
    expect(containsIin('८५०३१५३१००१६')).toBe(true); // Devanagari
    expect(containsIin('IIN 850315 310016')).toBe(true);
    expect(containsIin('IIN 850315-310016.')).toBe(true);
    expect(containsIin('IIN 8503\u00a015310016')).toBe(true);
    expect(containsIin('8503153\u200b10016')).toBe(true);
    expect(containsIin('8503153\u2060\u200d10016')).toBe(true);
    expect(containsIin('IIN 850315/310016 on file')).toBe(true); // a slash, as in a document number
    // The later runs of mathematical digits follow one another without a gap: each starts again at zero.
    expect(containsIin('𝟠𝟝𝟘𝟛𝟙𝟝𝟛𝟙𝟘𝟘𝟙𝟞')).toBe(true); // double-struck, U+1D7D8
    expect(containsIin('𝟪𝟧𝟢𝟥𝟣𝟧𝟥𝟣𝟢𝟢𝟣𝟨')).toBe(true); // sans-serif, U+1D7E2
    expect(containsIin('𝟴𝟱𝟬𝟯𝟭𝟱𝟯𝟭𝟬𝟬𝟭𝟲')).toBe(true); // sans-serif bold, U+1D7EC
    expect(containsIin('id 𝟾𝟻𝟶𝟹𝟷𝟻𝟹𝟷𝟶𝟶𝟷𝟼')).toBe(true); // monospace, U+1D7F6, the last run
    expect(containsIin('８５０３１５３１００１７')).toBe(false); // check digit wrong
    expect(containsIin('meeting 2026-11-20, room 12, ext. 4501')).toBe(false);
    expect(containsIin('850315  310016')).toBe(false); // two spaces: two numbers
    // Free text does not join digits over _ : @ (a date and time with seconds would read as twelve digits)...
    expect(containsIin('791028:302728')).toBe(false);
    expect(containsIin('20.11.2026 15:30:42')).toBe(false);
  });

  it('reads the other scripts\' spaces, dashes and separators as their ASCII ones, and combining marks as invisible', () => {
    for (const text of [
      '７９１０２８－３０２７２８', // fullwidth digits and hyphen
      '791028\u2013302728', '791028\u2011302728', '791028\u2010302728', '791028\u2212302728', // en dash, non-breaking hyphen, hyphen, minus
      '791\u2009028\u2009302\u2009728', '791028\u2007302728', '791028\u202f302728', '791028\u3000302728', // thin, figure, narrow, ideographic
      '７９１０２８．３０２７２８', '７９１０２８／３０２７２８', // fullwidth full stop, solidus
      '7\u03039\u03031\u03030\u03032\u03038\u03033\u03030\u03032\u03037\u03032\u03038\u0303', // a combining tilde on each
      '791028\u034f302728', '791028\ufe0f302728', '791028\u3164302728', // grapheme joiner, variation selector, Hangul filler
    ]) expect([text, containsIin(`IIN ${text}`), codeContainsIin(`u_${text}`)]).toEqual([text, true, true]);
    // As with their ASCII forms: two spaces are two numbers in free text; a colon or low line joins only in a code.
    expect(containsIin('791028\u2009\u2009302728')).toBe(false);
    expect([containsIin('791028\uff1a302728'), codeContainsIin('791028\uff1a302728'), codeContainsIin('791028\uff3f302728'), codeContainsIin('x\uff20791028\uff20302728')])
      .toEqual([false, true, true, true]);
    expect(containsIin('20\u201311\u20132026 15\u200930')).toBe(false);
    expect(redactIins('８５０３１５－３１００１６ and 791028\u2013302728, 7\u0303\u03039102830272\u034f8')).toBe('8**********6 and 7**********8, 7**********8');
  });

  it('does not take twelve digits with a right check digit but an impossible birth date for an IIN', () => {
    // 31 Feb, 31 Apr, 29 Feb 1987: each passes the day <= 31 pre-check and carries the check digit its prefix gives.
    for (const digits of ['850231300002', '850431300003', '870229300005']) {
      expect(iinCheckDigit(Array.from(digits, Number))).toBe(Number(digits[11]));
      expect(checkIin(digits, null)).toMatchObject({ valid: false, rule: 'birth-date' });
      expect([digits, containsIin(`ref ${digits}`), codeContainsIin(`ref_${digits}`), redactIins(`no ${digits}`)]).toEqual([digits, false, false, `no ${digits}`]);
    }
  });

  it('finds an IIN in a code split by any character codes allow: . _ : @ / -', () => {
    for (const code of ['791028_302728', '791028:302728', 'iin_791028_302728', 'x@791028@302728', '7910-28.30/2728', 'a:７９１０２８:３０２７２８']) {
      expect([code, codeContainsIin(code)]).toEqual([code, true]);
    }
    // Any run of separators between digits, as one (found in an audit: `--` and `.-.` got through).
    for (const code of ['791028__302728', '791028--302728', 'u791028-.-302728', '79-10-28..30:27@@28']) expect([code, codeContainsIin(code)]).toEqual([code, true]);
    expect(containsIin('791028--302728')).toBe(false); // free text: single separators only (dates and times)
    expect(codeContainsIin('791028:302729')).toBe(false); // check digit wrong
    expect(codeContainsIin('hr-17')).toBe(false);
  });

  it('masks each IIN in a text as codeContainsIin reads it, and leaves every other text as it is', () => {
    expect(redactIins('unknown category "770707443318": use the order\'s number or its code')).toBe('unknown category "7**********8": use the order\'s number or its code');
    expect(redactIins('x850808343306')).toBe('x8**********6');
    expect(redactIins('subject[850808343306].iin, then 791028302728')).toBe('subject[8**********6].iin, then 7**********8');
    // Written as codeContainsIin reads it: separators, other scripts, invisible characters; a longer run as a whole.
    expect(redactIins('purpose "791028_302728"')).toBe('purpose "7**********8"');
    expect(redactIins('a:７９１０２８:３０２７２８ b')).toBe('a:7**********8 b');
    expect(redactIins('8503153\u200b10016 and 79-10-28..30:27@@28')).toBe('8**********6 and 7**********8');
    expect(redactIins('doc 0791028302728x')).toBe('doc 0***********8x');
    // keep, told where each run that holds an IIN is, may leave it as it is: here the first.
    const kept: [number, number][] = [];
    expect(redactIins('791028302728 and 850808-343306', (start, end) => kept.push([start, end]) === 1)).toBe('791028302728 and 8**********6');
    expect(kept).toEqual([[0, 12], [17, 30]]);
    for (const text of [
      'must not be greater than 720', 'check digit (digit 12) is 9, expected 8 (rule: check-digit)', 'records[999].subject.iin',
      'order 010101600586 (not valid)', '791028302729', 'is in the future (the ledger\'s clock says 2026-11-25T12:00:00.000Z)', '',
    ]) expect(redactIins(text)).toBe(text);
  });
});
