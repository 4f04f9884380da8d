import { OPERATIONS, REQUEST_CHANNELS, REQUEST_KINDS } from '@derbes/ledger';
import { SUMMARY_GROUP_KEYS } from '@derbes/projections';
import register from '../../libs/register/src/data/order-328-O.json';
import { hostileString, INJECTIONS, type FuzzRequest, type Rng } from './fuzz-generators';
import { headerValue, mutateBody, mutateQuery, queryUrl, type QueryParts } from './fuzz-mutations';

/**
 * Valid requests to every ingest and query endpoint, each then mutated (85 %) or sent as it is (15 %): the
 * unmutated ones must succeed, which shows the generators start from requests the API takes.
 */
export const EMITTER_SYSTEM = 'hr-portal';

/** What the generators draw on: the subjects' IINs, who has records, which requests are open, how far the log is. */
export interface FuzzWorld {
  readonly iins: readonly string[];
  readonly bodyLimit: number;
  /** Subjects with processing records (their reads answer 200). */
  readonly recorded: readonly string[];
  readonly openRequests: readonly string[];
  readonly closedRequests: readonly string[];
  readonly lastPosition: number;
}

export const POST_ENDPOINTS = [
  'POST /v1/processing-records', 'POST /v1/processing-records/batch', 'POST /v1/subjects/lookup', 'POST /v1/subject-requests',
  'POST /v1/subject-requests/{id}/answer', 'POST /v1/subject-requests/{id}/refuse',
] as const;
export const GET_ENDPOINTS = [
  'GET /v1/subjects/{id}/history', 'GET /v1/subjects/{id}/inventory', 'GET /v1/subjects/{id}/events', 'GET /v1/subjects/{id}/access-report',
  'GET /v1/reports/violations', 'GET /v1/reports/summary', 'GET /v1/reports/transfers', 'GET /v1/reports/actor-activity',
  'GET /v1/subject-requests', 'GET /v1/register/current',
] as const;
export type Endpoint = (typeof POST_ENDPOINTS)[number] | (typeof GET_ENDPOINTS)[number];

const SLUGS = register.categories.map((c) => c.slug);
const START = Date.UTC(2026, 0, 1);
const END = Date.UTC(2026, 10, 25, 11);

function instantIn(rng: Rng, from = START, to = END): string {
  const at = new Date(from + rng.int(to - from));
  return rng.chance(0.7) ? at.toISOString() : new Date(at.getTime() + 5 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+05:00');
}

function dayIn(rng: Rng, from = START, to = END): string {
  return new Date(from + rng.int(to - from)).toISOString().slice(0, 10);
}

/** An embargo the default DERBES_EMBARGO_MAX_DAYS (366) takes: up to that many days after the local date (UTC+5) of occurredAt. */
function embargoFor(rng: Rng, occurredAt: string): string {
  return new Date(Date.parse(occurredAt) + 5 * 3_600_000 + rng.between(1, 366) * 86_400_000).toISOString().slice(0, 10);
}

function categories(rng: Rng): (number | string)[] {
  const numbers = new Set<number>();
  const n = rng.between(1, 3);
  while (numbers.size < n) numbers.add(rng.between(1, 30));
  return [...numbers].map((c) => (rng.chance(0.3) ? (SLUGS[c - 1] as string) : c));
}

export function validRecord(rng: Rng, world: FuzzWorld): Record<string, unknown> {
  const operation = rng.pick(OPERATIONS);
  const record: Record<string, unknown> = {
    recordId: rng.uuid(),
    operation,
    subject: { iin: rng.pick(world.iins) },
    categories: categories(rng),
    purpose: rng.pick(['P01', 'P02', 'P07', 'P12', 'official-investigations']),
    actor: { id: rng.pick(['hr-17', 'hr-18', 'Айгерим.К']), role: 'hr-specialist', unit: rng.pick(['personnel-management', 'finance']) },
    system: EMITTER_SYSTEM,
    occurredAt: instantIn(rng),
  };
  if (operation === 'collect') record.source = rng.pick([{ kind: 'subject' }, { kind: 'state-database', name: 'State database "Individuals"' }]);
  if (operation === 'transfer') {
    record.recipient = { name: 'Unified accumulative pension fund', country: rng.pick(['KZ', 'DE', 'RU']) };
    if (rng.chance(0.5)) record.transferGround = { kind: 'consent', reference: 'consent 2026-118' };
  }
  if (rng.chance(0.5)) record.note = rng.pick(['competition file', 'Ескерту: іс қағаздары', 'annual review; file 17']);
  if (rng.chance(0.1)) record.embargoUntil = embargoFor(rng, record.occurredAt as string);
  if (rng.chance(0.3)) record.sourceSequence = rng.between(1, 1000);
  return record;
}

function validSubjectRequest(rng: Rng, world: FuzzWorld): Record<string, unknown> {
  const kind = rng.pick(REQUEST_KINDS);
  const acting = ['change', 'blocking', 'unblocking', 'destruction'].includes(kind);
  return {
    ...(rng.chance(0.5) ? { requestId: rng.uuid() } : {}),
    subject: { iin: rng.pick(world.iins) },
    kind,
    channel: rng.pick(REQUEST_CHANNELS),
    receivedAt: instantIn(rng, Date.UTC(2026, 10, 1), END),
    ...(acting ? { categories: categories(rng) } : {}),
    ...(rng.chance(0.4) ? { detail: 'asks what is held about them' } : {}),
  };
}

/** A POST to `endpoint`: a valid body, mutated or not; answer and refuse also mutate the request id in the path. */
export function postRequest(rng: Rng, endpoint: (typeof POST_ENDPOINTS)[number], world: FuzzWorld): FuzzRequest {
  let url: string = endpoint;
  let body: object;
  const mutations: string[] = [];
  switch (endpoint) {
    case 'POST /v1/processing-records': body = validRecord(rng, world); break;
    case 'POST /v1/processing-records/batch': body = { records: Array.from({ length: rng.pick([1, 1, 2, 3, 5, 20]) }, () => validRecord(rng, world)) }; break;
    case 'POST /v1/subjects/lookup': body = { iin: rng.pick(world.iins) }; break;
    case 'POST /v1/subject-requests': body = validSubjectRequest(rng, world); break;
    default: {
      const open = world.openRequests.length > 0 ? rng.pick(world.openRequests) : null;
      const id = requestIdFor(rng, open, world, mutations);
      url = endpoint.replace('{id}', id);
      body = endpoint.endsWith('answer') ? rng.pick([{}, { language: 'ru' }, { note: 'answered in person' }]) : { reasons: ['the personnel file must be kept 75 years'] };
    }
  }
  url = url.replace(/^POST /, '');
  const mutate = rng.chance(0.85) || mutations.length > 0;
  const sent = mutate ? mutateBody(rng, body, world.iins, world.bodyLimit) : { payload: JSON.stringify(body), contentType: 'application/json', mutations: [] };
  if (mutate && sent.mutations.length === 0) sent.mutations.push('none applied');
  return {
    endpoint, method: 'POST', url,
    headers: sent.contentType === null ? {} : { 'content-type': sent.contentType },
    ...(sent.payload !== undefined ? { payload: sent.payload } : {}),
    mutations: [...mutations, ...sent.mutations],
  };
}

function requestIdFor(rng: Rng, open: string | null, world: FuzzWorld, mutations: string[]): string {
  if (open && rng.chance(0.6)) return open;
  const [id, how] = rng.pick<[string, string]>([
    [open?.toUpperCase() ?? rng.uuid(), 'request id in capitals'], [world.closedRequests[0] ?? rng.uuid(), 'a closed request'],
    [rng.uuid(), 'an unknown request'], ['not-a-uuid', 'not a UUID'], ['%ff', 'bad escape'], ['a'.repeat(101), 'over 100 characters'],
    [encodeURIComponent(rng.pick(INJECTIONS)), 'injection'], ['..%2F..%2Fhealth', 'path traversal'], ['791028302728', 'an IIN'],
  ]);
  mutations.push(`request id: ${how}`);
  return id;
}

const PURPOSE_HEADERS = ['OVERSIGHT', 'P07', 'official-investigations', 'oversight'];

/** A GET of `endpoint`: valid parameters, mutated or not; per-subject reads also mutate the subject id and x-purpose. */
export function getRequest(rng: Rng, endpoint: (typeof GET_ENDPOINTS)[number], world: FuzzWorld): FuzzRequest {
  const q = validQuery(rng, endpoint, world);
  const mutations: string[] = [];
  const mutate = rng.chance(0.85);
  if (mutate && endpoint.startsWith('GET /v1/subjects/') && rng.chance(0.3)) {
    if (rng.chance(0.5)) {
      const [id, how] = rng.pick<[string, string]>([
        [rng.hex(64), 'an unknown subject'], [rng.hex(64).toUpperCase(), 'capitals'], [rng.hex(63), '63 characters'], [rng.hex(65), '65 characters'],
        [rng.pick(world.iins), 'an IIN'], ['%ff', 'bad escape'], ['a'.repeat(101), 'over 100 characters'], [encodeURIComponent(rng.pick(INJECTIONS)), 'injection'],
      ]);
      q.path = q.path.replace(/\/v1\/subjects\/[^/]+\//, `/v1/subjects/${id}/`);
      mutations.push(`subject id: ${how}`);
    } else if (rng.chance(0.3)) {
      delete q.headers['x-purpose'];
      mutations.push('no x-purpose');
    } else {
      const s = hostileString(rng, q.headers['x-purpose'] ?? 'OVERSIGHT');
      q.headers['x-purpose'] = headerValue(s.value);
      mutations.push(`${s.how} in x-purpose`);
    }
  } else if (mutate) {
    mutations.push(...mutateQuery(rng, q));
    if (mutations.length === 0) mutations.push('none applied');
  }
  return { endpoint, method: 'GET', url: queryUrl(q), headers: q.headers, mutations };
}

function subset(rng: Rng, params: [string, string][]): [string, string][] {
  return params.filter(() => rng.chance(0.4));
}

function validQuery(rng: Rng, endpoint: (typeof GET_ENDPOINTS)[number], world: FuzzWorld): QueryParts {
  const position: [string, string] = ['position', String(world.lastPosition)];
  const lang: [string, string] = ['lang', rng.pick(['kk', 'ru', 'en'])];
  const period: [string, string][] = [['from', instantIn(rng, START, Date.UTC(2026, 5, 1))], ['to', instantIn(rng, Date.UTC(2026, 5, 1), END)]];
  const days: [string, string][] = [['from', dayIn(rng, START, Date.UTC(2026, 5, 1))], ['to', dayIn(rng, Date.UTC(2026, 5, 1), END)]];
  const filters: [string, string][] = [
    ['operation', rng.pick(OPERATIONS)], ['category', String(rng.pick([1, 2, 13, 28, 'medical-results']))], ['purpose', rng.pick(['P01', 'P07', 'service-documents'])],
    ...period, ['limit', String(rng.between(1, 500))],
  ];
  const q = (path: string, params: [string, string][], headers: Record<string, string> = {}): QueryParts => ({ path, params, raw: [], headers });
  const subject = (view: string, params: [string, string][]) =>
    q(`/v1/subjects/${rng.pick(world.recorded)}/${view}`, params, { 'x-purpose': rng.pick(PURPOSE_HEADERS) });
  switch (endpoint) {
    case 'GET /v1/subjects/{id}/history':
      return subject('history', [...subset(rng, [...filters, lang, ['actor', 'hr-17'], ['unit', 'personnel-management'], ['system', EMITTER_SYSTEM], ['violations', rng.pick(['true', 'false'])]]), position]);
    case 'GET /v1/subjects/{id}/inventory': return subject('inventory', [...subset(rng, [lang]), position]);
    case 'GET /v1/subjects/{id}/events': return subject('events', subset(rng, filters));
    case 'GET /v1/subjects/{id}/access-report':
      return subject('access-report', subset(rng, [lang, ['format', rng.chance(0.03) ? 'pdf' : rng.pick(['json', 'html'])]]));
    case 'GET /v1/reports/violations':
      return q('/v1/reports/violations', subset(rng, [['code', 'no-register-in-force'], ['unit', 'personnel-management'], ['system', EMITTER_SYSTEM], ['actor', 'hr-17'], ...period, ['limit', '50'], position]));
    case 'GET /v1/reports/summary': {
      const groupBy = SUMMARY_GROUP_KEYS.filter(() => rng.chance(0.3)).join(',');
      return q('/v1/reports/summary', [...(rng.chance(0.5) ? days : period), ...subset(rng, [['groupBy', groupBy], ['format', rng.pick(['json', 'csv'])], lang, position])]);
    }
    case 'GET /v1/reports/transfers':
      return q('/v1/reports/transfers', [...(rng.chance(0.5) ? days : period), ...subset(rng, [['crossBorder', rng.pick(['true', 'false'])], ['country', rng.pick(['KZ', 'de'])], ['recipient', 'Unified accumulative pension fund'], ['limit', '20'], lang, position])]);
    case 'GET /v1/reports/actor-activity':
      return q('/v1/reports/actor-activity', [...days, ...subset(rng, [['unit', 'personnel-management'], ['actor', 'hr-17'], lang, position])]);
    case 'GET /v1/subject-requests': {
      const status = rng.pick(['open', 'answered', 'refused', 'closed']);
      return q('/v1/subject-requests', [['status', status], ...subset(rng, [...(status === 'open' ? [['due', rng.pick(['today', 'overdue'])] as [string, string]] : []), ['limit', '10'], position])]);
    }
    case 'GET /v1/register/current': return q('/v1/register/current', subset(rng, [['at', instantIn(rng)]]));
  }
}
