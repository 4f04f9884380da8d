import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { evolve, initialSubjectState, upcastSubjectEvent, type SubjectState } from '@derbes/ledger';

/** A subject's decision state and the revision of the stream it was folded from (-1: no stream yet). */
export interface LoadedSubject {
  readonly revision: number;
  readonly state: SubjectState;
}

const CAPACITY = 100_000;

/**
 * Keeps recently used subjects' states so that a record does not re-read its whole stream. The recorder puts a
 * state here as soon as it has decided, before the append commits, and forgets it if the append fails. A stale
 * entry is harmless: the append's expected revision catches it, and the retry reloads from the store.
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
    const loaded = { revision: events.length > 0 ? (events[events.length - 1]?.revision ?? -1) : -1, state };
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
