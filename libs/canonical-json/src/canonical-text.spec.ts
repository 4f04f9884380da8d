import { canonicalJson } from './canonical-json';
import { isCanonicalJson } from './canonical-text';

/** The definition isCanonicalJson must agree with wherever it answers true. */
function reallyCanonical(text: string): boolean {
  try {
    return canonicalJson(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

// A small deterministic generator (xorshift), so that a failure names a seed that reproduces it.
function random(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const CHARS = ['a', 'b', 'Z', 'Ө', 'ё', '"', '\\', '\n', '\u0001', '\u001f', '/', ' ', '😀', '\u2028', '\u007f', '0', 'é'];
const NUMBERS = [0, -0, 1, -1, 7, 10, 123456789012345, 1234567890123456, 2 ** 53, 0.5, -2.25, 1e21, 1e-7, 3.14159, 1 / 3];

function generate(next: () => number, depth: number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const str = () => Array.from({ length: Math.floor(next() * 5) }, () => pick(CHARS)).join('');
  const kind = depth > 3 ? Math.floor(next() * 4) : Math.floor(next() * 6);
  switch (kind) {
    case 0: return str();
    case 1: return pick(NUMBERS);
    case 2: return pick([true, false, null]);
    case 3: return Math.floor(next() * 1000);
    case 4: return Array.from({ length: Math.floor(next() * 4) }, () => generate(next, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let k = Math.floor(next() * 5); k > 0; k--) object[next() < 0.7 ? pick(['id', 'data', 'b', 'a', 'aa', 'Ө', 'z1', '10', '9']) : str()] = generate(next, depth + 1);
      return object;
    }
  }
}

describe('isCanonicalJson', () => {
  it('accepts the canonical text of an event as the store writes it', () => {
    const data = { recordId: 'b3', categories: [{ number: 1, slug: 'full-name' }], register: { order: '328-Ө', version: 1 }, note: 'a "quoted"\nline', at: -2.5 };
    expect(isCanonicalJson(canonicalJson(data))).toBe(true);
  });

  it.each([
    ['keys out of order', '{"b":1,"a":2}'],
    ['a duplicate key', '{"a":1,"a":2}'],
    ['whitespace', '{"a": 1}'],
    ['a trailing comma', '{"a":1,}'],
    ['a number JavaScript writes otherwise', '{"a":1.0}'],
    ['an exponent JavaScript writes otherwise', '{"a":1E5}'],
    ['negative zero', '{"a":-0}'],
    ['a leading zero', '{"a":01}'],
    ['an escaped slash', '{"a":"\\/"}'],
    ['an upper-case unicode escape', '{"a":"\\u001F"}'],
    ['a unicode escape of a printable character', '{"a":"\\u0041"}'],
    ['\\u0008 instead of \\b', '{"a":"\\u0008"}'],
    ['a raw control character', '{"a":"\u0001"}'],
    ['a lone surrogate', '{"a":"\ud800"}'],
    ['an unterminated string', '{"a":"abc}'],
    ['text after the value', '{"a":1}x'],
    ['a nested object out of order', '{"a":{"y":1,"x":2}}'],
    ['an escaped key (not proven, parsed instead)', '{"a\\n":1}'],
  ])('refuses %s', (_, text) => {
    expect(isCanonicalJson(text)).toBe(false);
  });

  it('never answers true for a text that is not canonical, and answers true for canonical texts it can prove (5,000 random values, each written three ways and mutated)', () => {
    const next = random(20261126);
    let provenCanonical = 0;
    for (let n = 0; n < 5000; n++) {
      const value = generate(next, 0);
      const canonical = canonicalJson(value);
      const texts = [canonical, JSON.stringify(value), JSON.stringify(value, null, 1)];
      // Single-character edits: the scanner must not be fooled by near misses.
      const at = Math.floor(next() * canonical.length);
      texts.push(canonical.slice(0, at) + canonical.slice(at + 1), canonical.slice(0, at) + pick(next) + canonical.slice(at));
      for (const text of texts) {
        const answer = isCanonicalJson(text);
        if (answer && !reallyCanonical(text)) throw new Error(`seed 20261126, value ${n}: accepted ${JSON.stringify(text)}`);
      }
      if (isCanonicalJson(canonical)) provenCanonical++;
      else if (!hasEscapedKey(value)) throw new Error(`seed 20261126, value ${n}: refused canonical ${JSON.stringify(canonical)}`);
    }
    expect(provenCanonical).toBeGreaterThan(4000);
  });
});

/** Whether some key of the value is written with an escape (the one canonical text isCanonicalJson does not prove). */
function hasEscapedKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasEscapedKey);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, inner]) => JSON.stringify(key) !== `"${key}"` || hasEscapedKey(inner));
}

function pick(next: () => number): string {
  return ['"', ',', '}', '{', '1', ' ', '\\', ':', 'a', ']'][Math.floor(next() * 10)]!;
}
