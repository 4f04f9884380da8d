import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventData, type EventStore } from '@derbes/event-store';
import {
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

export function storedKeyDestroyed(event: SubjectDataKeyDestroyed, recordedAt: string, correlationId: string): EventData {
  return {
    id: randomUUID(), type: event.type, data: event.data as never,
    metadata: { schemaVersion: SUBJECT_DATA_KEY_DESTROYED_SCHEMA_VERSION, recordedAt, correlationId },
  };
}

/**
 * Destroys a subject's data (Law 94-V, Art. 18) at the end of its storage period: records SubjectDataKeyDestroyed
 * in their stream, then destroys their key. In that order: if destroying fails after the append, the event says
 * more than was done and a repeat finishes it; the other way round, texts would vanish with nothing in the ledger
 * saying why.
 */
@Injectable()
export class SubjectShredder {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cache: SubjectStateCache,
    private readonly sealer: SubjectSealer,
    private readonly clock: Clock,
  ) {}

  async shred(subjectId: string, reason: string, by: Actor, correlationId: string): Promise<ShredOutcome> {
    if ((await this.cache.load(subjectStreamId(subjectId))).revision < 0) {
      throw new LedgerError('subject_not_found', 'the ledger holds nothing about this subject');
    }
    const at = this.clock.now();
    const destroyedAt = at.toISOString();
    const written = await appendToSubject(this.store, this.cache, subjectId, () => [keyDestroyed(subjectId, destroyedAt, reason, by)],
      (event) => storedKeyDestroyed(event as SubjectDataKeyDestroyed, destroyedAt, correlationId));
    const appended = written?.result.events[0];
    if (!appended) throw new Error('shredding must write SubjectDataKeyDestroyed');
    await this.sealer.destroy(subjectId, at);
    return { subjectId, destroyedAt, eventId: appended.id, position: appended.position };
  }
}
