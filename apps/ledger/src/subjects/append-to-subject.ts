import { NO_STREAM, WrongExpectedVersionError, type AppendResult, type EventStore, type EventData } from '@derbes/event-store';
import { evolve, subjectStreamId, type SubjectEvent, type SubjectState } from '@derbes/ledger';
import { LedgerError } from '../ledger-errors';
import { linkEvents } from './chain-links';
import { DecidedOnFailedAppendError, awaitStored, pendingAppend, type SubjectStateCache } from '../processing-records/subject-state.cache';

const MAX_ATTEMPTS = 5;

/**
 * Load -> decide -> append on one subject's stream, retried on a concurrent writer a bounded number of times. The
 * decision is published to the cache before the append so that writers in this process queue behind it; it is
 * forgotten if the append fails. The events are linked into the subject's hash chain (chain-links.ts). `decide` gets the
 * state and the revision of the stream's last event (-1 for none); it may throw (a domain error) and then nothing is
 * written. Returns null when the decision is to write nothing.
 */
export async function appendToSubject(
  store: EventStore,
  cache: SubjectStateCache,
  subjectId: string,
  decide: (state: SubjectState, revision: number) => readonly SubjectEvent[],
  toStored: (event: SubjectEvent) => EventData,
): Promise<{ result: AppendResult; events: readonly SubjectEvent[] } | null> {
  const streamId = subjectStreamId(subjectId);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const loaded = await cache.load(streamId);
    const subject = cache.peek(streamId) ?? loaded;
    const events = decide(subject.state, subject.revision);
    if (events.length === 0) return null;
    const linked = linkEvents(streamId, subject.revision + 1, subject.lastHash, events.map(toStored));
    const append = pendingAppend();
    cache.remember(streamId, {
      revision: subject.revision + events.length, state: events.reduce(evolve, subject.state), lastHash: linked.lastHash, stored: append.stored,
    });
    try {
      await awaitStored([subject]);
      const result = await store.appendToStream(streamId, linked.events, subject.revision < 0 ? NO_STREAM : subject.revision);
      append.settle(true);
      return { result, events };
    } catch (error) {
      cache.forget(streamId);
      append.settle(false);
      if (!(error instanceof WrongExpectedVersionError) && !(error instanceof DecidedOnFailedAppendError)) throw error;
    }
  }
  throw new LedgerError('concurrency_exhausted', 'too many concurrent writes to this subject; nothing was written: retry');
}
