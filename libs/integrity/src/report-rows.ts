import { SEALED_TEXT_PREFIX, violationSince } from '@derbes/ledger';

/**
 * What each row of an access report shows of its event, as libs/reports builds it, put side by side with what the
 * event's stored data records. Categories are compared by number and purposes by code: their names are the
 * register's words in the reader's language, which the event does not hold. A text sealed in the event cannot be
 * compared without the subject's key.
 */

export type RowList = 'events' | 'transfers' | 'violations' | 'requests';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const field = (v: unknown, key: string): unknown => (isObject(v) ? v[key] : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const REQUEST_TYPES: readonly string[] = ['SubjectRequestReceived', 'SubjectRequestRetimed', 'SubjectRequestAnswered', 'SubjectRequestRefused'];

/** The lists of the report that must show a shown event of this type, one row each. */
export function rowListsOf(type: string, data: Json): RowList[] {
  if (type === 'SubjectFileRead') return ['events'];
  if (REQUEST_TYPES.includes(type)) return ['requests'];
  if (type !== 'ProcessingRecorded') return [];
  const lists: RowList[] = ['events'];
  if (data.operation === 'transfer' && data.recipient) lists.push('transfers');
  if (list(data.violations).length > 0) lists.push('violations');
  return lists;
}

/** The event types a row of the list may name. */
export function rowTypesOf(rows: RowList): readonly string[] {
  if (rows === 'events') return ['ProcessingRecorded', 'SubjectFileRead'];
  return rows === 'requests' ? REQUEST_TYPES : ['ProcessingRecorded'];
}

/** The members a row of each list has in schema version 6 (access-report.schema.json: no other is allowed). */
const ROW_MEMBERS: Record<RowList, readonly string[]> = {
  events: ['eventId', 'at', 'operation', 'categories', 'purpose', 'unit', 'role', 'actorId', 'system', 'requestId', 'violations'],
  transfers: ['eventId', 'at', 'recipient', 'country', 'crossBorder', 'categories', 'purpose', 'ground'],
  violations: ['eventId', 'at', 'operation', 'categories', 'reasons'],
  requests: ['requestId', 'eventIds', 'kind', 'channel', 'receivedAt', 'deadline', 'deadlineCoverage', 'status', 'closedAt', 'late', 'workingDaysLate', 'reasons'],
};

/**
 * The first member of a version 6 row that its list does not have, or undefined. A reader shown a member no check
 * compares (a note, a second recipient) would take it for what the ledger recorded.
 */
export function unknownRowMember(rows: RowList, row: Json): string | undefined {
  return Object.keys(row).find((key) => !ROW_MEMBERS[rows].includes(key));
}

/** A row's field that is not what its event records: its path inside the row, and both values as JSON. */
export interface RowDifference {
  readonly field: string;
  readonly shown: string;
  readonly recorded: string;
}

/**
 * The first field of an events, transfers or violations row that differs from its event's stored data, or null.
 * Stored data is read as stored (any schema version): every field compared here is in every version, except
 * `requestId`, which version 1 did not have (read as null, as the ledger reads it), and a violation's `since`, which
 * version 4 and before wrote inside its `detail` (read from there, as the ledger reads it).
 * `v6` (reports of schema version 6 and later): a violations row gives its `reasons`, not its `codes`, and categories
 * are compared by number and slug (before, by number only).
 */
export function rowDifference(rows: Exclude<RowList, 'requests'>, row: Json, type: string, data: Json, v6: boolean): RowDifference | null {
  const read = type === 'SubjectFileRead';
  const codes = list(data.violations).map((v) => field(v, 'code'));
  type Pair = readonly [unknown, unknown];
  const common: Record<'at' | 'operation' | 'categories' | 'purpose.code', Pair> = {
    at: [row.at, data.occurredAt],
    operation: [row.operation, read ? 'read' : data.operation],
    categories: [numbers(row.categories, v6), numbers(data.categories, v6)],
    'purpose.code': [field(row.purpose, 'code'), field(data.purpose, 'code')],
  };
  const pairs: Record<string, Pair> = rows === 'events'
    ? {
        ...common,
        unit: [row.unit, field(data.actor, 'unit')],
        role: [row.role, field(data.actor, 'role')],
        // Null where the ledger's configuration hides who read or processed; otherwise the id recorded.
        actorId: [row.actorId, row.actorId === null ? null : field(data.actor, 'id')],
        system: [row.system, read ? null : data.system],
        requestId: [row.requestId, read ? null : data.requestId ?? null],
        violations: [row.violations, read ? [] : codes],
      }
    : rows === 'transfers'
      ? {
          // A transfers row stands for a transfer: the event must record one.
          operation: ['transfer', data.operation], at: common.at,
          recipient: [row.recipient, text(row.recipient, field(data.recipient, 'name'))],
          country: [row.country, field(data.recipient, 'country')],
          crossBorder: [row.crossBorder, data.crossBorder],
          categories: common.categories, 'purpose.code': common['purpose.code'],
          ground: [ground(row.ground), ground(data.transferGround, field(row.ground, 'reference'))],
        }
      : { at: common.at, operation: common.operation, categories: common.categories, ...violationReasons(row, data, v6) };
  for (const [name, [shown, recorded]] of Object.entries(pairs)) {
    const a = JSON.stringify(shown) ?? 'nothing';
    const b = JSON.stringify(recorded) ?? 'nothing';
    if (a !== b) return { field: name, shown: a, recorded: b };
  }
  return null;
}

/**
 * A request row against its events (received, then re-timed, answered or refused, in stream order), folded as the
 * report folds them. `events` are the stored type and data of the row's `eventIds`, in the row's order. A refusal's
 * reason sealed in its event (from SubjectRequestRefused v2) is left as shown, as a sealed text of a row is.
 * `withCoverage`: the row shows `deadlineCoverage` (reports of schema version 5 and later).
 */
export function requestRowDifference(
  row: Json, events: readonly { readonly type: string; readonly data: Json }[], withCoverage: boolean,
): RowDifference | null {
  const types = events.map((e) => e.type);
  const [received, ...later] = events;
  if (received?.type !== 'SubjectRequestReceived' || later.some((e) => e.type === 'SubjectRequestReceived')) {
    return { field: 'eventIds', shown: JSON.stringify(types), recorded: 'a SubjectRequestReceived first, and no other' };
  }
  const d = received.data;
  let fold: Json = {
    requestId: d.requestId, kind: d.kind, channel: d.channel, receivedAt: d.receivedAt, deadline: field(d.deadline, 'date'),
    status: 'open', closedAt: null, late: false, workingDaysLate: 0, reasons: [],
  };
  for (const { type, data } of later) {
    if (data.requestId !== d.requestId) {
      return { field: 'eventIds', shown: JSON.stringify(types), recorded: `events of request ${JSON.stringify(d.requestId)} only` };
    }
    if (type === 'SubjectRequestRetimed') fold = { ...fold, deadline: field(data.deadline, 'date') };
    const refused = type === 'SubjectRequestRefused';
    if (refused || type === 'SubjectRequestAnswered') {
      fold = {
        ...fold, status: refused ? 'refused' : 'answered', closedAt: refused ? data.refusedAt : data.answeredAt, late: data.late,
        workingDaysLate: data.workingDaysLate, reasons: refused ? sealedList(row.reasons, data.reasons) : [],
      };
    }
  }
  // From schema version 5 a row says how sure its deadline is: the weakest coverage its events recorded last.
  if (withCoverage) {
    const timed = [received, ...later.filter((e) => e.type === 'SubjectRequestRetimed')].at(-1);
    fold = { ...fold, deadlineCoverage: field(timed?.data.deadline, 'coverage') };
  }
  for (const [name, recorded] of Object.entries(fold)) {
    const a = JSON.stringify(row[name]) ?? 'nothing';
    const b = JSON.stringify(recorded) ?? 'nothing';
    if (a !== b) return { field: name, shown: a, recorded: b };
  }
  return null;
}

/**
 * A violations row's reasons against the event's violations, each with the category it concerns (null: the record as
 * a whole) and since when, all in the order recorded; compared field by field, whatever order a row's keys come in.
 * Before version 6 the row gave the codes only, each once (a rule broken for two categories gives its code twice).
 */
function violationReasons(row: Json, data: Json, withReasons: boolean): Record<string, readonly [unknown, unknown]> {
  const recorded = list(data.violations);
  if (!withReasons) return { codes: [row.codes, [...new Set(recorded.map((v) => field(v, 'code')))]] };
  const shown = Array.isArray(row.reasons)
    ? row.reasons.map((r) => ({ code: field(r, 'code'), category: field(r, 'category'), since: field(r, 'since') }))
    : row.reasons;
  const reasons = recorded.map((v) => ({ code: field(v, 'code'), category: field(v, 'category') ?? null, since: isObject(v) ? violationSince(v) : null }));
  return { reasons: [shown, reasons] };
}

/**
 * Categories by number (and from version 6 by slug too), in the order recorded; not by name: a row's names are the
 * register's words in the reader's language.
 */
function numbers(categories: unknown, withSlugs: boolean): unknown {
  if (!Array.isArray(categories)) return categories;
  return categories.map((c) => (withSlugs ? { number: field(c, 'number'), slug: field(c, 'slug') } : field(c, 'number')));
}

/**
 * What a row may show for a stored text: the text itself, or, when it is sealed with the subject's data key, whatever
 * the ledger opened it to (or its "destroyed on" words): that cannot be checked without the key.
 */
function text(shown: unknown, stored: unknown): unknown {
  return typeof stored === 'string' && stored.startsWith(SEALED_TEXT_PREFIX) ? shown : stored;
}

/** A list of texts (a refusal's reasons), each compared as `text` compares one; a row's reason missing shows as null. */
function sealedList(shown: unknown, stored: unknown): unknown {
  return Array.isArray(stored) ? stored.map((value, i) => text(list(shown)[i] ?? null, value)) : stored;
}

function ground(g: unknown, shownReference?: unknown): unknown {
  if (!isObject(g)) return g;
  return { kind: g.kind, reference: shownReference === undefined ? g.reference : text(shownReference, g.reference) };
}
