import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { evolve, initialSubjectState, upcastSubjectEvent, type SubjectState } from '@derbes/ledger';
import { lastChainHash } from '../subjects/chain-links';

/** A subject's decision state and the revision of the stream it was folded from (-1: no stream yet). */
export interface LoadedSubject {
  readonly revision: number;
  readonly state: SubjectState;
  /** The chain hash of the stream's last event, which the next one links to (null: nothing chained yet). */
  readonly lastHash: string | null;
  /**
   * For a state published before its append committed: settles true once that append is stored, false if it failed.
   * A decision made on such a state holds only if it settles true: should it lose to a writer in another process,
   * whose events then fill the same revisions, an append expecting the revision after it would still succeed.
   */
  readonly stored?: Promise<boolean>;
}

/** A decision was made on a published state whose append then failed: decide again on the stream as stored. */
export class DecidedOnFailedAppendError extends Error {
  override readonly name = 'DecidedOnFailedAppendError';
}

/** Whether every pending append that these states came from was stored; throws DecidedOnFailedAppendError if not. */
export async function awaitStored(subjects: Iterable<LoadedSubject>): Promise<void> {
  const pending = [...subjects].flatMap((s) => (s.stored ? [s.stored] : []));
  if (pending.length > 0 && !(await Promise.all(pending)).every(Boolean)) {
    throw new DecidedOnFailedAppendError('decided on a state whose append was not stored');
  }
}

/** A promise to publish with a state before its append, and the function that settles it. */
export function pendingAppend(): { readonly stored: Promise<boolean>; readonly settle: (stored: boolean) => void } {
  let settle!: (stored: boolean) => void;
  const stored = new Promise<boolean>((resolve) => { settle = resolve; });
  return { stored, settle };
}

const CAPACITY = 100_000;

/**
 * Keeps recently used subjects' states so that a record does not re-read its whole stream. The recorder puts a
 * state here as soon as it has decided, before the append commits, and forgets it if the append fails. A stale
 * entry (another process appended) is harmless to a decision that appends: the append's expected revision catches it,
 * and the retry reloads from the store. A decision to append nothing cannot tell; ReaderAudit.recordReadAfter, whose
 * caller read the stream, forgets an entry behind it.
 */
@Injectable()
export class SubjectStateCache {
  private readonly entries = new Map<string, LoadedSubject>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(streamId: string): Promise<LoadedSubject> {
    const cached = this.entries.get(streamId);
    if (cached) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.entries.delete(streamId);
      this.entries.set(streamId, cached);
      return cached;
    }
    const events = await this.store.readStream(streamId);
    let state = initialSubjectState;
    for (const stored of events) {
      const event = upcastSubjectEvent(stored.type, stored.data, stored.metadata);
      if (event) state = evolve(state, event);
    }
    const last = events[events.length - 1];
    const loaded = { revision: last?.revision ?? -1, state, lastHash: lastChainHash(last) };
    this.remember(streamId, loaded);
    return loaded;
  }

  /** The cached state, if any, without reading the store. */
  peek(streamId: string): LoadedSubject | undefined {
    return this.entries.get(streamId);
  }

  /** Keeps a newer state; never replaces an entry with an older revision. */
  remember(streamId: string, loaded: LoadedSubject): void {
    const current = this.entries.get(streamId);
    if (current && current.revision > loaded.revision) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, loaded);
    if (this.entries.size > CAPACITY) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }
}
