import data from './data/subject-rights.json';
import type { Names } from './register.model';
import { index, key, Reader } from './schema-reader';

/** One right of the data subject (Law 94-V Art. 24) as the access report tells it, and how far it is checked. */
export interface SubjectRight {
  /** Stable kebab-case code, e.g. `blocking`. */
  readonly code: string;
  /** Checked against a published source; false while it is from memory (law.md, mark [M]). */
  readonly verified: boolean;
  /** The kinds of the ledger's subject requests that use the right; empty when it has none of its own. */
  readonly requests: readonly string[];
  /** The right in plain words. */
  readonly text: Names;
  /** Where the law gives it. */
  readonly citation: Names;
}

/**
 * The rights list of a subject-rights file, checked field by field (a RegisterSchemaError names the first bad one).
 * `requestKinds` are the kinds the ledger takes: a right may only point at one of them. Deep-frozen.
 */
export function parseSubjectRights(raw: unknown, source: string, requestKinds: readonly string[]): readonly SubjectRight[] {
  const r = new Reader(source);
  const file = r.object(raw, '', ['rights'], ['note']);
  if (file.note !== undefined) r.string(file.note, 'note');
  const codes = new Map<string, string>();
  const rights = r.array(file.rights, 'rights', true).map((value, i): SubjectRight => {
    const path = index('rights', i);
    const o = r.object(value, path, ['code', 'verified', 'requests', 'text', 'citation']);
    const code = r.slug(o.code, key(path, 'code'));
    r.unique(codes, code, key(path, 'code'), 'right');
    const requests = r.array(o.requests, key(path, 'requests'), false).map((kind, j) => r.oneOf(kind, index(key(path, 'requests'), j), requestKinds));
    return Object.freeze({
      code,
      verified: r.boolean(o.verified, key(path, 'verified')),
      requests: Object.freeze(requests),
      text: Object.freeze(r.names(o.text, key(path, 'text'))),
      citation: Object.freeze(r.names(o.citation, key(path, 'citation'))),
    });
  });
  return Object.freeze(rights);
}

/**
 * The rights shipped in data/subject-rights.json, beside the storage periods the report also shows: checked when
 * first asked for, which the ledger does at start-up (a bad field stops it, named).
 */
export function builtInSubjectRights(requestKinds: readonly string[]): readonly SubjectRight[] {
  return parseSubjectRights(data, 'built-in subject-rights.json', requestKinds);
}
