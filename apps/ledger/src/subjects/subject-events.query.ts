import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@derbes/event-store';
import {
  subjectStreamId,
  upcastSubjectEvent,
  type Operation,
  type ProcessingRecordedData,
  type SubjectDataKeyDestroyedData,
  type SubjectEvent,
  type SubjectFileReadData,
  type SubjectRequestAnsweredData,
  type SubjectRequestReceivedData,
  type SubjectRequestRefusedData,
  type SubjectRequestRetimedData,
} from '@derbes/ledger';
import { EntryTexts, showRecordTexts, type ShownRecordTexts, type Shredded } from '../data-keys/shown-texts';
import { SubjectSealer, textsOf, type TextOpener } from '../data-keys/subject-sealer';

export interface SubjectEventsFilter {
  readonly operation?: Operation;
  readonly category?: number;
  readonly purpose?: string;
  /** Inclusive bounds on occurredAt, epoch ms. */
  readonly from?: number;
  readonly to?: number;
}

/**
 * A stored event of the subject's stream: a processing record, a read of the file, a step of a request, or the
 * destruction of the subject's data key; sealed texts opened, or null and named in `shredded` when they cannot be.
 */
export type SubjectEventEntry = (
  | (Omit<ProcessingRecordedData, keyof ShownRecordTexts> & ShownRecordTexts)
  | SubjectFileReadData
  | (Omit<SubjectRequestReceivedData, 'detail'> & { readonly detail: string | null })
  | SubjectRequestAnsweredData
  | (Omit<SubjectRequestRefusedData, 'reasons'> & { readonly reasons: readonly (string | null)[] })
  | SubjectRequestRetimedData
  | SubjectDataKeyDestroyedData
) & EntryEnvelope & { readonly shredded?: Shredded };

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

interface Picked {
  readonly stored: RecordedEvent;
  readonly event: SubjectEvent;
}

@QueryHandler(ListSubjectEventsQuery)
export class ListSubjectEventsHandler implements IQueryHandler<ListSubjectEventsQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly sealer: SubjectSealer,
  ) {}

  /** null when the ledger holds nothing about the subject. */
  async execute(query: ListSubjectEventsQuery): Promise<SubjectEventsPage | null> {
    const streamId = subjectStreamId(query.subjectId);
    const picked: Picked[] = [];
    let revision = query.fromRevision;
    let nextCursor: string | null = null;
    pages: for (;;) {
      const chunk = await this.store.readStream(streamId, { fromRevision: revision, maxCount: CHUNK });
      // A cursor past the end of an unknown subject's stream must not make the subject exist (and its read be recorded).
      if (chunk.length === 0 && revision === query.fromRevision && (revision === 0 || !(await subjectKnown(this.store, query.subjectId)))) return null;
      for (const stored of chunk) {
        revision = stored.revision + 1;
        const event = upcastSubjectEvent(stored.type, stored.data, stored.metadata);
        if (event && matches(event, query.filter)) {
          if (picked.length === query.limit) {
            nextCursor = encodeCursor(stored.revision);
            break pages;
          }
          picked.push({ stored, event });
        }
      }
      if (chunk.length < CHUNK) break;
    }
    // Only the page's texts are opened, with each key they need fetched once.
    const opener = await this.sealer.opener(picked.flatMap(({ event }) => textsOf(event).map((text) => [event.data.subjectId, text] as const)));
    return { subjectId: query.subjectId, items: picked.map((p) => toEntry(p, opener)), nextCursor };
  }
}

/**
 * Whether the ledger holds anything about the subject: an event of any kind in their stream (a record, a request, a
 * read of the file). Every per-subject view answers subject_not_found exactly when it does not.
 */
export async function subjectKnown(store: EventStore, subjectId: string): Promise<boolean> {
  return (await store.readStream(subjectStreamId(subjectId), { maxCount: 1 })).length > 0;
}

function toEntry({ stored, event }: Picked, opener: TextOpener): SubjectEventEntry {
  const envelope: EntryEnvelope = {
    eventId: stored.id,
    type: event.type,
    revision: stored.revision,
    position: stored.position,
    schemaVersion: Number(stored.metadata.schemaVersion),
    recordedAt: String(stored.metadata.recordedAt),
    correlationId: String(stored.metadata.correlationId),
  };
  const texts = new EntryTexts(opener, event.data.subjectId);
  switch (event.type) {
    case 'ProcessingRecorded': {
      const shown = showRecordTexts(event.data, texts);
      return { ...envelope, ...event.data, ...shown, ...texts.marker() };
    }
    case 'SubjectRequestReceived': {
      const { detail } = event.data;
      return { ...envelope, ...event.data, detail: detail === null ? null : texts.text('detail', detail), ...texts.marker() };
    }
    case 'SubjectRequestAnswered': {
      const { note } = event.data;
      return { ...envelope, ...event.data, note: note === null ? null : texts.text('note', note), ...texts.marker() };
    }
    case 'SubjectRequestRefused': {
      const reasons = event.data.reasons.map((reason, i) => texts.text('reasons', reason, `reasons[${i}]`));
      return { ...envelope, ...event.data, reasons, ...texts.marker() };
    }
    default:
      return { ...envelope, ...event.data };
  }
}

function matches(event: SubjectEvent, f: SubjectEventsFilter): boolean {
  // The filters are about processing; a request's steps and a key's destruction show only in the unfiltered stream.
  const entry = event.data;
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
