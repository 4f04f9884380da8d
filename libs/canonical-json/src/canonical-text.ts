/**
 * Whether a JSON text is already canonical: `canonicalJson(JSON.parse(text)) === text`, decided on the text itself
 * without parsing it or writing anything. The store writes canonical text (stored-json.ts), so a verifier can hash
 * what it reads as it is, after this check; a text it cannot vouch for (false) is parsed and written again.
 *
 * False is also the answer for a few canonical texts it does not bother to prove: keys with escapes, and strings
 * with escaped surrogates.
 */
export function isCanonicalJson(text: string): boolean {
  t = text;
  i = 0;
  try {
    return value() && i === t.length;
  } catch (error) {
    if (error instanceof RangeError) return false; // nested too deep to follow: let the parser decide
    throw error;
  } finally {
    t = '';
  }
}

// The text and the scanner's place in it: module state rather than an object, for speed (a call per event).
let t = '';
let i = 0;

function value(): boolean {
  const c = t.charCodeAt(i);
  if (c === 0x7b) return object();
  if (c === 0x22) return string() >= 0;
  if (c === 0x5b) return array();
  if (c === 0x74) return literal('true');
  if (c === 0x66) return literal('false');
  if (c === 0x6e) return literal('null');
  return number();
}

function object(): boolean {
  i++;
  if (t.charCodeAt(i) === 0x7d) {
    i++;
    return true;
  }
  let previousStart = -1;
  let previousEnd = -1;
  for (;;) {
    if (t.charCodeAt(i) !== 0x22) return false;
    const start = i + 1;
    const escapes = string();
    if (escapes !== 0) return false; // an escaped key (or a bad one): its text does not sort as its value
    const end = i - 1;
    if (previousStart >= 0 && !before(previousStart, previousEnd, start, end)) return false;
    previousStart = start;
    previousEnd = end;
    if (t.charCodeAt(i++) !== 0x3a) return false;
    if (!value()) return false;
    const next = t.charCodeAt(i++);
    if (next === 0x7d) return true;
    if (next !== 0x2c) return false;
  }
}

/** Whether key t[a0, a1) sorts strictly before key t[b0, b1) by UTF-16 code units (as canonical JSON sorts keys). */
function before(a0: number, a1: number, b0: number, b1: number): boolean {
  const n = Math.min(a1 - a0, b1 - b0);
  for (let k = 0; k < n; k++) {
    const a = t.charCodeAt(a0 + k);
    const b = t.charCodeAt(b0 + k);
    if (a !== b) return a < b;
  }
  return a1 - a0 < b1 - b0;
}

function array(): boolean {
  i++;
  if (t.charCodeAt(i) === 0x5d) {
    i++;
    return true;
  }
  for (;;) {
    if (!value()) return false;
    const next = t.charCodeAt(i++);
    if (next === 0x5d) return true;
    if (next !== 0x2c) return false;
  }
}

/**
 * A string as JSON.stringify writes it; moves past it. Returns how many escapes it holds, or -1 when it is not
 * written so (a raw control character, a lone surrogate, an escape JSON.stringify would not write, no end).
 */
function string(): number {
  let escapes = 0;
  const length = t.length;
  for (let k = i + 1; k < length; k++) {
    const c = t.charCodeAt(k);
    if (c === 0x22) {
      i = k + 1;
      return escapes;
    }
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      if (!escape(k + 1)) return -1;
      escapes++;
      k += t.charCodeAt(k + 1) === 0x75 ? 5 : 1;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // JSON.stringify writes a well-formed pair as it is and escapes a lone surrogate.
      const low = t.charCodeAt(k + 1);
      if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) return -1;
      k++;
    }
  }
  return -1;
}

/** The escape after a backslash at `k` is one JSON.stringify writes: \" \\ \b \f \n \r \t, or \u00xx (lowercase) for another control character. */
function escape(k: number): boolean {
  const c = t.charCodeAt(k);
  if (c === 0x22 || c === 0x5c || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) return true;
  if (c !== 0x75 || t.charCodeAt(k + 1) !== 0x30 || t.charCodeAt(k + 2) !== 0x30) return false;
  const high = t.charCodeAt(k + 3);
  const low = t.charCodeAt(k + 4);
  const lowValue = low >= 0x30 && low <= 0x39 ? low - 0x30 : low >= 0x61 && low <= 0x66 ? low - 0x61 + 10 : -1;
  if (lowValue < 0 || (high !== 0x30 && high !== 0x31)) return false;
  const code = (high - 0x30) * 16 + lowValue;
  return code !== 0x08 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d;
}

function literal(word: string): boolean {
  if (!t.startsWith(word, i)) return false;
  i += word.length;
  return true;
}

/** A number as JavaScript writes it back (Number::toString): integers are checked by their digits, others by a round trip. */
function number(): boolean {
  const start = i;
  let k = i;
  if (t.charCodeAt(k) === 0x2d) k++;
  const digits = k;
  while (k < t.length && t.charCodeAt(k) >= 0x30 && t.charCodeAt(k) <= 0x39) k++;
  const c = t.charCodeAt(k);
  const plain = c !== 0x2e && c !== 0x65 && c !== 0x45;
  if (plain) {
    const count = k - digits;
    // No leading zero and not -0; up to 15 digits an integer is exact and written without an exponent.
    if (count === 0 || (count > 1 && t.charCodeAt(digits) === 0x30) || (k - start === 2 && t.charCodeAt(digits) === 0x30 && digits > start)) return false;
    if (count <= 15) {
      i = k;
      return true;
    }
  }
  while (!plain && k < t.length) {
    const d = t.charCodeAt(k);
    if (!((d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d)) break;
    k++;
  }
  const raw = t.slice(start, k);
  if ('' + Number(raw) !== raw) return false;
  i = k;
  return true;
}
