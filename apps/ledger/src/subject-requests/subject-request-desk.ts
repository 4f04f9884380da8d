import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { stringifiedJsonBytes } from '@derbes/canonical-json';
import { DuplicateEventIdError, EVENT_STORE, type EventData, type EventStore } from '@derbes/event-store';
import {
  PROCESSING_RECORDED_SCHEMA_VERSION,
  RESERVED_UUID_REASON,
  SUBJECT_FILE_READ_SCHEMA_VERSION,
  SUBJECT_REQUEST_SCHEMA_VERSIONS,
  SUBJECT_RIGHTS_PURPOSE,
  HmacSha256,
  SubjectPseudonymizer,
  SubjectRequestError,
  WorkingDayCalendar,
  decideAnswer,
  keyedFingerprint,
  decideReceive,
  decideRefuse,
  decideRetime,
  isDerivedUuidVersion,
  localDate,
  maskIin,
  subjectStreamId,
  upcastSubjectEvent,
  type Actor,
  type CategoryRef,
  type DeadlineFirstDay,
  type RequestChannel,
  type RequestDeadline,
  type RequestKind,
  type SubjectEvent,
  type SubjectRequestReceivedData,
} from '@derbes/ledger';
import { RegisterCatalog } from '@derbes/register';
import type { AccessReport, ReportLanguage } from '@derbes/reports';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import type { DataKey } from '../data-keys/data-key-store';
import { SubjectSealer } from '../data-keys/subject-sealer';
import { KeyDestructions } from '../data-keys/key-destructions';
import { keyDestroyed, storedKeyDestroyed } from '../data-keys/subject-shredder';
import { LedgerError } from '../ledger-errors';
import { DecidedOnFailedAppendError, SubjectStateCache, awaitStored } from '../processing-records/subject-state.cache';
import { AccessReports, type BuiltReport } from '../subjects/access-reports';
import { afterRead } from '../subjects/read-recorded.error';
import { appendToSubject } from '../subjects/append-to-subject';

export interface NewSubjectRequest {
  readonly requestId: string | undefined;
  readonly iin: string;
  readonly kind: RequestKind;
  readonly channel: RequestChannel;
  readonly receivedAt: Date;
  readonly categories: readonly CategoryRef[];
  readonly detail: string | null;
}

/** What the API answers for a step of a request. */
export interface RequestOutcome {
  readonly requestId: string;
  readonly subjectId: string;
  readonly status: 'open' | 'answered' | 'refused';
  /** created: written now; duplicate: the same request was already received. */
  readonly result: 'created' | 'duplicate';
  readonly deadline: RequestDeadline | string;
  readonly late?: boolean;
  readonly workingDaysLate?: number;
  /** recordIds of the processing an answer carried out. */
  readonly records?: readonly string[];
  /** For an answered information request: the report given. */
  readonly report?: AccessReport;
  /** Global position of the last event written: pass as `position` to read it back from the queue. */
  readonly position: number;
}

/**
 * The official's desk for subjects' requests: receives them with their deadline on the working-day calendar,
 * answers (carrying out what the request asks, in the same append) or refuses them, and re-times open ones when
 * the calendar is corrected. Each step is load -> decide -> append on the subject's stream.
 */
@Injectable()
export class SubjectRequestDesk {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly cache: SubjectStateCache,
    private readonly catalog: RegisterCatalog,
    private readonly clock: Clock,
    private readonly calendar: WorkingDayCalendar,
    private readonly pseudonymizer: SubjectPseudonymizer,
    private readonly reports: AccessReports,
    private readonly sealer: SubjectSealer,
    private readonly destructions: KeyDestructions,
  ) {
    this.fingerprintKey = new HmacSha256(pseudonymizer.derivedKey('record fingerprints v1'));
  }

  /** Keys the stored fingerprints (libs/ledger request-hash.ts says why they are keyed). */
  private readonly fingerprintKey: HmacSha256;

  /**
   * The deadline of a request received at this instant with this many working days counted from `firstDay`, on the
   * current calendar.
   */
  deadlineFor(receivedAt: Date, workingDays: number, firstDay: DeadlineFirstDay): RequestDeadline {
    const { date, coverage } = this.calendar.deadline(localDate(receivedAt, this.config.utcOffsetMinutes), workingDays, firstDay);
    return {
      date, workingDays, firstDay, coverage,
      calendar: { id: this.calendar.id, version: String(this.calendar.version), fingerprint: this.calendar.fingerprint },
    };
  }

  async receive(input: NewSubjectRequest, registeredBy: Actor, correlationId: string): Promise<RequestOutcome> {
    // The API's DTO refuses such an id too; the console's form comes here directly.
    if (input.requestId !== undefined && isDerivedUuidVersion(input.requestId)) throw LedgerError.invalid([{ field: 'requestId', reason: RESERVED_UUID_REASON }]);
    const subjectId = this.pseudonymizer.subjectId(input.iin);
    const requestId = input.requestId ?? randomUUID();
    const data: SubjectRequestReceivedData = {
      requestId, subjectId, subjectMask: maskIin(input.iin), kind: input.kind, channel: input.channel,
      receivedAt: input.receivedAt.toISOString(), registeredBy, categories: input.categories, detail: input.detail,
      deadline: this.deadlineFor(input.receivedAt, this.config.requestDeadlines[input.kind], this.config.deadlineFirstDay),
    };
    const fingerprint = keyedFingerprint(receivedCanonical(data), this.fingerprintKey);
    const key = await this.sealer.keyToSeal(subjectId, data.detail !== null);
    for (let attempt = 1; ; attempt++) {
      try {
        const written = await this.write(subjectId, (state) => decideReceive(data, state), correlationId, fingerprint, key);
        return { requestId, subjectId, status: 'open', result: 'created', deadline: data.deadline, position: lastPosition(written) };
      } catch (error) {
        if (!(error instanceof DuplicateEventIdError) && !(error instanceof SubjectRequestError && error.code === 'request_exists')) throw error;
      }
      // The same request may be on its way in this process: its state says it exists before its append is stored.
      const settled = await this.settled(subjectId);
      const stored = await this.store.readEventById(requestId);
      if (!stored && !settled && attempt < 3) continue; // that append failed: this one may record the request
      if (stored && stored.type !== 'SubjectRequestReceived') {
        throw new LedgerError('request_exists', `requestId ${requestId} is the id of another event in the ledger: choose another`, [
          { field: 'requestId', reason: 'is already the id of another event' },
        ]);
      }
      if (!stored || !sameRequest(stored.metadata.requestHash, data, this.fingerprintKey)) {
        throw new LedgerError('request_exists', `requestId ${requestId} was already used for another request`, [
          { field: 'requestId', reason: 'was already used for another request' },
        ]);
      }
      // In the current shape: a request stored before v3 has no deadline.firstDay of its own.
      const earlier = (upcastSubjectEvent(stored.type, stored.data, stored.metadata)?.data ?? stored.data) as unknown as SubjectRequestReceivedData;
      // Where the request stands now: a repeat of one answered since must not read as open.
      const status = (await this.cache.load(subjectStreamId(subjectId))).state.requests.get(requestId)?.status ?? 'open';
      return { requestId, subjectId, status, result: 'duplicate', deadline: earlier.deadline, position: stored.position };
    }
  }

  /** Waits for this process's pending append to the subject's stream, if any; false if it was not stored. */
  private async settled(subjectId: string): Promise<boolean> {
    const pending = this.cache.peek(subjectStreamId(subjectId));
    try {
      if (pending) await awaitStored([pending]);
      return true;
    } catch (error) {
      if (error instanceof DecidedOnFailedAppendError) return false;
      throw error;
    }
  }

  async answer(requestId: string, answeredBy: Actor, language: ReportLanguage, note: string | null, correlationId: string): Promise<RequestOutcome> {
    const subjectId = await this.subjectOf(requestId);
    const now = this.clock.now();
    const answeredAt = now.toISOString();
    const state = (await this.cache.load(`subject-${subjectId}`)).state;
    const kind = state.requests.get(requestId)?.kind;
    const context = {
      register: this.catalog.inForce(this.config.owner, now), adequateCountries: this.config.adequateCountries,
      lateness: (deadline: string, on: string) => this.calendar.workingDaysLate(deadline, on), answeredOn: localDate(now, this.config.utcOffsetMinutes),
    };
    // An information request is answered with the report as of now, and making it is itself a read of the file,
    // recorded first (AccessReports). A request that cannot be answered (closed meanwhile) is refused before that.
    let built: BuiltReport | null = null;
    if (kind === 'information') {
      try {
        decideAnswer({ requestId, subjectId, answeredAt, answeredBy, report: null, note }, state, context);
      } catch (error) {
        throw error instanceof SubjectRequestError ? toLedgerError(error) : error;
      }
      built = await this.reports.build(subjectId, language, {
        reader: { actor: answeredBy, purpose: { code: SUBJECT_RIGHTS_PURPOSE.code, slug: SUBJECT_RIGHTS_PURPOSE.slug } },
        view: `POST /v1/subject-requests/${requestId}/answer (access report, ${language})`, correlationId,
      });
    }
    const report = built?.report ?? null;
    const digest = report ? { language, sha256: createHash('sha256').update(stringifiedJsonBytes(report)).digest('hex') } : null;
    let key: DataKey | null = null; // fetched in carryOut
    // Destroying the data (Art. 18) destroys the subject's key too: recorded in the same append, just before the
    // answer, under the id its destruction was written down with, and carried out once the append has succeeded
    // (KeyDestructions). The key is the subject's, not a category's, so every sealed text of theirs goes, this
    // answer's note included: erring towards destruction.
    const append = (shredId: string | null) => this.write(subjectId, (current) => {
      const carriedOut = decideAnswer({ requestId, subjectId, answeredAt, answeredBy, report: digest, note }, current, context);
      const shredding = shredId !== null ? [keyDestroyed(subjectId, answeredAt, `destruction request ${requestId}`, answeredBy)] : [];
      return [...carriedOut.slice(0, -1), ...shredding, ...carriedOut.slice(-1)];
    }, correlationId, null, key, shredId).catch((error: unknown) => this.answerCollision(error, requestId));
    // The note's key may have to be made (a full disk refuses it): after the report's read, so inside afterRead too.
    const carryOut = async () => {
      key = await this.sealer.keyToSeal(subjectId, note !== null);
      return kind === 'destruction' ? this.destructions.carryOut(subjectId, now, append) : append(null);
    };
    // The report's read is recorded whatever becomes of the answer: a refused answer must say so.
    const written = built ? await afterRead(built.readId, `request ${requestId} was not answered`, carryOut, requestId) : await carryOut();
    const answered = written.events.at(-1);
    if (answered?.type !== 'SubjectRequestAnswered') throw new Error('an answer must end with SubjectRequestAnswered');
    return {
      requestId, subjectId, status: 'answered', result: 'created', deadline: answered.data.deadline, late: answered.data.late,
      workingDaysLate: answered.data.workingDaysLate, records: answered.data.records, ...(report ? { report } : {}),
      position: lastPosition(written),
    };
  }

  /**
   * The record that carries out a request has an id derived from the request's (derivedUuid), which the store refuses
   * when another event holds it: ours when another process answered meanwhile, else an event stored under that id
   * before clients' ids of its version were refused. Either way a 409 naming it, never a 500.
   */
  private async answerCollision(error: unknown, requestId: string): Promise<never> {
    if (!(error instanceof DuplicateEventIdError)) throw error;
    const stored = await this.store.readEventById(error.eventId);
    if (stored?.type === 'ProcessingRecorded' && stored.data.requestId === requestId) {
      throw new LedgerError('request_closed', `request ${requestId} was already answered`);
    }
    throw new LedgerError('event_id_conflict', `the record that carries out request ${requestId} would have id ${error.eventId}, which another event of the ledger already holds: nothing was written; refuse the request and register it again under a new requestId`, [
      { field: 'requestId', reason: `the id of the record that carries it out, ${error.eventId}, is already another event's` },
    ]);
  }

  async refuse(requestId: string, refusedBy: Actor, reasons: readonly string[], correlationId: string): Promise<RequestOutcome> {
    const subjectId = await this.subjectOf(requestId);
    const now = this.clock.now();
    // The reasons may name the person (an investigation, a court case): sealed like the request's detail.
    const key = await this.sealer.keyToSeal(subjectId, reasons.length > 0);
    const written = await this.write(subjectId, (state) => decideRefuse(
      { requestId, subjectId, refusedAt: now.toISOString(), refusedBy, reasons }, state,
      { lateness: (deadline, on) => this.calendar.workingDaysLate(deadline, on), refusedOn: localDate(now, this.config.utcOffsetMinutes) },
    ), correlationId, null, key);
    const refused = written.events[0];
    if (refused?.type !== 'SubjectRequestRefused') throw new Error('a refusal must be SubjectRequestRefused');
    return {
      requestId, subjectId, status: 'refused', result: 'created', deadline: refused.data.deadline, late: refused.data.late,
      workingDaysLate: refused.data.workingDaysLate, position: lastPosition(written),
    };
  }

  /**
   * Moves an open request's deadline to what the current calendar gives, with the length and the first day it was
   * received with (a later setting applies to later requests only); false when it does not move.
   */
  async retime(
    requestId: string, subjectId: string, receivedAt: string, workingDays: number, firstDay: DeadlineFirstDay, reason: string, correlationId: string,
  ): Promise<boolean> {
    const deadline = this.deadlineFor(new Date(receivedAt), workingDays, firstDay);
    const retimedAt = this.clock.now().toISOString();
    const written = await appendToSubject(this.store, this.cache, subjectId,
      (state) => decideRetime(requestId, subjectId, deadline, retimedAt, reason, state), (e) => this.stored(e, correlationId, null, null, null));
    return written !== null;
  }

  private async subjectOf(requestId: string): Promise<string> {
    const stored = await this.store.readEventById(requestId);
    if (stored?.type !== 'SubjectRequestReceived') throw new LedgerError('request_not_found', `no subject request ${requestId}`);
    return (stored.data as unknown as SubjectRequestReceivedData).subjectId;
  }

  private async write(
    subjectId: string, decide: Parameters<typeof appendToSubject>[3], correlationId: string, fingerprint: string | null = null,
    key: DataKey | null = null, shredId: string | null = null,
  ) {
    try {
      const written = await appendToSubject(this.store, this.cache, subjectId, decide, (e) => this.stored(e, correlationId, fingerprint, key, shredId));
      if (!written) throw new Error('a request step must write an event');
      return written;
    } catch (error) {
      if (error instanceof SubjectRequestError && error.code !== 'request_exists') throw toLedgerError(error);
      throw error;
    }
  }

  /** The event as appended: its texts sealed with `key` (fetched before deciding), hashes taken over the plain text. */
  private stored(event: SubjectEvent, correlationId: string, fingerprint: string | null, key: DataKey | null, shredId: string | null): EventData {
    const recordedAt = this.clock.now().toISOString();
    const data = this.sealer.seal(key, event).data as never;
    switch (event.type) {
      case 'ProcessingRecorded':
        return { id: event.data.recordId, type: event.type, data, metadata: {
          schemaVersion: PROCESSING_RECORDED_SCHEMA_VERSION, recordedAt, correlationId,
          requestHash: keyedFingerprint(JSON.stringify(event.data), this.fingerprintKey),
        } };
      case 'SubjectFileRead':
        return { id: event.data.readId, type: event.type, data, metadata: { schemaVersion: SUBJECT_FILE_READ_SCHEMA_VERSION, recordedAt, correlationId } };
      case 'SubjectDataKeyDestroyed':
        if (shredId === null) throw new Error('a key destruction must be written down before it is appended');
        return storedKeyDestroyed(event, shredId, recordedAt, correlationId);
      default: {
        const id = event.type === 'SubjectRequestReceived' ? event.data.requestId : randomUUID();
        return { id, type: event.type, data, metadata: {
          schemaVersion: SUBJECT_REQUEST_SCHEMA_VERSIONS[event.type], recordedAt, correlationId, ...(fingerprint ? { requestHash: fingerprint } : {}),
        } };
      }
    }
  }
}

/**
 * What makes a repeated POST the same request: everything but when and by whom it was typed in. Over the plain
 * detail, as recordHash is over the plain record, and for the same reasons (request-hash.ts).
 */
function receivedCanonical(d: SubjectRequestReceivedData): string {
  return JSON.stringify([d.requestId, d.subjectId, d.kind, d.channel, d.receivedAt, d.categories.map((c) => c.number), d.detail]);
}

/** Whether a stored fingerprint (keyed, or an unkeyed SHA-256 from before) is that of this request. */
function sameRequest(stored: unknown, d: SubjectRequestReceivedData, key: HmacSha256): boolean {
  if (typeof stored !== 'string') return false;
  const canonical = receivedCanonical(d);
  return stored.startsWith('hmac:') ? stored === keyedFingerprint(canonical, key) : stored === createHash('sha256').update(canonical, 'utf8').digest('hex');
}

function lastPosition(written: { result: { events: ReadonlyArray<{ position: number }> } }): number {
  return written.result.events.at(-1)?.position ?? 0;
}

function toLedgerError(error: SubjectRequestError): LedgerError {
  switch (error.code) {
    case 'request_not_found':
      return new LedgerError('request_not_found', error.message);
    case 'request_closed':
    case 'request_exists':
      return new LedgerError(error.code, error.message);
    case 'categories_required':
    case 'categories_not_allowed':
      return LedgerError.invalid([{ field: error.field ?? 'categories', reason: error.message }]);
    default: {
      const unknown: never = error.code;
      throw new Error(`unknown request error ${String(unknown)}`);
    }
  }
}
