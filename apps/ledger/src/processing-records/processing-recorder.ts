import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DuplicateEventIdError,
  EVENT_STORE,
  NO_STREAM,
  WrongExpectedVersionError,
  type AppendOperation,
  type AppendResult,
  type EventStore,
  type RecordedEvent,
} from '@derbes/event-store';
import {
  PROCESSING_RECORDED_SCHEMA_VERSION,
  decide,
  evolve,
  HmacSha256,
  recordFingerprint,
  sameRecord,
  SubjectPseudonymizer,
  subjectStreamId,
  upcastSubjectEvent,
  type EventMetadata,
  type ProcessingRecordedData,
  type RecordProcessing,
  type Violation,
} from '@derbes/ledger';
import { RegisterCatalog } from '@derbes/register';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { SubjectSealer, hasTextToSeal } from '../data-keys/subject-sealer';
import { LedgerError } from '../ledger-errors';
import { linkEvents } from '../subjects/chain-links';
import { DecidedOnFailedAppendError, SubjectStateCache, awaitStored, pendingAppend, type LoadedSubject } from './subject-state.cache';

/** What the ledger answers for one record. */
export interface RecordOutcome {
  readonly recordId: string;
  /** created: appended now; duplicate: the recordId was already recorded with the same content. */
  readonly status: 'created' | 'duplicate';
  readonly subjectId: string;
  readonly eventId: string;
  readonly streamRevision: number;
  readonly position: number;
  readonly recordedAt: string;
  readonly violations: readonly Violation[];
}

const MAX_ATTEMPTS = 5;

/**
 * Load -> decide -> append for a batch of records (one record is a batch of one). A batch is one append: all of it
 * is stored or none. A concurrent writer makes the append fail on its expected revision; the batch is then decided
 * again on fresh state, a bounded number of times, so that no record is lost or doubled.
 */
@Injectable()
export class ProcessingRecorder {
  private readonly logger = new Logger('recorder');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly cache: SubjectStateCache,
    private readonly catalog: RegisterCatalog,
    private readonly clock: Clock,
    private readonly sealer: SubjectSealer,
    pseudonymizer: SubjectPseudonymizer,
  ) {
    this.fingerprintKey = new HmacSha256(pseudonymizer.derivedKey('record fingerprints v1'));
  }

  /** Keys the stored fingerprints of records (recordFingerprint says why). */
  private readonly fingerprintKey: HmacSha256;

  /** `batch`: the records came as a batch, so that errors name their index (even in a batch of one). */
  async record(commands: readonly RecordProcessing[], correlationId: string, batch: boolean): Promise<RecordOutcome[]> {
    const hashes = commands.map((c) => recordFingerprint(c, this.fingerprintKey));
    const firstIndex = sameRecordIndexes(commands, hashes);
    // Records found already stored, by index. Looked up only after the store refused a repeated id: the unique
    // index on event ids is the check, so a record seen for the first time costs no extra read.
    const stored = new Map<number, RecordOutcome>();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.write(commands, hashes, firstIndex, stored, correlationId);
      } catch (error) {
        if (error instanceof DuplicateEventIdError) {
          await this.findStored(commands, firstIndex, stored, batch);
        } else if (!(error instanceof WrongExpectedVersionError) && !(error instanceof DecidedOnFailedAppendError)) {
          throw error;
        }
        if (attempt >= MAX_ATTEMPTS) {
          this.logger.warn(`gave up after ${attempt} concurrent-write conflicts`);
          throw new LedgerError('concurrency_exhausted', 'too many concurrent writes to the same subjects; nothing was recorded, retry with the same recordIds');
        }
      }
    }
  }

  /** Marks the records whose recordId is stored: the same content is a duplicate, another content a conflict. */
  private async findStored(
    commands: readonly RecordProcessing[],
    firstIndex: readonly number[],
    stored: Map<number, RecordOutcome>,
    batch: boolean,
  ): Promise<void> {
    for (let i = 0; i < commands.length; i++) {
      if (firstIndex[i] !== i || stored.has(i)) continue;
      const command = commands[i] as RecordProcessing;
      const event = await this.store.readEventById(command.recordId);
      if (!event) continue;
      if (!sameRecord(event.metadata.requestHash, command, this.fingerprintKey)) throw recordIdConflict(command.recordId, batch ? i : undefined);
      stored.set(i, outcomeOf(event, 'duplicate'));
    }
  }

  /** Decides every record not yet stored on its subject's current state and appends them all in one append. */
  private async write(
    commands: readonly RecordProcessing[],
    hashes: readonly string[],
    firstIndex: readonly number[],
    stored: ReadonlyMap<number, RecordOutcome>,
    correlationId: string,
  ): Promise<RecordOutcome[]> {
    const toWrite: number[] = [];
    for (let i = 0; i < commands.length; i++) if (firstIndex[i] === i && !stored.has(i)) toWrite.push(i);
    // A batch is stored at once, so its records are judged in the order they happened, not the order of the array:
    // a block dated before an access is known when the access is judged, wherever each stands in the batch.
    inOccurrenceOrder(toWrite, commands);

    // Load first (this awaits), then decide and publish the new states with no await in between: a request that
    // runs meanwhile on the same subjects decides on top of these records and appends once they are stored, so
    // in-process writers never conflict. If this append fails, its states are forgotten and the other decides again:
    // its expected revision alone would not catch it when another process's events filled the same revisions.
    // The data keys too: sealing happens between deciding and appending, where nothing may await. They are asked
    // for all at once, so that the keys of a batch's new subjects are created in one transaction.
    const loaded = new Map<string, LoadedSubject>();
    const sealing = new Set<string>();
    for (const i of toWrite) {
      const command = commands[i] as RecordProcessing;
      const streamId = subjectStreamId(command.subjectId);
      if (!loaded.has(streamId)) loaded.set(streamId, await this.cache.load(streamId));
      if (hasTextToSeal(command)) sealing.add(command.subjectId);
    }
    const keys = new Map(await Promise.all([...sealing].map(async (id) => [id, await this.sealer.keyToSeal(id, true)] as const)));
    const recordedAt = this.clock.now().toISOString();
    const subjects = new Map<string, LoadedSubject>();
    // The states decided on, as they were before this request: some may be other requests' pending appends.
    const bases = new Map<string, LoadedSubject>();
    const operations: AppendOperation[] = [];
    for (const i of toWrite) {
      const command = commands[i] as RecordProcessing;
      const streamId = subjectStreamId(command.subjectId);
      const subject = subjects.get(streamId) ?? this.cache.peek(streamId) ?? (loaded.get(streamId) as LoadedSubject);
      if (!bases.has(streamId)) bases.set(streamId, subject);
      const register = this.catalog.inForce(this.config.owner, new Date(command.occurredAt));
      const events = decide(command, subject.state, { register, adequateCountries: this.config.adequateCountries });
      // The hash is of the plain record (recordHash says why); what is stored is sealed after deciding, so the
      // decider stays pure and the state never holds a sealed text.
      const metadata: EventMetadata = { schemaVersion: PROCESSING_RECORDED_SCHEMA_VERSION, recordedAt, correlationId, requestHash: hashes[i] as string };
      const key = keys.get(command.subjectId) ?? null;
      const linked = linkEvents(streamId, subject.revision + 1, subject.lastHash,
        events.map((e) => ({ id: e.data.recordId, type: e.type, data: this.sealer.seal(key, e).data as never, metadata: metadata as never })));
      operations.push({ streamId, expectedRevision: subject.revision < 0 ? NO_STREAM : subject.revision, events: linked.events });
      subjects.set(streamId, { revision: subject.revision + events.length, state: events.reduce(evolve, subject.state), lastHash: linked.lastHash });
    }
    const append = pendingAppend();
    for (const [streamId, subject] of subjects) this.cache.remember(streamId, { ...subject, stored: append.stored });

    const outcomes = new Map(stored);
    if (operations.length > 0) {
      let results: AppendResult[];
      try {
        await awaitStored(bases.values());
        results = operations.length === 1
          ? [await this.store.appendToStream(operations[0]!.streamId, operations[0]!.events, operations[0]!.expectedRevision)]
          : await this.store.appendMany(operations);
        append.settle(true);
      } catch (error) {
        for (const streamId of subjects.keys()) this.cache.forget(streamId);
        append.settle(false);
        throw error;
      }
      toWrite.forEach((i, k) => {
        const appended = results[k]!.events[0]!;
        const data = operations[k]!.events[0]!.data as unknown as ProcessingRecordedData;
        outcomes.set(i, {
          recordId: data.recordId, status: 'created', subjectId: data.subjectId, eventId: appended.id,
          streamRevision: appended.revision, position: appended.position, recordedAt, violations: data.violations,
        });
      });
    }
    // A record repeated inside the batch answers like its first occurrence, as a duplicate.
    return commands.map((_, i) => {
      const first = outcomes.get(firstIndex[i] as number) as RecordOutcome;
      return firstIndex[i] === i ? first : { ...first, status: 'duplicate' };
    });
  }
}

/**
 * Sorts the indexes by their records' occurredAt to the precision sent (past the millisecond the ledger keeps: an
 * access 0.8 ms after a destruction is judged after it), and those of the same instant by their place in the batch.
 */
function inOccurrenceOrder(indexes: number[], commands: readonly RecordProcessing[]): void {
  if (indexes.length < 2) return;
  // Two arrays, not one number: milliseconds since 1970 times a million are past what a double holds exactly.
  const at = new Float64Array(commands.length);
  const nanos = new Float64Array(commands.length);
  let ordered = true;
  for (let k = 0; k < indexes.length; k++) {
    const i = indexes[k] as number;
    const command = commands[i] as RecordProcessing;
    at[i] = Date.parse(command.occurredAt);
    nanos[i] = command.occurredAtSubMillisecond ?? 0;
    if (k > 0) {
      const j = indexes[k - 1] as number;
      if (at[i]! < at[j]! || (at[i] === at[j] && nanos[i]! < nanos[j]!)) ordered = false;
    }
  }
  // Most batches come in the order things happened: then there is nothing to sort.
  if (!ordered) indexes.sort((a, b) => at[a]! - at[b]! || nanos[a]! - nanos[b]! || a - b);
}

/** For each record, the index of the first record in the batch with its recordId; a differing repeat is a 409. */
function sameRecordIndexes(commands: readonly RecordProcessing[], hashes: readonly string[]): number[] {
  const seen = new Map<string, number>();
  return commands.map((command, i) => {
    const first = seen.get(command.recordId);
    if (first === undefined) {
      seen.set(command.recordId, i);
      return i;
    }
    if (hashes[first] !== hashes[i]) throw recordIdConflict(command.recordId, i, first);
    return first;
  });
}

function recordIdConflict(recordId: string, index?: number, firstIndex?: number): LedgerError {
  const where = index === undefined ? '' : `records[${index}].`;
  const reason = firstIndex === undefined
    ? 'was already recorded with a different body'
    : `repeats records[${firstIndex}].recordId with a different body`;
  return new LedgerError('record_id_conflict', `recordId ${recordId} ${reason}`, [
    { field: `${where}recordId`, reason, ...(index === undefined ? {} : { index }) },
  ]);
}

function outcomeOf(stored: RecordedEvent, status: RecordOutcome['status']): RecordOutcome {
  // In the current shape: a record stored by an earlier version answers a repeat as a new one would.
  const data = (upcastSubjectEvent(stored.type, stored.data, stored.metadata)?.data ?? stored.data) as unknown as ProcessingRecordedData;
  return {
    recordId: data.recordId, status, subjectId: data.subjectId, eventId: stored.id, streamRevision: stored.revision,
    position: stored.position, recordedAt: String(stored.metadata.recordedAt), violations: data.violations,
  };
}
