import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@derbes/event-store';
import {
  subjectStreamId,
  upcastSubjectEvent,
  type Operation,
  type ProcessingRecordedData,
  type SubjectFileReadData,
  type SubjectRequestEvent,
} from '@derbes/ledger';

export interface SubjectEventsFilter {
  readonly operation?: Operation;
  readonly category?: number;
  readonly purpose?: string;
  /** Inclusive bounds on occurredAt, epoch ms. */
  readonly from?: number;
  readonly to?: number;
}

/** A stored event of the subject's stream: a processing record, a read of the file, or a step of a request. */
export type SubjectEventEntry = (ProcessingRecordedData | SubjectFileReadData | SubjectRequestEvent['data']) & EntryEnvelope;

interface EntryEnvelope {
  readonly eventId: string;
  readonly type: string;
  readonly revision: number;
  readonly position: number;
  readonly schemaVersion: number;
  readonly recordedAt: string;
  readonly correlationId: string;
}

export interface SubjectEventsPage {
  readonly subjectId: string;
  readonly items: SubjectEventEntry[];
  /** Pass as `cursor` for the next page; null at the end. */
  readonly nextCursor: string | null;
}

/** A subject's events in stream order, filtered, one page from a revision. Reads the stream itself (no read model yet). */
export class ListSubjectEventsQuery extends Query<SubjectEventsPage | null> {
  constructor(
    readonly subjectId: string,
    readonly filter: SubjectEventsFilter,
    readonly fromRevision: number,
    readonly limit: number,
  ) {
    super();
  }
}

const CHUNK = 500;

@QueryHandler(ListSubjectEventsQuery)
export class ListSubjectEventsHandler implements IQueryHandler<ListSubjectEventsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** null when the ledger holds nothing about the subject. */
  async execute(query: ListSubjectEventsQuery): Promise<SubjectEventsPage | null> {
    const streamId = subjectStreamId(query.subjectId);
    const items: SubjectEventEntry[] = [];
    let revision = query.fromRevision;
    for (;;) {
      const chunk = await this.store.readStream(streamId, { fromRevision: revision, maxCount: CHUNK });
      if (chunk.length === 0 && revision === 0) return null;
      for (const stored of chunk) {
        revision = stored.revision + 1;
        const entry = toEntry(stored);
        if (entry && matches(entry, query.filter)) {
          if (items.length === query.limit) {
            return { subjectId: query.subjectId, items, nextCursor: encodeCursor(stored.revision) };
          }
          items.push(entry);
        }
      }
      if (chunk.length < CHUNK) return { subjectId: query.subjectId, items, nextCursor: null };
    }
  }
}

function toEntry(stored: RecordedEvent): SubjectEventEntry | null {
  const event = upcastSubjectEvent(stored.type, stored.data, stored.metadata);
  if (!event) return null;
  return {
    eventId: stored.id,
    type: event.type,
    revision: stored.revision,
    position: stored.position,
    schemaVersion: Number(stored.metadata.schemaVersion),
    recordedAt: String(stored.metadata.recordedAt),
    correlationId: String(stored.metadata.correlationId),
    ...event.data,
  };
}

function matches(entry: SubjectEventEntry, f: SubjectEventsFilter): boolean {
  // The filters are about processing; a request's steps show only in the unfiltered stream.
  if (!('categories' in entry) || !('occurredAt' in entry)) return Object.values(f).every((v) => v === undefined);
  if (f.operation && !('operation' in entry && entry.operation === f.operation)) return false;
  if (f.category !== undefined && !entry.categories.some((c) => c.number === f.category)) return false;
  if (f.purpose && entry.purpose.code !== f.purpose) return false;
  const at = Date.parse(entry.occurredAt);
  if (f.from !== undefined && at < f.from) return false;
  if (f.to !== undefined && at > f.to) return false;
  return true;
}

/** The cursor is opaque to clients: the revision to continue from. */
export function encodeCursor(revision: number): string {
  return Buffer.from(`r:${revision}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number | null {
  const m = /^r:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}
