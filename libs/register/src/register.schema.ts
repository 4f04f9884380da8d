import { effectiveFromPublication } from './effective-date';
import { isIsoDate } from './iso-date';
import {
  LANGS,
  type Category,
  type EffectivePeriod,
  type Lang,
  type LegalAct,
  type Names,
  type Publication,
  type Purpose,
  type Register,
  type SubField,
  type Tier,
} from './register.model';
import { RegisterSchemaError, ROOT_FIELD } from './register-schema-error';

type Obj = Record<string, unknown>;

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Upper-case only, so that a code can never be mistaken for a (lower-case) slug when the API accepts either.
const CODE = /^[A-Z][A-Z0-9_]*$/;
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const TIERS: readonly Tier[] = ['S', 'R', 'O'];
const FROM_BASES: readonly EffectivePeriod['fromBasis'][] = ['publication+10d', 'provisional', 'stated'];

const key = (path: string, k: string): string => (path ? `${path}.${k}` : k);
const index = (path: string, i: number): string => `${path}[${i}]`;

/** Reads one unknown value against the model; every check throws on the first problem with the field's path. */
class Reader {
  constructor(private readonly source: string) {}

  fail(path: string, reason: string): never {
    throw new RegisterSchemaError(this.source, path || ROOT_FIELD, reason);
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

function readPurpose(r: Reader, value: unknown, path: string): Purpose {
  const o = r.object(value, path, ['code', 'slug', 'clause', 'names', 'legalActs'], ['sourceNotes']);
  const purpose: Purpose = {
    code: r.code(o.code, key(path, 'code')),
    slug: r.slug(o.slug, key(path, 'slug')),
    clause: r.positiveInteger(o.clause, key(path, 'clause')),
    names: r.names(o.names, key(path, 'names')),
    legalActs: r.codeList(o.legalActs, key(path, 'legalActs'), 'legal act'),
  };
  const sourceNotes = r.optionalString(o.sourceNotes, key(path, 'sourceNotes'));
  return sourceNotes === undefined ? purpose : { ...purpose, sourceNotes };
}

function readCategory(r: Reader, value: unknown, path: string): Category {
  const o = r.object(value, path, ['number', 'slug', 'names', 'subFields', 'tier', 'sensitive'], ['purposes', 'sourceNotes']);
  const subFieldsPath = key(path, 'subFields');
  const category: Category = {
    number: r.positiveInteger(o.number, key(path, 'number')),
    slug: r.slug(o.slug, key(path, 'slug')),
    names: r.names(o.names, key(path, 'names')),
    subFields: r.array(o.subFields, subFieldsPath, false).map((v, i): SubField => {
      const p = index(subFieldsPath, i);
      return { names: r.names(r.object(v, p, ['names']).names, key(p, 'names')) };
    }),
    tier: r.oneOf(o.tier, key(path, 'tier'), TIERS),
    sensitive: r.boolean(o.sensitive, key(path, 'sensitive')),
  };
  // Absent `purposes` means every purpose: keep it absent rather than undefined, so the copy equals the JSON.
  const purposes = o.purposes === undefined ? undefined : r.codeList(o.purposes, key(path, 'purposes'), 'purpose');
  const sourceNotes = r.optionalString(o.sourceNotes, key(path, 'sourceNotes'));
  return {
    ...category,
    ...(purposes === undefined ? {} : { purposes }),
    ...(sourceNotes === undefined ? {} : { sourceNotes }),
  };
}

function readLegalAct(r: Reader, value: unknown, path: string): LegalAct {
  const o = r.object(value, path, ['code', 'titles', 'kind', 'date', 'number', 'registrationNumber'], ['note']);
  const note = r.optionalString(o.note, key(path, 'note'));
  return {
    code: r.code(o.code, key(path, 'code')),
    titles: r.names(o.titles, key(path, 'titles')),
    kind: r.names(o.kind, key(path, 'kind')),
    date: r.nullableDate(o.date, key(path, 'date')),
    number: r.nullableString(o.number, key(path, 'number')),
    registrationNumber: r.nullableString(o.registrationNumber, key(path, 'registrationNumber')),
    ...(note === undefined ? {} : { note }),
  };
}

function readRegister(r: Reader, value: unknown, path: string): Register {
  const o = r.object(
    value,
    path,
    ['id', 'version', 'owner', 'order', 'responsibleOfficial', 'entryIntoForceRule', 'publication', 'effective', 'task',
      'purposeClauses', 'purposes', 'categories', 'legalActs', 'renderedLangs'],
    ['note'],
  );
  // Fields are read in model order, so the first problem reported is the first one in the file.
  const id = r.identifier(o.id, key(path, 'id'));
  const version = r.positiveInteger(o.version, key(path, 'version'));
  const owner = r.identifier(o.owner, key(path, 'owner'));

  const orderPath = key(path, 'order');
  const order = r.object(o.order, orderPath, ['number', 'date', 'titles', 'issuingBody', 'signedBy', 'basis']);
  const orderValue: Register['order'] = {
    number: r.string(order.number, key(orderPath, 'number')),
    date: r.date(order.date, key(orderPath, 'date')),
    titles: r.names(order.titles, key(orderPath, 'titles')),
    issuingBody: r.names(order.issuingBody, key(orderPath, 'issuingBody')),
    signedBy: r.names(order.signedBy, key(orderPath, 'signedBy')),
    basis: r.names(order.basis, key(orderPath, 'basis')),
  };

  const officialPath = key(path, 'responsibleOfficial');
  const official = r.object(o.responsibleOfficial, officialPath, ['name', 'position']);
  const responsibleOfficial: Register['responsibleOfficial'] = {
    name: r.names(official.name, key(officialPath, 'name')),
    position: r.names(official.position, key(officialPath, 'position')),
  };

  const entryIntoForceRule = r.names(o.entryIntoForceRule, key(path, 'entryIntoForceRule'));

  const publicationPath = key(path, 'publication');
  const pub = r.object(o.publication, publicationPath, ['date', 'known', 'note']);
  const publication: Publication = {
    // Whether null is allowed depends on `known`: checked with the cross-field rules at the end.
    date: r.nullableDate(pub.date, key(publicationPath, 'date')),
    known: r.boolean(pub.known, key(publicationPath, 'known')),
    note: r.string(pub.note, key(publicationPath, 'note')),
  };

  const effectivePath = key(path, 'effective');
  const eff = r.object(o.effective, effectivePath, ['from', 'fromBasis', 'to']);
  const effective: EffectivePeriod = {
    from: r.date(eff.from, key(effectivePath, 'from')),
    fromBasis: r.oneOf(eff.fromBasis, key(effectivePath, 'fromBasis'), FROM_BASES),
    to: r.nullableDate(eff.to, key(effectivePath, 'to')),
  };

  const taskPath = key(path, 'task');
  const taskObj = r.object(o.task, taskPath, ['code', 'names']);
  const task: Register['task'] = {
    code: r.code(taskObj.code, key(taskPath, 'code')),
    names: r.names(taskObj.names, key(taskPath, 'names')),
  };

  const clausesPath = key(path, 'purposeClauses');
  const clauseNumbers = new Map<number, string>();
  const purposeClauses = r.array(o.purposeClauses, clausesPath, true).map((v, i) => {
    const p = index(clausesPath, i);
    const c = r.object(v, p, ['number', 'kk']);
    const number = r.positiveInteger(c.number, key(p, 'number'));
    r.unique(clauseNumbers, number, key(p, 'number'), 'clause number');
    return { number, kk: r.string(c.kk, key(p, 'kk')) };
  });

  const purposesPath = key(path, 'purposes');
  const purposeCodes = new Map<string, string>();
  const purposeSlugs = new Map<string, string>();
  const purposes = r.array(o.purposes, purposesPath, true).map((v, i) => {
    const p = index(purposesPath, i);
    const purpose = readPurpose(r, v, p);
    r.unique(purposeCodes, purpose.code, key(p, 'code'), 'purpose code');
    r.unique(purposeSlugs, purpose.slug, key(p, 'slug'), 'purpose slug');
    return purpose;
  });

  const categoriesPath = key(path, 'categories');
  const categoryNumbers = new Map<number, string>();
  const categorySlugs = new Map<string, string>();
  const categories = r.array(o.categories, categoriesPath, true).map((v, i) => {
    const p = index(categoriesPath, i);
    const category = readCategory(r, v, p);
    r.unique(categoryNumbers, category.number, key(p, 'number'), 'category number');
    r.unique(categorySlugs, category.slug, key(p, 'slug'), 'category slug');
    return category;
  });

  const actsPath = key(path, 'legalActs');
  const actCodes = new Map<string, string>();
  const legalActs = r.array(o.legalActs, actsPath, true).map((v, i) => {
    const p = index(actsPath, i);
    const act = readLegalAct(r, v, p);
    r.unique(actCodes, act.code, key(p, 'code'), 'legal act code');
    return act;
  });

  const langsPath = key(path, 'renderedLangs');
  const seenLangs = new Map<Lang, string>();
  const renderedLangs = r.array(o.renderedLangs, langsPath, false).map((v, i) => {
    const p = index(langsPath, i);
    const lang = r.oneOf(v, p, LANGS);
    r.unique(seenLangs, lang, p, 'language');
    return lang;
  });

  const note = r.optionalString(o.note, key(path, 'note'));

  const register: Register = {
    id,
    version,
    owner,
    order: orderValue,
    responsibleOfficial,
    entryIntoForceRule,
    publication,
    effective,
    task,
    purposeClauses,
    purposes,
    categories,
    legalActs,
    renderedLangs,
    ...(note === undefined ? {} : { note }),
  };
  checkReferences(r, register, path);
  checkDates(r, register, path);
  return register;
}

function checkReferences(r: Reader, register: Register, path: string): void {
  const clauses = new Set(register.purposeClauses.map((c) => c.number));
  const acts = new Set(register.legalActs.map((a) => a.code));
  const purposes = new Set(register.purposes.map((p) => p.code));
  register.purposes.forEach((purpose, i) => {
    const p = index(key(path, 'purposes'), i);
    if (!clauses.has(purpose.clause)) r.fail(key(p, 'clause'), `refers to purpose clause ${purpose.clause}, which is not in purposeClauses`);
    purpose.legalActs.forEach((code, j) => {
      if (!acts.has(code)) r.fail(index(key(p, 'legalActs'), j), `refers to unknown legal act ${JSON.stringify(code)}`);
    });
  });
  register.categories.forEach((category, i) => {
    category.purposes?.forEach((code, j) => {
      const p = index(key(index(key(path, 'categories'), i), 'purposes'), j);
      if (!purposes.has(code)) r.fail(p, `refers to unknown purpose ${JSON.stringify(code)}`);
    });
  });
}

function checkDates(r: Reader, register: Register, path: string): void {
  const { publication, effective } = register;
  const pubPath = key(path, 'publication');
  const effPath = key(path, 'effective');
  if (effective.to !== null && effective.to < effective.from) {
    r.fail(key(effPath, 'to'), `must not be before effective.from (${effective.from}), got ${effective.to}`);
  }
  if (publication.known) {
    if (publication.date === null) r.fail(key(pubPath, 'date'), 'must be set when publication.known is true');
    const expected = effectiveFromPublication(publication.date);
    if (effective.from !== expected) {
      r.fail(key(effPath, 'from'), `must be ${expected} (publication.date ${publication.date} + 10 calendar days), got ${effective.from}`);
    }
    if (effective.fromBasis !== 'publication+10d') {
      r.fail(key(effPath, 'fromBasis'), `must be "publication+10d" when publication.known is true, got ${JSON.stringify(effective.fromBasis)}`);
    }
  } else {
    if (publication.date !== null) r.fail(key(pubPath, 'date'), 'must be null while publication.known is false');
    if (effective.fromBasis === 'publication+10d') {
      r.fail(key(effPath, 'fromBasis'), 'cannot be "publication+10d" while publication.known is false');
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Like `parseRegister`, for a register found at `path` inside a larger value (e.g. `[1]` in an array file):
 * error fields are prefixed with it.
 */
export function parseRegisterAt(input: unknown, source: string, path: string): Register {
  return deepFreeze(readRegister(new Reader(source), input, path));
}

/**
 * Checks an unknown value (parsed JSON) against the register model, every field, and returns a deep-frozen copy
 * holding exactly the model's fields. Throws `RegisterSchemaError` naming `source` and the first bad field.
 */
export function parseRegister(input: unknown, source: string): Register {
  return parseRegisterAt(input, source, '');
}
