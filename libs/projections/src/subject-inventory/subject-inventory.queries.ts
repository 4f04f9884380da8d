import { categoryStatusAt, type CategoryMark, type CategoryRef, type MarkOperation } from '@derbes/ledger';
import type { ReadModelTables } from '../projection';
import { cachedStatement } from '../statement-cache';
import { existingSubjectKey } from '../subject-keys';
import type { CategoryRow } from './subject-inventory.projection';

/** What the ledger knows of one category of a subject's data. Timestamps are canonical UTC ISO text. */
export interface InventoryCategory {
  readonly number: number;
  readonly slug: string;
  /** Whether the ledger holds any record about this category of the subject. */
  readonly known: boolean;
  /**
   * Known to be held now: the latest record in time is neither a destruction nor a depersonalization. Null (not known)
   * while only the ledger's own records of carrying out the subject's requests name the category; false when `known` is.
   */
  readonly held: boolean | null;
  /** Distinct sources of collect records, in the order they first appeared. */
  readonly sources: readonly { readonly kind: string; readonly name?: string }[];
  readonly firstProcessedAt: string | null;
  readonly lastProcessedAt: string | null;
  readonly lastChangedAt: string | null;
  /** Distinct recipients of transfers, in the order they first appeared. */
  readonly recipients: readonly { readonly name: string; readonly country: string }[];
  /** Now, by the block, unblock, destroy and depersonalize records in occurredAt order (the decider's rule). */
  readonly blockedAt: string | null;
  readonly destroyedAt: string | null;
  readonly depersonalizedAt: string | null;
}

function grouped<T extends { category: number }, U>(rows: readonly T[], map: (row: T) => U): Map<number, U[]> {
  const out = new Map<number, U[]>();
  for (const row of rows) {
    const list = out.get(row.category);
    if (list) list.push(map(row));
    else out.set(row.category, [map(row)]);
  }
  return out;
}

/** A category the ledger holds no record of for the subject. */
export function unknownCategory(ref: CategoryRef): InventoryCategory {
  return {
    number: ref.number, slug: ref.slug, known: false, held: false, sources: [], firstProcessedAt: null,
    lastProcessedAt: null, lastChangedAt: null, recipients: [], blockedAt: null, destroyedAt: null, depersonalizedAt: null,
  };
}

/**
 * A subject's inventory: one entry per category of `listed` (the register's list, in its order), those the ledger
 * has no record of shown as not known, followed by any category the ledger knows that `listed` lacks (recorded
 * under another version of the register), by number. Null when the ledger knows nothing about the subject.
 */
export function subjectInventory(tables: ReadModelTables, subjectId: string, listed: readonly CategoryRef[]): InventoryCategory[] | null {
  const t = (name: string) => `"${tables.table(name)}"`;
  const subjectKey = existingSubjectKey(tables, subjectId);
  if (subjectKey === undefined) return null;
  const params = { subjectKey };
  // Several statements: inside ProjectionRunner.read they see one committed state while batches are applied.
  const rows = cachedStatement<CategoryRow>(tables, `SELECT * FROM ${t('categories')} WHERE subject_key = @subjectKey ORDER BY category`).all(params);
  if (rows.length === 0) return null;
  const sources = cachedStatement<{ category: number; kind: string; name: string }>(
    tables, `SELECT category, kind, name FROM ${t('sources')} WHERE subject_key = @subjectKey ORDER BY category, position, kind, name`,
  ).all(params);
  const recipients = cachedStatement<{ category: number; name: string; country: string }>(
    tables, `SELECT category, name, country FROM ${t('recipients')} WHERE subject_key = @subjectKey ORDER BY category, position, name, country`,
  ).all(params);
  const marks = cachedStatement<{ category: number; at: string; position: number; operation: MarkOperation }>(
    tables, `SELECT category, at, position, operation FROM ${t('marks')} WHERE subject_key = @subjectKey ORDER BY category, at, position`,
  ).all(params);
  const marksOf = grouped(marks, (r) => r);
  const sourcesOf = grouped(sources, (r) => (r.name === '' ? { kind: r.kind } : { kind: r.kind, name: r.name }));
  const recipientsOf = grouped(recipients, (r) => ({ name: r.name, country: r.country }));
  const known = new Map<number, InventoryCategory>();
  // An older generation's rows, still answering while version 5 is rebuilt, have no `emitted`: they keep its meaning.
  for (const row of rows) {
    const status = categoryStatusAt({ marks: withLatestCollect(marksOf.get(row.category) ?? [], row) });
    known.set(row.category, {
      number: row.category, slug: row.slug, known: true, held: row.emitted === 0 ? null : row.held === 1,
      sources: sourcesOf.get(row.category) ?? [], firstProcessedAt: row.first_at, lastProcessedAt: row.last_at,
      lastChangedAt: row.changed_at, recipients: recipientsOf.get(row.category) ?? [], ...status,
    });
  }
  const listedNumbers = new Set(listed.map((c) => c.number));
  const extra = [...known.values()].filter((c) => !listedNumbers.has(c.number));
  return [...listed.map((ref) => known.get(ref.number) ?? unknownCategory(ref)), ...extra];
}

/**
 * A category's marks for categoryStatusAt, with its latest collect in its place by (occurredAt, log position), as the
 * decider orders marks: for the status now, the latest collect stands for all (each one clears what came before it).
 */
function withLatestCollect(
  marks: readonly { at: string; position: number; operation: MarkOperation }[], row: CategoryRow,
): CategoryMark[] {
  const out: CategoryMark[] = [];
  let pending = row.collected_at === null ? null : { at: row.collected_at, position: row.collected_position ?? 0 };
  for (const mark of marks) {
    if (pending && (pending.at < mark.at || (pending.at === mark.at && pending.position < mark.position))) {
      out.push({ operation: 'collect', at: pending.at, time: Date.parse(pending.at) });
      pending = null;
    }
    out.push({ operation: mark.operation, at: mark.at, time: Date.parse(mark.at) });
  }
  if (pending) out.push({ operation: 'collect', at: pending.at, time: Date.parse(pending.at) });
  return out;
}
