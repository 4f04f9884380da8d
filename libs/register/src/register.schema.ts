import { effectiveFromPublication } from './effective-date';
import {
  LANGS,
  type Category,
  type EffectivePeriod,
  type Lang,
  type LegalAct,
  type Publication,
  type Purpose,
  type Register,
  type SubField,
} from './register.model';
import { FROM_BASES, index, key, Reader, TIERS } from './schema-reader';

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
