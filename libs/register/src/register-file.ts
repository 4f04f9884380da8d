import { readFileSync } from 'node:fs';
import type { Register } from './register.model';
import { parseRegister, parseRegisterAt } from './register.schema';
import { RegisterSchemaError, ROOT_FIELD } from './register-schema-error';

// Duck-typed, not instanceof Error: errors from node:fs may come from another realm (vm contexts, jest).
const message = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);

/**
 * Reads a JSON file holding one register or a non-empty array of registers, and checks each one. Every failure
 * (unreadable file, bad JSON, schema) throws `RegisterSchemaError` with `source` = `path`; for an array the field
 * is prefixed with the index, e.g. `[1].categories[4].names.kk`.
 */
export function loadRegistersFile(path: string): Register[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RegisterSchemaError(path, ROOT_FIELD, `cannot be read: ${message(err)}`);
  }
  let json: unknown;
  try {
    // Operators edit these files by hand; some editors save UTF-8 with a BOM, which JSON.parse rejects.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new RegisterSchemaError(path, ROOT_FIELD, `is not valid JSON: ${message(err)}`);
  }
  if (Array.isArray(json)) {
    if (json.length === 0) throw new RegisterSchemaError(path, ROOT_FIELD, 'must hold a register or a non-empty array of registers');
    return json.map((item, i) => parseRegisterAt(item, path, `[${i}]`));
  }
  if (typeof json !== 'object' || json === null) {
    throw new RegisterSchemaError(path, ROOT_FIELD, 'must hold a register or a non-empty array of registers');
  }
  return [parseRegister(json, path)];
}
