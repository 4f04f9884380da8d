import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventData, type EventStore } from '@derbes/event-store';
import {
  PROCESSING_RECORDED,
  SUBJECT_DATA_KEY_DESTROYED,
  SUBJECT_DATA_KEY_DESTROYED_SCHEMA_VERSION,
  subjectStreamId,
  type Actor,
  type SubjectDataKeyDestroyed,
} from '@derbes/ledger';
import { Clock } from '../clock';
import { LedgerError } from '../ledger-errors';
import { SubjectStateCache } from '../processing-records/subject-state.cache';
import { appendToSubject } from '../subjects/append-to-subject';
import { KeyDestructions } from './key-destructions';
import { SubjectSealer } from './subject-sealer';

export interface ShredOutcome {
  readonly subjectId: string;
  readonly destroyedAt: string;
  /** The SubjectDataKeyDestroyed event. */
  readonly eventId: string;
  readonly position: number;
}

/** The event that records a destruction of the subject's data key. */
export function keyDestroyed(subjectId: string, destroyedAt: string, reason: string, by: Actor): SubjectDataKeyDestroyed {
  return { type: SUBJECT_DATA_KEY_DESTROYED, data: { subjectId, destroyedAt, reason, by } };
}

/** The event as appended, under the id its destruction was written down with (KeyDestructions). */
export function storedKeyDestroyed(event: SubjectDataKeyDestroyed, id: string, recordedAt: string, correlationId: string): EventData {
  return {
    id, type: event.type, data: event.data as never,
    metadata: { schemaVersion: SUBJECT_DATA_KEY_DESTROYED_SCHEMA_VERSION, recordedAt, correlationId },
  };
}

/**
 * Destroys a subject's data (Law 94-V, Art. 18) at the end of its storage period: records SubjectDataKeyDestroyed
 * in their stream, then destroys their key (KeyDestructions: a crash in between is finished at the next start).
 */
@Injectable()
export class SubjectShredder {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cache: SubjectStateCache,
    private readonly sealer: SubjectSealer,
    private readonly destructions: KeyDestructions,
    private readonly clock: Clock,
  ) {}

  /** Shreddings under way, by subject: one at a time per subject, so that a repeat sees the first one's event. */
  private readonly running = new Map<string, Promise<unknown>>();

  /**
   * Shreds once: asked again with no processing recorded since (no new key can have been made), it answers the
   * destruction already recorded, finishing the key's destruction if that had failed, and appends nothing.
   */
  async shred(subjectId: string, reason: string, by: Actor, correlationId: string): Promise<ShredOutcome> {
    const run = (this.running.get(subjectId) ?? Promise.resolve()).catch(() => undefined)
      .then(() => this.shredOnce(subjectId, reason, by, correlationId));
    this.running.set(subjectId, run);
    try {
      return await run;
    } finally {
      if (this.running.get(subjectId) === run) this.running.delete(subjectId);
    }
  }

  private async shredOnce(subjectId: string, reason: string, by: Actor, correlationId: string): Promise<ShredOutcome> {
    if ((await this.cache.load(subjectStreamId(subjectId))).revision < 0) {
      throw new LedgerError('subject_not_found', 'the ledger holds nothing about this subject');
    }
    const done = await this.shreddedSinceLastRecord(subjectId);
    if (done) {
      await this.sealer.destroy(subjectId, new Date(done.destroyedAt));
      return done;
    }
    const at = this.clock.now();
    const destroyedAt = at.toISOString();
    const written = await this.destructions.carryOut(subjectId, at, (eventId) => appendToSubject(this.store, this.cache, subjectId,
      () => [keyDestroyed(subjectId, destroyedAt, reason, by)],
      (event) => storedKeyDestroyed(event as SubjectDataKeyDestroyed, eventId, destroyedAt, correlationId)));
    const appended = written?.result.events[0];
    if (!appended) throw new Error('shredding must write SubjectDataKeyDestroyed');
    return { subjectId, destroyedAt, eventId: appended.id, position: appended.position };
  }

  /** The subject's last SubjectDataKeyDestroyed when no processing was recorded after it (reads of the file may be). */
  private async shreddedSinceLastRecord(subjectId: string): Promise<ShredOutcome | null> {
    let last: ShredOutcome | null = null;
    for (const event of await this.store.readStream(subjectStreamId(subjectId))) {
      if (event.type === SUBJECT_DATA_KEY_DESTROYED) {
        last = { subjectId, destroyedAt: (event.data as { destroyedAt: string }).destroyedAt, eventId: event.id, position: event.position };
      } else if (event.type === PROCESSING_RECORDED) {
        last = null;
      }
    }
    return last;
  }
}
