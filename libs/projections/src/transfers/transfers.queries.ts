import { SEALED_TEXT_PREFIX } from '@derbes/ledger';
import { canonicalInstant } from '../event-values';
import type { ReadModelTables } from '../projection';
import { cachedStatement } from '../statement-cache';
import { decodeTransfersCursor, encodeTransfersCursor, type TransfersCursorKey } from './transfers-cursor';

/** Filters of the transfers report; all optional, combined with AND. */
export interface TransfersFilter {
  /** Inclusive bounds on occurredAt, ISO 8601 instants in any zone. */
  readonly from?: string;
  readonly to?: string;
  readonly crossBorder?: boolean;
  /** ISO 3166-1 alpha-2 of the recipient. */
  readonly country?: string;
  /** The recipient's name exactly as recorded (a person's name is sealed, so it never matches one). */
  readonly recipient?: string;
}

/** One transfer record, with codes: names are the caller's to add. */
export interface TransferEntry {
  readonly position: number;
  readonly eventId: string;
  readonly subjectId: string;
  /** Canonical UTC ISO text. */
  readonly occurredAt: string;
  readonly recipient: { readonly name: string; readonly country: string };
  readonly crossBorder: boolean;
  readonly transferGround: { readonly kind: string; readonly reference: string } | null;
  /** The order's category numbers. */
  readonly categories: number[];
  readonly purpose: string;
  readonly actor: { readonly id: string; readonly role: string; readonly unit: string };
  readonly system: string;
  /** Violation codes; empty when the approved list allowed the transfer. */
  readonly violations: string[];
  /** The local date (YYYY-MM-DD) until which the subject's own report withholds the record; null when it has no embargo. */
  readonly embargoUntil: string | null;
}

export interface TransfersPage {
  /** Newest first: by occurredAt, then by position. */
  readonly items: TransferEntry[];
  /** Pass as `cursor` for the next page; null when this page is the last. */
  readonly nextCursor: string | null;
}

export interface TransfersTotals {
  readonly transfers: number;
  readonly crossBorder: number;
  /** Transfers per recipient country, by code. */
  readonly byCountry: Record<string, number>;
  /** Transfers per recipient name, the most frequent first, at most `maxRecipients` of them; persons are not named. */
  readonly byRecipient: Record<string, number>;
  /** Transfers to persons: their names are sealed with each subject's own key, so they are counted here and not by name. */
  readonly toPersons: number;
  /** True when there were more recipients than `byRecipient` holds. */
  readonly recipientsTruncated: boolean;
}

type Params = Record<string, string | number>;

function where(filter: TransfersFilter, params: Params): string {
  // Never empty, so that the WHERE clause is valid with no filter at all.
  const conditions = ['1 = 1'];
  const add = (sql: string, name: string, value: string | number | undefined) => {
    if (value === undefined) return;
    conditions.push(sql);
    params[name] = value;
  };
  add('occurred_at >= @from', 'from', filter.from === undefined ? undefined : canonicalInstant(filter.from));
  add('occurred_at <= @to', 'to', filter.to === undefined ? undefined : canonicalInstant(filter.to));
  add('cross_border = @crossBorder', 'crossBorder', filter.crossBorder === undefined ? undefined : Number(filter.crossBorder));
  add('recipient_country = @country', 'country', filter.country);
  add('recipient_name = @recipient', 'recipient', filter.recipient);
  return conditions.join(' AND ');
}

interface Row {
  readonly position: number;
  readonly event_id: string;
  readonly subject_id: string;
  readonly occurred_at: string;
  readonly recipient_name: string;
  readonly recipient_country: string;
  readonly cross_border: number;
  readonly ground_kind: string | null;
  readonly ground_reference: string | null;
  readonly categories: string;
  readonly purpose_code: string;
  readonly actor_id: string;
  readonly actor_role: string;
  readonly actor_unit: string;
  readonly system: string;
  readonly violations: string;
  /** Absent from the rows of a generation before version 2, which answers while version 2 is built. */
  readonly embargo_until?: string | null;
}

/** The SQL of one page and its named parameters. Exported for query-plan tests. */
export function transfersPageSql(
  tables: ReadModelTables,
  filter: TransfersFilter,
  after: TransfersCursorKey | null,
  limit: number,
): { sql: string; params: Params } {
  const params: Params = { limit };
  let conditions = where(filter, params);
  if (after) {
    conditions += ' AND (occurred_at, position) < (@afterAt, @afterPosition)';
    params.afterAt = after.occurredAt;
    params.afterPosition = after.position;
  }
  const sql = `SELECT * FROM "${tables.table('transfers')}" WHERE ${conditions} ORDER BY occurred_at DESC, position DESC LIMIT @limit`;
  return { sql, params };
}

/**
 * One page of transfers newest first, strictly after `cursor` (keyset on (occurredAt, position), so transfers
 * recorded meanwhile never shift a page). Throws RangeError on a foreign cursor or a bad bound.
 */
export function transfersPage(tables: ReadModelTables, filter: TransfersFilter, cursor: string | null, limit: number): TransfersPage {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number from 1, got ${limit}`);
  const after = cursor === null ? null : decodeTransfersCursor(cursor);
  if (cursor !== null && !after) throw new RangeError('not a transfers cursor');
  // One row more than asked tells whether another page follows.
  const { sql, params } = transfersPageSql(tables, filter, after, limit + 1);
  const rows = cachedStatement<Row>(tables, sql).all(params);
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map(toEntry);
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeTransfersCursor(last) : null };
}

/** Counts over every transfer the filter selects (not only one page). */
export function transfersTotals(tables: ReadModelTables, filter: TransfersFilter, maxRecipients = 1000): TransfersTotals {
  const params: Params = {};
  const conditions = where(filter, params);
  const from = `FROM "${tables.table('transfers')}" WHERE ${conditions}`;
  // GLOB, unlike LIKE, is case-sensitive: an organization named "Sealed:..." is still an organization.
  const sealed = { sealed: `${SEALED_TEXT_PREFIX}*` };
  const counts = cachedStatement<{ transfers: number; crossBorder: number | null; toPersons: number | null }>(
    tables,
    `SELECT COUNT(*) AS transfers, SUM(cross_border) AS crossBorder, SUM(recipient_name GLOB @sealed) AS toPersons ${from}`,
  ).get({ ...params, ...sealed });
  type Group = { key: string; n: number };
  const countries = cachedStatement<Group>(tables, `SELECT recipient_country AS key, COUNT(*) AS n ${from} GROUP BY key ORDER BY key`).all(params);
  const recipients = cachedStatement<Group>(
    tables,
    `SELECT recipient_name AS key, COUNT(*) AS n ${from} AND recipient_name NOT GLOB @sealed GROUP BY key ORDER BY n DESC, key LIMIT @limit`,
  ).all({ ...params, ...sealed, limit: maxRecipients + 1 });
  const recipientsTruncated = recipients.length > maxRecipients;
  // Object.fromEntries defines own properties, so a recipient called "__proto__" is a key like any other.
  return {
    transfers: counts?.transfers ?? 0,
    crossBorder: counts?.crossBorder ?? 0,
    byCountry: Object.fromEntries(countries.map((g) => [g.key, g.n])),
    byRecipient: Object.fromEntries(recipients.slice(0, maxRecipients).map((g) => [g.key, g.n])),
    toPersons: counts?.toPersons ?? 0,
    recipientsTruncated,
  };
}

function toEntry(row: Row): TransferEntry {
  return {
    position: row.position,
    eventId: row.event_id,
    subjectId: row.subject_id,
    occurredAt: row.occurred_at,
    recipient: { name: row.recipient_name, country: row.recipient_country },
    crossBorder: row.cross_border === 1,
    transferGround: row.ground_kind !== null && row.ground_reference !== null ? { kind: row.ground_kind, reference: row.ground_reference } : null,
    categories: JSON.parse(row.categories) as number[],
    purpose: row.purpose_code,
    actor: { id: row.actor_id, role: row.actor_role, unit: row.actor_unit },
    system: row.system,
    violations: JSON.parse(row.violations) as string[],
    // Version 1's rows, which answer while version 2 is built, have no embargo column: none is shown until the swap.
    embargoUntil: row.embargo_until ?? null,
  };
}
