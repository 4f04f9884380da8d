import { buildIin } from '@derbes/ledger';

/** mulberry32: a small seeded PRNG, so that a failing run is replayed exactly from its seed. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }

  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-8${this.hex(3)}-${this.hex(12)}`;
  }
}

/** One request as sent: everything needed to replay it. `mutations` is empty for an unmutated valid request. */
export interface FuzzRequest {
  readonly endpoint: string;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload?: string | Buffer;
  readonly mutations: readonly string[];
}

/** Valid IINs (real birth dates, century digit 3-6, check digit) for test subjects. */
export function validIins(rng: Rng, count: number): string[] {
  const out = new Set<string>();
  while (out.size < count) {
    const year = rng.between(1960, 2005);
    const yymmdd = `${String(year % 100).padStart(2, '0')}${String(rng.between(1, 12)).padStart(2, '0')}${String(rng.between(1, 28)).padStart(2, '0')}`;
    const iin = buildIin(yymmdd, year >= 2000 ? rng.pick([5, 6]) : rng.pick([3, 4]), String(rng.int(10_000)).padStart(4, '0'));
    if (iin) out.add(iin);
  }
  return [...out];
}

/** A valid IIN with one digit changed: usually invalid, but a change of digit 11 keeps the check digit. */
export function offByOneDigit(rng: Rng, iin: string): string {
  const i = rng.int(12);
  return `${iin.slice(0, i)}${(Number(iin[i]) + 1 + rng.int(9)) % 10}${iin.slice(i + 1)}`;
}

export const INJECTIONS = [
  "' OR 1=1 --", '<script>alert(1)</script>', '"; DROP TABLE events; --', "'); DELETE FROM events; --",
  "1; ATTACH DATABASE '/tmp/x.db' AS x; --", 'UNION SELECT * FROM sqlite_master', '<img src=x onerror=alert(1)>',
  'javascript:alert(1)', '${7*7}', '{{7*7}}', '../../../etc/passwd', '%00', '\\u0000', '{"$gt":""}', '*/--', '`rm -rf /`',
];
export const CONTROL_CHARS = ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\r', '\u001b[31m', '\u007f', '\u0085', '\u2028', '\u202e', '\ufeff', '\ud800', '\udfff'];
const CONFUSABLE: Readonly<Record<string, string>> = {
  a: '\u0430', e: '\u0435', o: '\u043e', p: '\u0440', c: '\u0441', x: '\u0445', y: '\u0443', i: '\u0456', P: '\u0420',
  C: '\u0421', O: '\u041e', K: '\u212a', '0': '\uff10', '1': '\uff11', '2': '\u0662', '7': '\uff17', '-': '\u2010', ':': '\u0589', '.': '\u2024',
};
const INVISIBLE = ['\u200b', '\u00a0', '\u0301', '\u2060', '\u200d'];
export const DATES = [
  '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-30T10:00:00Z', '2026-11-20T09:30:00+25:00', '2026-11-20T09:30:00+23:59',
  '2026-13-01T00:00:00Z', '2026-11-20T24:00:00Z', '2026-11-20T23:60:00Z', '2026-11-20T23:59:60Z', '1999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z', '2026-11-20', '2026-11-20T09:30:00', '2026-11-20t09:30:00z',
  '2026-11-20T09:30:00.1234567890Z', '2026-11-20T09:30:00.123456789Z', '2026-W47-5T10:00Z', '20261120T093000Z',
  '2026-11-25T12:05:00Z', '2026-11-25T12:05:01Z', '2026-11-20T09:30:00-00:00', ' 2026-11-20T09:30:00Z', '2026-11-20T09:30Z',
  '2000-01-01T00:00:00Z', '2013-01-01T00:00:00+05:00', '2024-02-29T12:00:00Z', '2025-02-29T12:00:00Z', '0000-02-29',
  '9999-12-31', '2026-02-30', '2026-11-25', '1970-01-01T00:00:00Z', '2026-11-20T09:30:00+05', 'Fri, 20 Nov 2026 09:30:00 GMT',
];

/** A string made hostile in one of several ways; `original` is kept around when the mutation decorates it. */
export function hostileString(rng: Rng, original: string): { value: string; how: string } {
  switch (rng.int(9)) {
    case 0: return { value: 'A'.repeat(rng.pick([101, 301, 2001, 10_000, 100_000, 1_000_000])), how: 'huge string' };
    case 1: {
      const c = rng.pick(CONTROL_CHARS);
      return { value: rng.chance(0.5) ? c : `${original.slice(0, 1)}${c}${original.slice(1)}`, how: `control character U+${c.charCodeAt(0).toString(16)}` };
    }
    case 2: {
      const fragment = rng.pick(INJECTIONS);
      return { value: rng.chance(0.5) ? fragment : `${original}${fragment}`, how: `injection ${JSON.stringify(fragment)}` };
    }
    case 3: return { value: confusable(rng, original), how: 'unicode confusable' };
    case 4: return { value: rng.pick(DATES), how: 'date out of range' };
    case 5: return { value: rng.pick(['', ' ', '  x  ', '\t', '\n']), how: 'empty or blank' };
    case 6: return { value: rng.pick(['0', '1', '-1', '1e3', '12', '1.5', 'NaN', 'Infinity', 'true', 'null', '0x10']), how: 'number as string' };
    case 7: return { value: original.toUpperCase() === original ? original.toLowerCase() : original.toUpperCase(), how: 'case changed' };
    default: return { value: `${original} ${rng.pick(['791028302728', '061211600012'])}`, how: 'an IIN in the text' };
  }
}

/** The text with look-alike letters and digits, or an invisible character inserted. */
export function confusable(rng: Rng, text: string): string {
  const chars = [...text];
  const swappable = chars.map((c, i) => (CONFUSABLE[c] ? i : -1)).filter((i) => i >= 0);
  if (swappable.length === 0 || rng.chance(0.3)) {
    const at = rng.int(chars.length + 1);
    chars.splice(at, 0, rng.pick(INVISIBLE));
  } else {
    const i = rng.pick(swappable);
    chars[i] = CONFUSABLE[chars[i] as string] as string;
  }
  return chars.join('');
}

export const CONTENT_TYPES = [
  'text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json-patch+json',
  'application/vnd.api+json', 'text/json', 'application/javascript', 'application/octet-stream', '*/*', 'application/json, text/plain',
  'application/jsonp', 'json', 'application/json; charset=utf-16', 'application/json;charset=latin1', 'APPLICATION/JSON', 'application/json ',
];
export const INVALID_UTF8: readonly (readonly number[])[] = [
  [0xff], [0xfe], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc3], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80],
];
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
export const ODD_KEYS = [...PROTO_KEYS, 'isAdmin', '', ' ', 'iin', '791028302728', '$where', 'a'.repeat(1000), '\u0000', 'subject.iin', 'records'];
