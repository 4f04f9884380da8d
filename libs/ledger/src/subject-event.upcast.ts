import {
  PROCESSING_RECORDED,
  PROCESSING_RECORDED_SCHEMA_VERSION,
  SUBJECT_DATA_KEY_DESTROYED,
  SUBJECT_DATA_KEY_DESTROYED_SCHEMA_VERSION,
  SUBJECT_FILE_READ,
  SUBJECT_FILE_READ_SCHEMA_VERSION,
  type SubjectEvent,
} from './processing-record.events';
import {
  SUBJECT_REQUEST_ANSWERED,
  SUBJECT_REQUEST_RECEIVED,
  SUBJECT_REQUEST_REFUSED,
  SUBJECT_REQUEST_RETIMED,
  SUBJECT_REQUEST_SCHEMA_VERSIONS,
} from './subject-requests/subject-request.events';

/**
 * Reads a stored event of a subject's stream into the current shape. Stored events are never rewritten: when a
 * shape changes, the new schema version gets an upcaster here from the version before it.
 */
type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * Sealing kept the shape: a sealed text is still a string, recognised by SEALED_TEXT_PREFIX, and a text of an
 * earlier version stays plain. Such a step leaves the data as it is.
 */
const sameShape: Upcaster = (data) => data;

/** UPCASTERS[type][v] turns version v into version v + 1. */
const UPCASTERS: Record<string, Record<number, Upcaster>> = {
  [PROCESSING_RECORDED]: {
    // v2 added the embargo, the subject's masked IIN and the request a record carries out: none in v1.
    1: (data) => ({ ...data, embargoUntil: null, subjectMask: null, requestId: null }),
    // v3 sealed the texts and added recipient.kind, whose absence means an organization.
    2: sameShape,
    // v4 added the source system's number of the record: none was sent before.
    3: (data) => ({ ...data, sourceSequence: null }),
    // v5 gave the state violations their `since`, which v4 wrote only at the end of `detail`.
    4: (data) => (Array.isArray(data.violations) && data.violations.some(lacksSince) ? { ...data, violations: data.violations.map(withSince) } : data),
  },
  [SUBJECT_FILE_READ]: {},
  // v3 recorded where the deadline's working days started: before, the code counted every one from the day after
  // receipt (a fact of how those deadlines were computed, not a reading of the law).
  [SUBJECT_REQUEST_RECEIVED]: { 1: sameShape, 2: (data) => ({ ...data, deadline: countedAfterReceipt(data.deadline) }) },
  [SUBJECT_REQUEST_ANSWERED]: { 1: sameShape },
  [SUBJECT_REQUEST_REFUSED]: { 1: sameShape },
  // v2, as received v3: both deadlines of a v1 re-timing were counted from the day after receipt.
  [SUBJECT_REQUEST_RETIMED]: { 1: (data) => ({ ...data, previous: countedAfterReceipt(data.previous), deadline: countedAfterReceipt(data.deadline) }) },
  [SUBJECT_DATA_KEY_DESTROYED]: {},
};
const CURRENT_VERSION: Record<string, number> = {
  [PROCESSING_RECORDED]: PROCESSING_RECORDED_SCHEMA_VERSION,
  [SUBJECT_FILE_READ]: SUBJECT_FILE_READ_SCHEMA_VERSION,
  ...SUBJECT_REQUEST_SCHEMA_VERSIONS,
  [SUBJECT_DATA_KEY_DESTROYED]: SUBJECT_DATA_KEY_DESTROYED_SCHEMA_VERSION,
};

function countedAfterReceipt(deadline: unknown): unknown {
  return typeof deadline === 'object' && deadline !== null ? { ...deadline, firstDay: 'after-receipt' } : deadline;
}

/** How compliance-rules.ts ended the detail of each state violation before v5: `..., destroyed at <time>`. */
const SINCE_IN_DETAIL: Readonly<Record<string, RegExp>> = {
  'category-destroyed': /, destroyed at (\S+)$/,
  'category-depersonalized': /, depersonalized at (\S+)$/,
  'blocked-data-processed': /, blocked since (\S+)$/,
};

/** A state violation without its own `since` (read from its detail, so that most events are read without a copy). */
function lacksSince(violation: Record<string, unknown>): boolean {
  return SINCE_IN_DETAIL[violation.code as string] !== undefined && violation.since === undefined;
}

function withSince(violation: Record<string, unknown>): Record<string, unknown> {
  return lacksSince(violation) ? { ...violation, since: violationSince(violation) } : violation;
}

/**
 * When the state a stored violation of any version is about began (destroyed, depersonalized, blocked): its own
 * `since` (v5 on), else the end of its `detail` (v4 and before); null where neither gives it or the rule has none.
 * The upcaster and the offline report verifier read it alike.
 */
export function violationSince(violation: Readonly<Record<string, unknown>>): unknown {
  if (violation.since !== undefined) return violation.since;
  const pattern = SINCE_IN_DETAIL[violation.code as string];
  const found = pattern && typeof violation.detail === 'string' ? pattern.exec(violation.detail) : null;
  return found ? found[1] : null;
}

export class UnreadableEventError extends Error {
  override readonly name = 'UnreadableEventError';
}

/** The event in its current shape, or null for types this stream does not know (written by a later feature). */
export function upcastSubjectEvent(type: string, data: object, metadata: { schemaVersion?: unknown }): SubjectEvent | null {
  const current = CURRENT_VERSION[type];
  if (current === undefined) return null;
  const version = metadata.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new UnreadableEventError(`${type} without a valid schemaVersion`);
  }
  if (version > current) {
    throw new UnreadableEventError(`${type} v${version} is newer than this build reads (v${current})`);
  }
  let upgraded = data as Record<string, unknown>;
  for (let v = version; v < current; v++) {
    const step = UPCASTERS[type]?.[v];
    if (!step) throw new UnreadableEventError(`no upcaster for ${type} v${v}`);
    upgraded = step(upgraded);
  }
  return { type, data: upgraded } as unknown as SubjectEvent;
}
