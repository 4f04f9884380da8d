import { isUtf8 } from 'node:buffer';
import { checkIin, OPERATIONS, REQUEST_CHANNELS, REQUEST_KINDS, SOURCE_KINDS, TRANSFER_GROUND_KINDS, VIOLATION_CODES } from '@derbes/ledger';
import { decodeHistoryCursor, decodeTransfersCursor, decodeViolationsCursor, isClosedRequestsCursor, SUMMARY_GROUP_KEYS } from '@derbes/projections';
import register from '../../libs/register/src/data/order-328-O.json';
import { decodeCursor } from '../../apps/ledger/src/subjects/subject-events.query';
import type { FuzzRequest } from './fuzz-generators';

/**
 * The fuzz test's independent reading of the README's rules: whether a request is one the API may answer with a
 * 2xx. It errs on the lenient side (a 4xx to a request it calls valid is no failure; a 2xx to one it calls invalid
 * is), so it says why a request is invalid only when a documented rule says so.
 */
export interface OracleState {
  readonly now: Date;
  readonly skewSeconds: number;
  /** DERBES_EMBARGO_MAX_DAYS. */
  readonly embargoMaxDays: number;
  /** The one system the emitter key records as. */
  readonly emitterSystem: string;
  /** Subjects the ledger holds events about. */
  readonly subjects: ReadonlySet<string>;
  /** Subject requests still open (lowercase ids). */
  readonly openRequests: ReadonlySet<string>;
  readonly bodyLimit: number;
}

type Obj = Record<string, unknown>;
type Why = string | null;

const CODE = /^[\p{L}\p{N}][\p{L}\p{N}._:@/-]*$/u;
const TEXT = /^[^\u0000-\u0008\u000B-\u001F\u007F]*$/;
const SYSTEM = /^[a-z0-9][a-z0-9._-]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A UUID a client may choose: version 8 is the ledger's own. */
const CLIENT_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-79a-f][0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUBJECT_ID = /^[0-9a-f]{64}$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LANGS = ['kk', 'ru', 'en'];
const CATEGORY_SLUGS = new Map(register.categories.map((c) => [c.slug, c.number]));
const CATEGORY_NUMBERS = new Set(register.categories.map((c) => c.number));
const PURPOSES = new Set(register.purposes.flatMap((p) => [p.code, p.slug]));
const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
const DAY_MS = 86_400_000;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const absent = (v: unknown) => v === undefined || v === null;
/** class-validator's length: surrogate pairs and variation selectors count once. */
const length = (s: string) => s.length - (s.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0) - (s.match(/[\uFE0E\uFE0F]/g)?.length ?? 0);
const str = (v: unknown, min: number, max: number, re?: RegExp): v is string => typeof v === 'string' && length(v) >= min && length(v) <= max && (!re || re.test(v));
const realDate = (y: number, m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(2000 + (y % 400), m, 0)).getUTCDate();

/** The ledger's local date (Kazakhstan, UTC+5): an IIN's birth date may not be after it. */
const today = (s: OracleState) => new Date(s.now.getTime() + 5 * 3_600_000).toISOString().slice(0, 10);

function hasIin(text: string): boolean {
  for (const run of text.match(/\d{12,}/g) ?? []) {
    for (let i = 0; i + 12 <= run.length; i++) if (checkIin(run.slice(i, i + 12), null).valid) return true;
  }
  return false;
}
const freeText = (v: unknown, min: number, max: number) => str(v, min, max, TEXT) && !hasIin(v);
/** A source's or recipient's name: free text in NFC without invisible (Default_Ignorable) characters. Mixed-script words are not judged here. */
const plainName = (v: unknown) => freeText(v, 1, 300) && (v as string).normalize('NFC') === v && !/\p{Default_Ignorable_Code_Point}/u.test(v as string);

function instant(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s, oh, om] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
  if (!realDate(y!, mo!, d!) || h! > 23 || mi! > 59 || s! > 59 || oh! > 23 || om! > 59) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : at;
}

function day(text: unknown): number | null {
  const m = typeof text === 'string' ? DAY.exec(text) : null;
  if (!m || !realDate(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  return Date.parse(`${text as string}T00:00:00Z`);
}

/** Days from the local date (UTC+5) of occurredAt to the embargo's; infinite when either is not a date. */
function embargoDays(until: number | null, occurredAt: number | null): number {
  if (until === null) return Infinity;
  if (occurredAt === null) return -Infinity; // occurredAt's own rule refuses the record
  const from = Date.parse(new Date(occurredAt + 5 * 3_600_000).toISOString().slice(0, 10));
  return (until - from) / DAY_MS;
}

/** Whether an embargo `days` after the record's local date is taken: 1 to the most configured; -Infinity (no valid occurredAt) leaves it to that rule. */
function embargoTaken(days: number, maxDays: number): boolean {
  return maxDays > 0 && (days === -Infinity || (days >= 1 && days <= maxDays));
}

function unknownKey(v: Obj, allowed: readonly string[]): Why {
  const extra = Object.keys(v).find((k) => !allowed.includes(k));
  return extra === undefined ? null : `unknown field ${JSON.stringify(extra)}`;
}

function category(v: unknown): number | null {
  if (typeof v === 'number') return CATEGORY_NUMBERS.has(v) ? v : null;
  return typeof v === 'string' ? (CATEGORY_SLUGS.get(v) ?? null) : null;
}

function categories(v: unknown, required: boolean): Why {
  if (!Array.isArray(v) || v.length < 1 || v.length > 100) return required || !absent(v) ? 'categories: not an array of 1 to 100' : null;
  const numbers = v.map(category);
  if (numbers.some((n) => n === null)) return 'categories: an unknown category';
  return new Set(numbers).size === numbers.length ? null : 'categories: listed twice';
}

/** A processing record as the README describes it. */
export function recordWhy(r: unknown, s: OracleState): Why {
  if (!isObj(r)) return 'not an object';
  const when = instant(r.occurredAt);
  const op = r.operation;
  const checks: [boolean, string][] = [
    [unknownKey(r, ['recordId', 'operation', 'subject', 'categories', 'purpose', 'actor', 'system', 'occurredAt', 'source', 'recipient', 'transferGround', 'note', 'embargoUntil', 'sourceSequence']) === null, 'unknown field'],
    [typeof r.recordId === 'string' && CLIENT_UUID.test(r.recordId), 'recordId'],
    [(OPERATIONS as readonly unknown[]).includes(op), 'operation'],
    [isObj(r.subject) && !unknownKey(r.subject, ['iin']) && typeof r.subject.iin === 'string' && checkIin(r.subject.iin, today(s)).valid, 'subject.iin'],
    [categories(r.categories, true) === null, 'categories'],
    [str(r.purpose, 1, 100) && PURPOSES.has(r.purpose), 'purpose'],
    [isObj(r.actor) && !unknownKey(r.actor, ['id', 'role', 'unit']) && str(r.actor.id, 1, 100, CODE) && str(r.actor.role, 1, 100, CODE)
      && str(r.actor.unit, 1, 200, CODE) && !hasIin(`${r.actor.id} ${r.actor.role} ${r.actor.unit}`), 'actor'],
    [str(r.system, 1, 64, SYSTEM) && r.system === s.emitterSystem, 'system'],
    [str(r.occurredAt, 0, 40) && when !== null && when >= Date.UTC(2000, 0, 1) && when <= s.now.getTime() + s.skewSeconds * 1000, 'occurredAt'],
    [absent(r.source) ? op !== 'collect' : op === 'collect' && isObj(r.source) && !unknownKey(r.source, ['kind', 'name'])
      && (SOURCE_KINDS as readonly unknown[]).includes(r.source.kind) && (absent(r.source.name) || plainName(r.source.name)), 'source'],
    [absent(r.recipient) ? op !== 'transfer' : op === 'transfer' && isObj(r.recipient) && !unknownKey(r.recipient, ['name', 'country'])
      && plainName(r.recipient.name) && str(r.recipient.country, 2, 2, /^[A-Z]{2}$/) && regions.of(r.recipient.country) !== r.recipient.country, 'recipient'],
    [absent(r.transferGround) || (op === 'transfer' && isObj(r.transferGround) && !unknownKey(r.transferGround, ['kind', 'reference'])
      && (TRANSFER_GROUND_KINDS as readonly unknown[]).includes(r.transferGround.kind) && freeText(r.transferGround.reference, 1, 300)), 'transferGround'],
    [absent(r.note) || freeText(r.note, 0, 2000), 'note'],
    [absent(r.embargoUntil) || embargoTaken(embargoDays(day(r.embargoUntil), when), s.embargoMaxDays), 'embargoUntil'],
    [r.sourceSequence === undefined || (Number.isSafeInteger(r.sourceSequence) && (r.sourceSequence as number) >= 1), 'sourceSequence'],
  ];
  return checks.find(([ok]) => !ok)?.[1] ?? null;
}

function subjectRequestWhy(b: Obj, s: OracleState): Why {
  const received = instant(b.receivedAt);
  const acting = ['change', 'blocking', 'unblocking', 'destruction'].includes(b.kind as string);
  const checks: [boolean, string][] = [
    [unknownKey(b, ['requestId', 'subject', 'kind', 'channel', 'receivedAt', 'categories', 'detail']) === null, 'unknown field'],
    [absent(b.requestId) || (typeof b.requestId === 'string' && CLIENT_UUID.test(b.requestId)), 'requestId'],
    [isObj(b.subject) && !unknownKey(b.subject, ['iin']) && str(b.subject.iin, 1, 32) && checkIin(b.subject.iin, today(s)).valid, 'subject.iin'],
    [(REQUEST_KINDS as readonly unknown[]).includes(b.kind), 'kind'],
    [(REQUEST_CHANNELS as readonly unknown[]).includes(b.channel), 'channel'],
    [str(b.receivedAt, 0, 40) && received !== null && new Date(received).getUTCFullYear() >= 2013 && received <= s.now.getTime() + s.skewSeconds * 1000, 'receivedAt'],
    [categories(b.categories, acting) === null && (acting || absent(b.categories)), 'categories'],
    [absent(b.detail) || freeText(b.detail, 1, 2000), 'detail'],
  ];
  return checks.find(([ok]) => !ok)?.[1] ?? null;
}

/** The body as the server would parse it, or why it cannot be parsed. */
function parseBody(req: FuzzRequest, bodyLimit: number): { body: unknown } | { why: string } {
  const type = req.headers['content-type'];
  const bytes = req.payload === undefined ? Buffer.alloc(0) : Buffer.from(req.payload);
  if (type === undefined) return bytes.length === 0 ? { body: undefined } : { why: 'a body without a content type' };
  if (type.split(';')[0]?.trim().toLowerCase() !== 'application/json') return { why: `content type ${type}` };
  if (bytes.length > bodyLimit) return { why: 'over the body limit' };
  if (!isUtf8(bytes)) return { why: 'not UTF-8' };
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return { why: 'not JSON' };
  }
  const stack: [unknown, number][] = [[body, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > 32) return { why: 'nested deeper than 32' };
    for (const [key, child] of Object.entries(node)) {
      if (!Array.isArray(node) && (key in Object.prototype || key === 'prototype')) return { why: `key ${key}` };
      stack.push([child, depth + 1]);
    }
  }
  return { body };
}

function pathParam(req: FuzzRequest, index: number): string | null {
  try {
    return decodeURIComponent(req.url.split('?')[0]?.split('/')[index] ?? '');
  } catch {
    return null;
  }
}

/** Why a POST is invalid, or null. */
function postWhy(req: FuzzRequest, s: OracleState): Why {
  const parsed = parseBody(req, s.bodyLimit);
  if ('why' in parsed) return parsed.why;
  const b = parsed.body;
  switch (req.endpoint) {
    case 'POST /v1/processing-records':
      return recordWhy(b, s);
    case 'POST /v1/processing-records/batch': {
      if (!isObj(b) || unknownKey(b, ['records']) || !Array.isArray(b.records) || b.records.length < 1 || b.records.length > 1000) return 'envelope';
      return b.records.map((r) => recordWhy(r, s)).find((w) => w !== null) ?? null;
    }
    case 'POST /v1/subjects/lookup':
      return isObj(b) && !unknownKey(b, ['iin']) && typeof b.iin === 'string' && checkIin(b.iin, today(s)).valid ? null : 'iin';
    case 'POST /v1/subject-requests':
      return isObj(b) ? subjectRequestWhy(b, s) : 'not an object';
    case 'POST /v1/subject-requests/{id}/answer':
    case 'POST /v1/subject-requests/{id}/refuse': {
      const id = pathParam(req, 3);
      if (id === null || !UUID.test(id) || !s.openRequests.has(id.toLowerCase())) return 'not an open request';
      // Nest's ValidationPipe reads no body, and a JSON null, as {}.
      const body = b === undefined || b === null ? {} : b;
      if (!isObj(body)) return 'not an object';
      if (req.endpoint.endsWith('answer')) {
        return !unknownKey(body, ['language', 'note']) && (absent(body.language) || LANGS.includes(body.language as string))
          && (absent(body.note) || freeText(body.note, 1, 2000)) ? null : 'answer';
      }
      const reasons = body.reasons;
      return !unknownKey(body, ['reasons']) && Array.isArray(reasons) && reasons.length >= 1 && reasons.length <= 20
        && reasons.every((r) => freeText(r, 1, 2000) && (r as string).trim() !== '') ? null : 'reasons';
    }
    default:
      return `unknown endpoint ${req.endpoint}`;
  }
}

/** The query as fast-querystring reads it: `+` is a space, a bad escape stays as it is, a repeat makes a list. */
function parseQuery(url: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const decode = (x: string) => {
    try {
      return decodeURIComponent(x.replace(/\+/g, ' '));
    } catch {
      return x.replace(/\+/g, ' ');
    }
  };
  for (const part of (url.split('?')[1] ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    out.set(key, [...(out.get(key) ?? []), decode(eq < 0 ? '' : part.slice(eq + 1))]);
  }
  return out;
}

type Rule = (value: string) => boolean;
const oneOf = (values: readonly string[]): Rule => (v) => values.includes(v);
const limit: Rule = (v) => /^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 500;
const position: Rule = (v) => /^\d{1,15}$/.test(v);
const code = (max: number): Rule => (v) => str(v, 1, max, CODE);
const period: Rule = (v) => v.length <= 40 && (day(v) !== null || instant(v) !== null);
const EVENTS: Record<string, Rule> = {
  operation: oneOf(OPERATIONS), category: (v) => category(/^\d+$/.test(v) ? Number(v) : v) !== null, purpose: (v) => PURPOSES.has(v),
  from: (v) => v.length <= 40 && instant(v) !== null, to: (v) => v.length <= 40 && instant(v) !== null, limit, cursor: (v) => v.length <= 100 && decodeCursor(v) !== null,
};
const RULES: Record<string, Record<string, Rule>> = {
  'GET /v1/subjects/{id}/events': EVENTS,
  'GET /v1/subjects/{id}/history': {
    ...EVENTS, cursor: (v) => v.length <= 100 && decodeHistoryCursor(v) !== null, lang: oneOf(LANGS), actor: code(100), unit: code(200),
    system: (v) => str(v, 1, 64, SYSTEM), violations: oneOf(['true', 'false']), position,
  },
  'GET /v1/subjects/{id}/inventory': { lang: oneOf(LANGS), position },
  'GET /v1/subjects/{id}/access-report': { lang: oneOf(LANGS), format: oneOf(['json', 'html', 'pdf']) },
  'GET /v1/reports/violations': {
    code: oneOf(VIOLATION_CODES), unit: code(200), system: code(100), actor: code(100), from: EVENTS.from as Rule, to: EVENTS.to as Rule, limit,
    cursor: (v) => v.length <= 200 && decodeViolationsCursor(v) !== null, position,
  },
  'GET /v1/reports/summary': {
    from: period, to: period, groupBy: (v) => v.length <= 200, format: oneOf(['json', 'csv']), lang: oneOf(LANGS), position,
  },
  'GET /v1/reports/transfers': {
    from: period, to: period, crossBorder: oneOf(['true', 'false']), country: (v) => /^[A-Za-z]{2}$/.test(v), recipient: (v) => length(v) <= 300, limit,
    cursor: (v) => v.length <= 200 && decodeTransfersCursor(v) !== null, lang: oneOf(LANGS), position,
  },
  'GET /v1/reports/actor-activity': { from: (v) => day(v) !== null, to: (v) => day(v) !== null, unit: code(200), actor: code(100), lang: oneOf(LANGS), position },
  'GET /v1/subject-requests': {
    status: oneOf(['open', 'answered', 'refused', 'closed']), due: oneOf(['today', 'overdue']), limit, cursor: (v) => v.length <= 200 && isClosedRequestsCursor(v), position,
  },
};

/** Bounds of a report period as parseReportPeriod reads them: a day's first moment, or through its last. */
function periodBounds(from: string, to: string): [number, number] {
  return [day(from) ?? (instant(from) as number), day(to) !== null ? (day(to) as number) + DAY_MS - 1 : (instant(to) as number)];
}

function getWhy(req: FuzzRequest, s: OracleState): Why {
  const query = parseQuery(req.url);
  if (req.endpoint === 'GET /v1/register/current') {
    const at = query.get('at');
    return at === undefined || (at.length === 1 && instant(at[0]) !== null) ? null : 'at';
  }
  const rules = RULES[req.endpoint];
  if (!rules) return `unknown endpoint ${req.endpoint}`;
  const p: Record<string, string> = {};
  for (const [key, values] of query) {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (!rule || values.length !== 1 || !rule(values[0] as string)) return `parameter ${key}`;
    p[key] = values[0] as string;
  }
  if (req.endpoint.startsWith('GET /v1/subjects/')) {
    const id = pathParam(req, 3);
    if (id === null || !SUBJECT_ID.test(id) || !s.subjects.has(id)) return 'not a known subject';
    const purpose = req.headers['x-purpose'];
    if (purpose === undefined || !(purpose === 'OVERSIGHT' || purpose === 'oversight' || PURPOSES.has(purpose))) return 'x-purpose';
  }
  if ((p.from !== undefined && p.to !== undefined) || ['summary', 'transfers', 'actor-activity'].some((r) => req.endpoint.endsWith(r))) {
    if (p.from === undefined || p.to === undefined) return 'period';
    const [from, to] = req.endpoint.endsWith('actor-activity') ? [day(p.from) as number, day(p.to) as number] : periodBounds(p.from, p.to);
    if (to < from) return 'to before from';
    if (['summary', 'transfers', 'actor-activity'].some((r) => req.endpoint.endsWith(r)) && to - from >= 731 * DAY_MS) return 'period too long';
  }
  if (p.groupBy !== undefined && p.groupBy !== '') {
    const keys = p.groupBy.split(',').map((k) => k.trim());
    if (keys.some((k) => !(SUMMARY_GROUP_KEYS as readonly string[]).includes(k)) || new Set(keys).size !== keys.length) return 'groupBy';
  }
  if (req.endpoint === 'GET /v1/subject-requests') {
    const open = (p.status ?? 'open') === 'open';
    if (open ? p.cursor !== undefined : p.due !== undefined) return 'status';
  }
  return null;
}

/** Why the request is invalid under the README's rules, or null when a 2xx is a legitimate answer to it. */
export function whyInvalid(req: FuzzRequest, state: OracleState): Why {
  return req.method === 'GET' ? getWhy(req, state) : postWhy(req, state);
}
