import { readFileSync } from 'node:fs';
import data from './data/code-names.json';
import type { Lang, Names } from './register.model';
import { RegisterSchemaError, ROOT_FIELD } from './register-schema-error';
import { key, Reader } from './schema-reader';

/** The codes the emitting systems send on each record: `actor.unit`, `actor.role`, `system`. */
export type CodeKind = 'units' | 'roles' | 'systems';
export const CODE_KINDS: readonly CodeKind[] = ['units', 'roles', 'systems'];

/** A name in kk, ru and en per code, by kind. */
export type CodeNamesData = Readonly<Record<CodeKind, Readonly<Record<string, Names>>>>;

const WHAT = 'names file';

/**
 * The forms the API lets each kind of code take (apps/ledger's CODE for a unit and a role, the system pattern for a
 * system), so that every code a record can carry can be named, a Cyrillic unit `кадр-бөлімі` or a role `hr:lead`
 * included, and a key no record could ever send is refused as the typo it is.
 */
const FORMS: Record<CodeKind, { readonly pattern: RegExp; readonly says: string }> = {
  units: { pattern: /^[\p{L}\p{N}][\p{L}\p{N}._:@/-]*$/u, says: 'a unit code (letters, digits and . _ : @ / -, starting with a letter or digit)' },
  roles: { pattern: /^[\p{L}\p{N}][\p{L}\p{N}._:@/-]*$/u, says: 'a role code (letters, digits and . _ : @ / -, starting with a letter or digit)' },
  systems: { pattern: /^[a-z0-9][a-z0-9._-]*$/, says: 'a system code (a-z, 0-9, . _ -, starting with a-z or 0-9)' },
};

/**
 * A names file (DERBES_NAMES_FILE, or the built-in one) checked field by field: `units`, `roles` and `systems`, each
 * optional, map a code to its name in all three languages. A RegisterSchemaError names the first bad field.
 */
export function parseCodeNames(raw: unknown, source: string): CodeNamesData {
  const r = new Reader(source, WHAT);
  const file = r.object(raw, '', [], ['note', ...CODE_KINDS]);
  if (file.note !== undefined) r.string(file.note, 'note');
  const kind = (k: CodeKind): Record<string, Names> => {
    if (file[k] === undefined) return {};
    const value = file[k];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) r.fail(k, 'must be an object of code: { kk, ru, en }');
    const codes = value as Record<string, unknown>;
    // Codes are what the systems send (open-ended); only their form is checked, so that a typo'd key is not silently a code.
    return Object.fromEntries(Object.keys(codes).map((code) => {
      if (!FORMS[k].pattern.test(code)) r.fail(key(k, code), `must be ${FORMS[k].says}`);
      return [code, Object.freeze(r.names(codes[code], key(k, code)))];
    }));
  };
  return Object.freeze({ units: Object.freeze(kind('units')), roles: Object.freeze(kind('roles')), systems: Object.freeze(kind('systems')) });
}

// Duck-typed, not instanceof Error: errors from node:fs may come from another realm (vm contexts, jest).
const message = (err: unknown): string => (typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err));

/** Reads and checks a names file; every failure throws RegisterSchemaError with `source` = `path`. */
export function loadCodeNamesFile(path: string): CodeNamesData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RegisterSchemaError(path, ROOT_FIELD, `cannot be read: ${message(err)}`, WHAT);
  }
  try {
    // Hand-edited: some editors save UTF-8 with a BOM, which JSON.parse rejects.
    return parseCodeNames(JSON.parse(text.replace(/^\uFEFF/, '')), path);
  } catch (err) {
    if (err instanceof RegisterSchemaError) throw err;
    throw new RegisterSchemaError(path, ROOT_FIELD, `is not valid JSON: ${message(err)}`, WHAT);
  }
}

/**
 * The names of units, roles and systems: the ledger's own codes (data/code-names.json), then the operator's file,
 * whose names win. A code with no name has none (null): it is shown as it is.
 */
export class CodeNames {
  private readonly data: CodeNamesData;

  constructor(operators: CodeNamesData | null = null) {
    const builtIn = parseCodeNames(data, 'built-in code-names.json');
    this.data = operators
      ? { units: { ...builtIn.units, ...operators.units }, roles: { ...builtIn.roles, ...operators.roles }, systems: { ...builtIn.systems, ...operators.systems } }
      : builtIn;
  }

  name(kind: CodeKind, code: string, lang: Lang): string | null {
    return Object.hasOwn(this.data[kind], code) ? this.data[kind][code]![lang] : null;
  }
}
