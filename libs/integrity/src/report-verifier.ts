import type { KeyObject } from 'node:crypto';
import { chainHash, eventLeafHash, type CanonicalEvent } from './canonical-event';
import { verifyInclusion } from './merkle';
import { requestRowDifference, rowDifference, rowListsOf, rowTypesOf, unknownRowMember, type RowList } from './report-rows';
import { reportSignatureFailure } from './report-signature';
import { keyIdOf, verifyTreeHead, type SignedTreeHead } from './tree-head';

export type ReportFailure =
  | 'malformed'
  | 'no-integrity'
  | 'unknown-key'
  | 'bad-signature'
  | 'unsigned'
  | 'stored-form-mismatch'
  | 'chain-hash-mismatch'
  | 'chain-break'
  | 'row-without-event'
  | 'row-mismatch'
  | 'event-without-row'
  | 'inclusion-failed'
  | 'not-own-read';

export interface ReportSummary {
  readonly subjectId: string;
  /** Chain entries: from the subject's first event to the last one the report covers. */
  readonly chainLength: number;
  readonly shown: number;
  readonly withheld: number;
  /** Rows of `events`. */
  readonly rows: number;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly keyId: string;
  readonly timestamp: string;
  readonly lastEventId: string;
  readonly lastPosition: number;
  /**
   * The instant up to which the report is shown complete: its `generatedAt`, when the chain ends with the report's own
   * read recorded then (schema version 3 and later). Null for a report of version 2, which cannot show that its last entry is
   * the subject's newest (VERIFY-REPORT.md, "What the checks cannot tell", on reports of version 2).
   */
  readonly completeAsOf: string | null;
  /**
   * Shown events before a withheld entry that carry no inclusion proof of their own: only in a report made before
   * schema version 5. Nothing offline binds them (a withheld entry's link cannot be recomputed): whoever held the
   * report could have altered them (VERIFY-REPORT.md). 0 for a report of version 5, which must prove each.
   */
  readonly unprovedBeforeWithheld: number;
  /**
   * Whether the ledger signed the whole report (from schema version 6; a replica that holds no signing key leaves its
   * reports unsigned, `signature: null`). False before version 6. Unsigned, its withheld claims and what no hash binds
   * are not the ledger's signed word: `derbes verify-report` says so, and refuses it with --require-complete.
   */
  readonly signed: boolean;
}

export type ReportVerdict =
  | { readonly ok: true; readonly summary: ReportSummary }
  | { readonly ok: false; readonly code: ReportFailure; readonly reason: string };

const HEX64 = /^[0-9a-f]{64}$/;

class Failure extends Error {
  constructor(readonly code: ReportFailure, reason: string) {
    super(reason);
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

function object(v: unknown, path: string): Json {
  if (!isObject(v)) throw new Failure('malformed', `${path} is not an object`);
  return v;
}
function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new Failure('malformed', `${path} is not an array`);
  return v;
}
function string(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new Failure('malformed', `${path} is not a string`);
  return v;
}
function count(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new Failure('malformed', `${path} is not a whole number`);
  return v;
}
function hex64(v: unknown, path: string): string {
  if (typeof v !== 'string' || !HEX64.test(v)) throw new Failure('malformed', `${path} is not 64 lowercase hex digits`);
  return v;
}

interface Entry {
  readonly index: number;
  readonly eventId: string;
  readonly type: string;
  readonly position: number;
  readonly chainHash: string;
  readonly withheld: boolean;
  readonly event: CanonicalEvent | null;
  /** The lists of the report with a row that names it. */
  readonly rows: Set<RowList>;
}

/**
 * Checks a subject's access report (the JSON of schema `derbes/access-report` version 2 to 6) offline, as
 * libs/integrity/VERIFY-REPORT.md describes: the tree head's signature with one of `publicKeys` (obtained apart from
 * the report: never from it), each shown event's chain hash recomputed from its stored form, the chain's links, every
 * row matched to a shown event and every shown event to its rows, each row's fields against its event's stored data
 * (report-rows.ts), the last event's leaf hash and inclusion proof against the head, and (version 3 and later) that the last
 * event is the report's own read, recorded at its `generatedAt`: then no event recorded before the report was made is
 * missing. A report of version 2 is checked up to its last entry only. Names the first failure.
 */
/** How verifyReport treats a version 6 report that carries no signature (`signature: null`). */
export interface VerifyReportOptions {
  /**
   * Check such a report by its hashes alone, as one before version 6, `summary.signed` false. A replica that holds no
   * signing key makes such reports, and so does anyone who strips a signature off: by default it fails (`unsigned`).
   */
  readonly acceptUnsigned?: boolean;
}

export function verifyReport(report: unknown, publicKeys: readonly (KeyObject | string)[], options: VerifyReportOptions = {}): ReportVerdict {
  try {
    return { ok: true, summary: check(report, publicKeys, options) };
  } catch (error) {
    if (error instanceof Failure) return { ok: false, code: error.code, reason: error.message };
    throw error;
  }
}

function check(input: unknown, publicKeys: readonly (KeyObject | string)[], options: VerifyReportOptions): ReportSummary {
  const report = object(input, 'the report');
  // 4 differs from 3 only in the categories section's rule for a category collected again after its destruction,
  // which step 8 (checkReportSummary) applies: the chain and its proofs are checked alike.
  // 5 adds each shown event's own inclusion proof before a withheld entry (step 5b), which 2 to 4 did not carry.
  // 6 gives each violation's reasons with the category they concern (step 4), where 2 to 5 gave its codes, and is
  // signed as a whole by the ledger (step 1b): what no hash binds (holder, rows, withheld claims) is then signed.
  // 6 also shows a category only the ledger's own records of the subject's requests name as held: null, not true,
  // which step 8 (checkReportSummary) applies by version.
  // 6 also names the unit, role and system codes of its rows (`names`): words from the holder's names file, which no
  // event records and this verifier does not hold, so nothing here can check them; the whole-report signature binds
  // them, and each row's codes, which step 4 checks, stay beside them.
  if (report.schema !== 'derbes/access-report' || ![2, 3, 4, 5, 6].includes(report.schemaVersion as number)) {
    throw new Failure('malformed', `not an access report of schema derbes/access-report version 2 to 6 (schema ${String(report.schema)}, version ${String(report.schemaVersion)})`);
  }
  const ownRead = report.schemaVersion !== 2;
  // Version 5 also shows each request's deadline coverage, which step 5 then checks.
  const provesBeforeWithheld = (report.schemaVersion as number) >= 5;
  // 6 also: the report signed, row members and category slugs, and the masked IIN checked.
  const v6 = (report.schemaVersion as number) >= 6;
  const subjectId = string(object(report.subject, 'subject').subjectId, 'subject.subjectId');
  if (report.integrity === null || report.integrity === undefined) {
    throw new Failure('no-integrity', 'the report carries no integrity section: the ledger gave no proof when it was made');
  }
  const integrity = object(report.integrity, 'integrity');

  // 1. The head, with a key obtained apart from the report.
  const h = object(integrity.treeHead, 'integrity.treeHead');
  const head: SignedTreeHead = {
    treeSize: count(h.treeSize, 'integrity.treeHead.treeSize'), rootHash: hex64(h.rootHash, 'integrity.treeHead.rootHash'),
    timestamp: string(h.timestamp, 'integrity.treeHead.timestamp'), keyId: string(h.keyId, 'integrity.treeHead.keyId'),
    signature: string(h.signature, 'integrity.treeHead.signature'),
  };
  const key = publicKeys.find((k) => keyIdOf(k) === head.keyId);
  if (!key) throw new Failure('unknown-key', `the tree head is signed by key ${head.keyId}, which is not among the ${publicKeys.length} public key(s) given`);
  if (!verifyTreeHead(head, key)) throw new Failure('bad-signature', `the tree head's signature (size ${head.treeSize}, key ${head.keyId}) does not verify`);

  // 1b. From version 6, the whole report as the ledger signed it: a shown event passed off as withheld, a row, the
  // holder or a middle entry's created changed after signing all fail here (VERIFY-REPORT.md, step 1b).
  // A report of a replica that holds no key says so with `signature: null`, as one stripped of its signature would:
  // checked by its hashes alone, as one before version 6 is, only when the caller accepts that.
  const signed = v6 && !(report.signature === null && options.acceptUnsigned === true);
  if (signed) {
    const unsigned = reportSignatureFailure(report, publicKeys);
    if (unsigned) throw new Failure(unsigned.code, unsigned.reason);
  }

  // 2. Each entry, and each shown event's chain hash from its stored form.
  const streamId = `subject-${subjectId}`;
  const chain = array(integrity.chain, 'integrity.chain');
  if (chain.length === 0) throw new Failure('malformed', 'integrity.chain is empty');
  const entries: Entry[] = [];
  const byId = new Map<string, Entry>();
  let previous: Entry | undefined;
  let chained = false;
  for (const [i, raw] of chain.entries()) {
    const path = `integrity.chain[${i}]`;
    const e = object(raw, path);
    // A reader that takes any truthy value for withheld would hide an entry this verifier checks as shown.
    if (typeof e.withheld !== 'boolean') throw new Failure('malformed', `${path}.withheld is not true or false`);
    const entry: Entry = {
      index: i, eventId: string(e.eventId, `${path}.eventId`), type: string(e.type, `${path}.type`), position: count(e.position, `${path}.position`),
      chainHash: hex64(e.chainHash, `${path}.chainHash`), withheld: e.withheld === true, event: null, rows: new Set(),
    };
    const revision = count(e.revision, `${path}.revision`);
    const at = `chain entry ${i} (event ${entry.eventId})`;
    if (revision !== i) throw new Failure('chain-break', `${at} has revision ${revision}, expected ${i}: the chain misses an event`);
    if (previous && entry.position <= previous.position) throw new Failure('chain-break', `${at} is at position ${entry.position}, not after ${previous.position}`);
    if (byId.has(entry.eventId)) throw new Failure('chain-break', `${at} is listed twice`);
    if (entry.withheld) {
      if (e.event !== null) throw new Failure('malformed', `${at} is withheld but shows content`);
    } else {
      const event = storedEvent(e.event, `${path}.event`);
      if (event.id !== entry.eventId || event.type !== entry.type || event.revision !== revision || event.position !== entry.position || event.streamId !== streamId) {
        throw new Failure('stored-form-mismatch', `${at}: its stored form is not of this entry (id, type, revision, position, or stream ${streamId})`);
      }
      const link = has(event.metadata, 'previousHash') ? event.metadata.previousHash : undefined;
      if (link !== (has(e, 'previousHash') ? e.previousHash : undefined)) {
        throw new Failure('stored-form-mismatch', `${at}: previousHash differs from its stored form's metadata.previousHash`);
      }
      const recomputed = chainHash(event);
      if (recomputed !== entry.chainHash) {
        throw new Failure('chain-hash-mismatch', `${at}: its stored form hashes to ${recomputed}, not the chain hash ${entry.chainHash}: the event was altered`);
      }
      (entry as { event: CanonicalEvent | null }).event = event;
    }
    // 3. The link to the entry before (CANONICAL.md section 4): an unchained prefix, then null, then each hash.
    if (!has(e, 'previousHash')) {
      if (chained) throw new Failure('chain-break', `${at} has no previousHash after chained events`);
    } else {
      const link = e.previousHash;
      if (link !== null) hex64(link, `${path}.previousHash`);
      if (!chained && link !== null) throw new Failure('chain-break', `${at} is the first chained event but carries previousHash ${String(link)}`);
      if (chained && link !== previous!.chainHash) {
        throw new Failure('chain-break', `${at} links to ${String(link)}, not to the chain hash ${previous!.chainHash} of the entry before: an event is missing or altered`);
      }
      chained = true;
    }
    entries.push(entry);
    byId.set(entry.eventId, entry);
    previous = entry;
  }

  // 4. Rows and events, both ways, and what each row shows against what its event records.
  const rowOf = (id: unknown, path: string, list: RowList): Entry => {
    const eventId = string(id, path);
    const entry = byId.get(eventId);
    if (!entry) throw new Failure('row-without-event', `${path}: event ${eventId} is not in the chain`);
    if (entry.withheld || !entry.event) throw new Failure('row-without-event', `${path}: event ${eventId} is listed as withheld`);
    if (!rowTypesOf(list).includes(entry.type)) throw new Failure('row-mismatch', `${path}: event ${eventId} is a ${entry.type}`);
    if (entry.rows.has(list)) throw new Failure('row-mismatch', `${path}: event ${eventId} is shown in two rows of ${list}`);
    entry.rows.add(list);
    return entry;
  };
  const rows = array(report.events, 'events');
  for (const list of ['events', 'transfers', 'violations'] as const) {
    for (const [i, raw] of array(report[list], list).entries()) {
      const row = object(raw, `${list}[${i}]`);
      if (v6) unknownMember(row, list, `${list}[${i}]`);
      const entry = rowOf(row.eventId, `${list}[${i}].eventId`, list);
      const differs = rowDifference(list, row, entry.type, entry.event!.data, v6);
      if (differs) {
        throw new Failure('row-mismatch', `${list}[${i}].${differs.field} shows ${differs.shown}, but event ${entry.eventId} records ${differs.recorded}`);
      }
    }
  }
  for (const [i, raw] of array(report.requests, 'requests').entries()) {
    const row = object(raw, `requests[${i}]`);
    if (v6) unknownMember(row, 'requests', `requests[${i}]`);
    const named = array(row.eventIds, `requests[${i}].eventIds`).map((id, j) => rowOf(id, `requests[${i}].eventIds[${j}]`, 'requests'));
    if (named.some((entry, j) => j > 0 && entry.index < named[j - 1]!.index)) {
      throw new Failure('row-mismatch', `requests[${i}].eventIds are not in the order of the chain`);
    }
    const differs = requestRowDifference(row, named.map((entry) => ({ type: entry.type, data: entry.event!.data })), provesBeforeWithheld);
    if (differs) {
      throw new Failure('row-mismatch', `requests[${i}].${differs.field} shows ${differs.shown}, but its events record ${differs.recorded}`);
    }
  }
  for (const entry of entries) {
    if (!entry.event) continue;
    const missing = rowListsOf(entry.type, entry.event.data).find((list) => !entry.rows.has(list));
    if (missing) {
      throw new Failure('event-without-row', `event ${entry.eventId} (${entry.type}, revision ${entry.index}) is in the chain but no row of ${missing} shows it`);
    }
  }

  // 4b. From version 6, the subject's masked IIN as the builder takes it: the last mask recorded, in chain order. A
  // withheld entry may have recorded a newer one, which the report may show and the verifier cannot see.
  if (v6) {
    let expected: string | null | undefined = null;
    for (const entry of entries) {
      if (entry.withheld) expected = undefined;
      else if (entry.type === 'ProcessingRecorded') expected = (entry.event!.data.subjectMask as string | null | undefined) ?? expected;
      else if (entry.type === 'SubjectRequestReceived') expected = (entry.event!.data.subjectMask as string | null | undefined) ?? null;
    }
    const shown = (report.subject as Json).maskedIin;
    if (expected !== undefined && shown !== expected) {
      throw new Failure('row-mismatch', `subject.maskedIin shows ${JSON.stringify(shown) ?? 'nothing'}, but the subject's events record ${JSON.stringify(expected)}`);
    }
  }

  // 5. The last event in the signed tree.
  const last = entries.at(-1)!;
  const inc = object(integrity.inclusion, 'integrity.inclusion');
  if (inc.eventId !== last.eventId) throw new Failure('inclusion-failed', `the inclusion proof is of event ${String(inc.eventId)}, not of the chain's last event ${last.eventId}`);
  if (!last.event) throw new Failure('inclusion-failed', `the chain's last event ${last.eventId} is withheld: its leaf cannot be recomputed`);
  const leafIndex = count(inc.leafIndex, 'integrity.inclusion.leafIndex');
  if (leafIndex !== last.position - 1) throw new Failure('inclusion-failed', `leaf index ${leafIndex} is not position ${last.position} - 1`);
  if (inc.treeSize !== head.treeSize) throw new Failure('inclusion-failed', `the proof is for a tree of ${String(inc.treeSize)}, the head's is ${head.treeSize}`);
  const leaf = eventLeafHash(last.event);
  if (inc.leafHash !== undefined && inc.leafHash !== leaf.toString('hex')) {
    throw new Failure('inclusion-failed', `the last event's stored form has leaf hash ${leaf.toString('hex')}, not ${String(inc.leafHash)}`);
  }
  const proof = array(inc.proof, 'integrity.inclusion.proof').map((p, i) => Buffer.from(hex64(p, `integrity.inclusion.proof[${i}]`), 'hex'));
  if (!verifyInclusion(leaf, leafIndex, head.treeSize, proof, Buffer.from(head.rootHash, 'hex'))) {
    throw new Failure('inclusion-failed', `the inclusion proof of event ${last.eventId} (leaf ${leafIndex}) does not lead to the head's root ${head.rootHash} at size ${head.treeSize}`);
  }

  // 5b. Each shown event before the last withheld entry, proven in the same tree: a withheld entry's link to the entry
  // before it cannot be recomputed, so the chain alone does not bind what comes before it. A report made before
  // version 5 carries no such proofs: it is checked as it was then, and the events left bound by the chain alone
  // are counted (unprovedBeforeWithheld), for the verdict to say so.
  const root = Buffer.from(head.rootHash, 'hex');
  const lastWithheld = entries.reduce((at, e) => (e.withheld ? e.index : at), -1);
  let unprovedBeforeWithheld = 0;
  for (const entry of entries.slice(0, Math.max(lastWithheld, 0))) {
    if (entry.withheld) continue;
    const raw = object(chain[entry.index], `integrity.chain[${entry.index}]`);
    const at = `chain entry ${entry.index} (event ${entry.eventId}), before the withheld entry ${lastWithheld}`;
    if (!has(raw, 'inclusion') && !provesBeforeWithheld) {
      unprovedBeforeWithheld++;
      continue;
    }
    if (!has(raw, 'inclusion')) throw new Failure('inclusion-failed', `${at} carries no inclusion proof of its own`);
    const own = object(raw.inclusion, `integrity.chain[${entry.index}].inclusion`);
    const index = count(own.leafIndex, `integrity.chain[${entry.index}].inclusion.leafIndex`);
    if (index !== entry.position - 1) throw new Failure('inclusion-failed', `${at}: leaf index ${index} is not position ${entry.position} - 1`);
    const path = array(own.proof, `integrity.chain[${entry.index}].inclusion.proof`).map((p, j) => Buffer.from(hex64(p, `integrity.chain[${entry.index}].inclusion.proof[${j}]`), 'hex'));
    if (!verifyInclusion(eventLeafHash(entry.event!), index, head.treeSize, path, root)) {
      throw new Failure('inclusion-failed', `${at}: its stored form is not the event at position ${entry.position} of the head's tree (size ${head.treeSize}): the event was altered`);
    }
  }

  // 6. The last event is the report's own read, recorded when it was made: every event before it is in the chain.
  let completeAsOf: string | null = null;
  if (ownRead) {
    const readEventId = string(integrity.readEventId, 'integrity.readEventId');
    const generatedAt = string(report.generatedAt, 'generatedAt');
    if (readEventId !== last.eventId) {
      throw new Failure('not-own-read', `the chain ends with event ${last.eventId}, not with the report's own read ${readEventId}: entries after it are missing`);
    }
    if (last.type !== 'SubjectFileRead' || last.event!.data.occurredAt !== generatedAt) {
      throw new Failure('not-own-read', `the chain's last event ${last.eventId} is not a read of the file recorded at the report's generatedAt ${generatedAt}`);
    }
    completeAsOf = generatedAt;
  }
  const withheld = entries.filter((e) => e.withheld).length;
  return {
    subjectId, chainLength: entries.length, shown: entries.length - withheld, withheld, rows: rows.length, treeSize: head.treeSize,
    rootHash: head.rootHash, keyId: head.keyId, timestamp: head.timestamp, lastEventId: last.eventId, lastPosition: last.position, completeAsOf, unprovedBeforeWithheld, signed,
  };
}

function unknownMember(row: Json, list: RowList, path: string): void {
  const extra = unknownRowMember(list, row);
  if (extra) throw new Failure('malformed', `${path}.${extra} is not a member of a ${list} row (the schema allows no other)`);
}

function storedEvent(v: unknown, path: string): CanonicalEvent {
  const e = object(v, path);
  return {
    id: string(e.id, `${path}.id`), type: string(e.type, `${path}.type`), streamId: string(e.streamId, `${path}.streamId`),
    revision: count(e.revision, `${path}.revision`), position: count(e.position, `${path}.position`),
    data: object(e.data, `${path}.data`) as CanonicalEvent['data'], metadata: object(e.metadata, `${path}.metadata`) as CanonicalEvent['metadata'],
    created: string(e.created, `${path}.created`),
  };
}
