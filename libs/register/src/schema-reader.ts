import { isIsoDate } from './iso-date';
import { LANGS, type EffectivePeriod, type Names, type Tier } from './register.model';
import { RegisterSchemaError, ROOT_FIELD } from './register-schema-error';

type Obj = Record<string, unknown>;

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Upper-case only, so that a code can never be mistaken for a (lower-case) slug when the API accepts either.
const CODE = /^[A-Z][A-Z0-9_]*$/;
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const TIERS: readonly Tier[] = ['S', 'R', 'O'];
export const FROM_BASES: readonly EffectivePeriod['fromBasis'][] = ['publication+10d', 'provisional', 'stated'];

export const key = (path: string, k: string): string => (path ? `${path}.${k}` : k);
export const index = (path: string, i: number): string => `${path}[${i}]`;

/** Reads one unknown value against the register model; every check throws on the first problem with the field's path. */
export class Reader {
  constructor(private readonly source: string, private readonly what?: string) {}

  fail(path: string, reason: string): never {
    throw new RegisterSchemaError(this.source, path || ROOT_FIELD, reason, this.what);
  }

  object(value: unknown, path: string, required: readonly string[], optional: readonly string[] = []): Obj {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, 'must be an object');
    const obj = value as Obj;
    // Unknown keys first: a misspelt key is then reported as itself rather than as the missing one.
    for (const k of Object.keys(obj)) {
      if (!required.includes(k) && !optional.includes(k)) this.fail(key(path, k), 'is not a known field');
    }
    for (const k of required) {
      if (obj[k] === undefined) this.fail(key(path, k), 'is required');
    }
    return obj;
  }

  array(value: unknown, path: string, nonEmpty: boolean): readonly unknown[] {
    if (!Array.isArray(value)) this.fail(path, nonEmpty ? 'must be a non-empty array' : 'must be an array');
    if (nonEmpty && value.length === 0) this.fail(path, 'must be a non-empty array');
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(path, 'must be a non-empty string');
    return value;
  }

  nullableString(value: unknown, path: string): string | null {
    return value === null ? null : this.string(value, path);
  }

  optionalString(value: unknown, path: string): string | undefined {
    return value === undefined ? undefined : this.string(value, path);
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') this.fail(path, 'must be true or false');
    return value;
  }

  positiveInteger(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) this.fail(path, 'must be a positive integer');
    return value;
  }

  date(value: unknown, path: string): string {
    if (!isIsoDate(value)) {
      this.fail(path, `must be a real calendar date in YYYY-MM-DD form, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  nullableDate(value: unknown, path: string): string | null {
    return value === null ? null : this.date(value, path);
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
    if (!allowed.includes(value as T)) {
      this.fail(path, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(value)}`);
    }
    return value as T;
  }

  slug(value: unknown, path: string): string {
    const s = this.string(value, path);
    if (!KEBAB.test(s)) this.fail(path, `must be a kebab-case slug (a-z, 0-9, single hyphens), got ${JSON.stringify(s)}`);
    return s;
  }

  code(value: unknown, path: string): string {
    const s = this.string(value, path);
    if (!CODE.test(s)) this.fail(path, `must be an upper-case code (A-Z, 0-9, _), got ${JSON.stringify(s)}`);
    return s;
  }

  identifier(value: unknown, path: string): string {
    const s = this.string(value, path);
    if (!IDENTIFIER.test(s)) this.fail(path, `must be an identifier (letters, digits, ".", "_", "-"), got ${JSON.stringify(s)}`);
    return s;
  }

  names(value: unknown, path: string): Names {
    const o = this.object(value, path, LANGS);
    return { kk: this.string(o.kk, key(path, 'kk')), ru: this.string(o.ru, key(path, 'ru')), en: this.string(o.en, key(path, 'en')) };
  }

  /** Reports the second occurrence of a value already seen in the same list. */
  unique<T>(seen: Map<T, string>, value: T, path: string, what: string): void {
    const first = seen.get(value);
    if (first !== undefined) this.fail(path, `duplicate ${what} ${JSON.stringify(value)} (also at ${first})`);
    seen.set(value, path);
  }

  /** A non-empty list of distinct codes. */
  codeList(value: unknown, path: string, what: string): string[] {
    const seen = new Map<string, string>();
    return this.array(value, path, true).map((v, i) => {
      const p = index(path, i);
      const c = this.code(v, p);
      this.unique(seen, c, p, what);
      return c;
    });
  }
}
