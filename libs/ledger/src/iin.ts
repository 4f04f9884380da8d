/**
 * The Kazakhstan individual identification number (ИИН / ЖСН): YYMMDD, a century-and-sex digit, four serial digits
 * and a check digit computed in two weighted passes mod 11 (Government Decree No. 406 of 22 May 2007).
 */

export type IinRule = 'format' | 'century-digit' | 'birth-date' | 'never-issued' | 'check-digit';

export type IinCheck =
  | { readonly valid: true; readonly birthDate: string; readonly sex: 'male' | 'female' }
  | { readonly valid: false; readonly rule: IinRule; readonly reason: string };

const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
const CENTURY_BY_DIGIT: Record<number, number> = { 1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000 };

function weightedMod11(digits: ArrayLike<number>, weights: readonly number[], at: number): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += (digits[at + i] as number) * (weights[i] as number);
  return sum % 11;
}

/**
 * The check digit of an 11-digit prefix (the digits from `at`), or null when both passes give 10 (such a number is
 * never issued).
 */
export function iinCheckDigit(digits: ArrayLike<number>, at = 0): number | null {
  const first = weightedMod11(digits, FIRST_WEIGHTS, at);
  if (first !== 10) return first;
  const second = weightedMod11(digits, SECOND_WEIGHTS, at);
  return second === 10 ? null : second;
}

/**
 * A valid IIN from a birth date (YYMMDD), century-and-sex digit and four-digit serial, or null when that prefix can
 * have no check digit. For test and demonstration data: real IINs come from the population register.
 */
export function buildIin(yymmdd: string, centuryDigit: number, serial: string): string | null {
  const prefix = `${yymmdd}${centuryDigit}${serial}`;
  if (!/^\d{11}$/.test(prefix)) throw new RangeError(`not an 11-digit IIN prefix: ${prefix}`);
  const check = iinCheckDigit(Array.from(prefix, (c) => c.charCodeAt(0) - 48));
  return check === null ? null : prefix + check;
}

/**
 * Checks an IIN and says which rule failed. `today` is the ledger's local date (YYYY-MM-DD): a birth date after it
 * is no real one. null skips that rule, for the IIN check of texts, which errs towards finding an IIN.
 */
export function checkIin(iin: string, today: string | null): IinCheck {
  if (!/^\d{12}$/.test(iin)) {
    return { valid: false, rule: 'format', reason: 'must be exactly 12 digits' };
  }
  // By index, not Array.from(iin, ...) (its string iterator): with the birth date below written from the digits
  // rather than by toISOString, 1.35 -> 0.35 µs a valid IIN, once per record of every request (measured in session 22).
  const digits = new Array<number>(12);
  for (let i = 0; i < 12; i++) digits[i] = iin.charCodeAt(i) - 48;
  const centuryDigit = digits[6] as number;
  const century = CENTURY_BY_DIGIT[centuryDigit];
  if (century === undefined) {
    return {
      valid: false,
      rule: 'century-digit',
      reason: `digit 7 (century and sex) must be 1 to 6, got ${centuryDigit}`,
    };
  }
  const year = century + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return {
      valid: false,
      rule: 'birth-date',
      reason: `digits 1-6 with the century of digit 7 are not a real date (${year}-${iin.slice(2, 4)}-${iin.slice(4, 6)})`,
    };
  }
  // The century is 1800 to 2000: always four digits, as toISOString writes the year.
  const birthDate = `${year}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`;
  if (today !== null && birthDate > today) {
    return { valid: false, rule: 'birth-date', reason: `digits 1-6 with the century of digit 7 give a birth date in the future (${birthDate}, after ${today})` };
  }
  const expected = iinCheckDigit(digits);
  if (expected === null) {
    return { valid: false, rule: 'never-issued', reason: 'both check-digit passes give 10: such a number is never issued' };
  }
  if (expected !== digits[11]) {
    return { valid: false, rule: 'check-digit', reason: `check digit (digit 12) is ${digits[11]}, expected ${expected}` };
  }
  return {
    valid: true,
    birthDate,
    sex: centuryDigit % 2 === 1 ? 'male' : 'female',
  };
}

/** Whether the IIN passes every rule but the birth date's being past (for finding IINs in text; see checkIin). */
export function isValidIin(iin: string): boolean {
  return checkIin(iin, null).valid;
}

/** Digits of any script (fullwidth ８, Arabic-Indic ٨, mathematical 𝟖...) as ASCII digits, built on first need. */
let asciiDigitOf: Map<string, string> | null = null;

function nonAsciiDigits(): Map<string, string> {
  if (asciiDigitOf) return asciiDigitOf;
  // Unicode's decimal digits (Nd) come in runs of ten, zero to nine, some runs adjacent to each other. One regular
  // expression over every code point is ~20 times faster than testing them one by one.
  const map = new Map<string, string>();
  const all = Array.from({ length: 0x1fbff - 0x7f }, (_, i) => String.fromCodePoint(i + 0x80)).join('');
  let previous = -2;
  let value = -1;
  for (const match of all.matchAll(/\p{Nd}/gu)) {
    const cp = match[0].codePointAt(0) as number;
    value = cp === previous + 1 ? (value + 1) % 10 : 0;
    previous = cp;
    map.set(match[0], String(value));
  }
  return (asciiDigitOf = map);
}

/**
 * Whether the text could hold twelve digits at all, counting ASCII digits and any character from U+0660 on (where
 * the first digits of other scripts are): Cyrillic, Latin and most text with fewer digits return at once.
 */
function mayHoldTwelveDigits(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (((c >= 0x30 && c <= 0x39) || c >= 0x660) && ++digits >= 12) return true;
  }
  return false;
}

/** What may split an IIN written in free text: a single space, hyphen, dot or slash between two digits. */
const TEXT_SEPARATOR = /(\d)[ ./-](?=\d)/g;
/**
 * In a code (actor ids, roles, units, systems, key names, correlation ids), also every other character codes allow
 * between digits: _ : and @, and any run of them (`850808--343306`): a code is no prose, and an IIN split by two
 * hyphens is still an IIN. Not in free text, where `20.11.2026 15:30:42` would read as digits that can pass.
 */
const CODE_SEPARATOR = /(\d)[ ./_:@-]+(?=\d)/g;

/** Characters that show nothing between digits: zero-width space, joiners, combining and bidi marks, fillers. */
const INVISIBLE = /[\p{Cf}\p{M}\p{Default_Ignorable_Code_Point}]/gu;
/** The other scripts' spaces (no-break, thin, figure, ideographic) and dashes (en dash, non-breaking hyphen, minus). */
const SPACE = /\p{Zs}/gu;
const DASH = /[\p{Pd}\u2212]/gu;
/** Fullwidth . / : @ _ (U+FF0E...), as written beside fullwidth digits; their hyphen is a dash. */
const FULLWIDTH_SEPARATOR = /[\uff0e\uff0f\uff1a\uff20\uff3f]/g;

/**
 * Text as the IIN check reads it: digits of other scripts as ASCII, invisible characters dropped, other scripts'
 * spaces, dashes and separators as their ASCII ones, and single separators between digits dropped, so that
 * `８５０３１５３１００１６`, `850315 310016`, `850315\u200b310016` and `850315\u2013310016` read as the twelve
 * digits they show.
 */
function digitsAsWritten(text: string, separator: RegExp): string {
  const plain = /[^\x00-\x7f]/.test(text)
    ? text.replace(INVISIBLE, '').replace(/\p{Nd}/gu, (d) => nonAsciiDigits().get(d) ?? d).replace(SPACE, ' ').replace(DASH, '-')
      .replace(FULLWIDTH_SEPARATOR, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    : text;
  return plain.replace(separator, '$1');
}

/**
 * True when free text contains a run of 12 digits that is a valid IIN: such text must not enter the ledger. The
 * digits may be of any script and split by single spaces, dashes, dots or slashes (of any script too) or invisible
 * characters.
 */
export function containsIin(text: string): boolean {
  return holdsIin(text, TEXT_SEPARATOR);
}

/** containsIin for a code: its digits may also be split by _ : or @ (`791028_302728`, `iin:791028:302728`). */
export function codeContainsIin(text: string): boolean {
  return holdsIin(text, CODE_SEPARATOR);
}

function holdsIin(text: string, separator: RegExp): boolean {
  if (!mayHoldTwelveDigits(text)) return false;
  const runs = digitsAsWritten(text, separator).match(/\d{12,}/g);
  return runs !== null && runs.some(runHoldsIin);
}

/**
 * Whether some twelve consecutive digits of a run of ASCII digits are a valid IIN. Each place is first tried with
 * integer sums alone (century digit, month, day, check digit), and checkIin's own rules judge only those that pass:
 * a 2,000-digit note has 1,989 places, and checkIin at each took ~4 µs, so that a batch of such notes held the
 * request thread for seconds.
 */
function runHoldsIin(run: string): boolean {
  const d = new Uint8Array(run.length);
  for (let i = 0; i < run.length; i++) d[i] = run.charCodeAt(i) - 48;
  for (let i = 0; i + 12 <= d.length; i++) {
    const century = d[i + 6] as number;
    const month = (d[i + 2] as number) * 10 + (d[i + 3] as number);
    const day = (d[i + 4] as number) * 10 + (d[i + 5] as number);
    if (century < 1 || century > 6 || month < 1 || month > 12 || day < 1 || day > 31) continue;
    if (iinCheckDigit(d, i) !== d[i + 11]) continue;
    if (isValidIin(run.slice(i, i + 12))) return true;
  }
  return false;
}

/** The IIN with all but its first and last digits hidden, e.g. `7**********8`: what a subject's report shows. */
export function maskIin(iin: string): string {
  return iin.length < 2 ? '*'.repeat(iin.length) : `${iin[0]}${'*'.repeat(iin.length - 2)}${iin[iin.length - 1]}`;
}

/** Digits of any script joined by what a code's IIN check reads across: its separators and invisible characters. */
const DIGIT_RUN = /\p{Nd}(?:[\p{Cf}\p{M}\p{Default_Ignorable_Code_Point}\p{Zs}\p{Pd}\u2212./_:@\uff0e\uff0f\uff1a\uff20\uff3f]*\p{Nd})*/gu;

/**
 * The text with each run of digits that holds a valid IIN, read as codeContainsIin reads it (other scripts,
 * separators, invisible characters), masked as maskIin does (`850808-343306` -> `8**********6`), and the rest
 * left as it is: for texts that may quote what a client sent, such as error messages. A text without twelve
 * digits comes back unchanged at once. `keep(start, end)`, told where in the text such a run is, may leave it as it
 * is: for a caller that knows the words there to be no one's number (the CLI's hashes). A run is the whole of the
 * digits joined as above, so one that reaches beyond such a word is the caller's to refuse.
 */
export function redactIins(text: string, keep?: (start: number, end: number) => boolean): string {
  if (!mayHoldTwelveDigits(text)) return text;
  return text.replace(DIGIT_RUN, (run: string, at: number) =>
    !codeContainsIin(run) || keep?.(at, at + run.length) ? run : maskIin(digitsAsWritten(run, CODE_SEPARATOR)));
}
