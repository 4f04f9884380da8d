import { randomUUID } from 'node:crypto';
import { Inject, Injectable, applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import {
  OVERSIGHT_PURPOSE,
  SUBJECT_FILE_READ,
  SUBJECT_FILE_READ_SCHEMA_VERSION,
  subjectStreamId,
  type Actor,
  type SubjectFileRead,
} from '@derbes/ledger';
import { RegisterCatalog } from '@derbes/register';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { LedgerError } from '../ledger-errors';
import { actorOf } from '../auth/principal';
import { SubjectStateCache } from '../processing-records/subject-state.cache';
import { appendToSubject } from './append-to-subject';

/** Who reads a subject's file, and why. */
export interface Reader {
  readonly actor: Actor;
  readonly purpose: { readonly code: string; readonly slug: string };
}

/** Documents, on the OpenAPI page, the header every per-subject read needs (the reader is the API key's holder). */
export function ReaderHeaders(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiHeader({ name: 'x-purpose', required: true, description: 'Why the file is read: a purpose code or slug of the register, or OVERSIGHT (internal control, Art. 25 para 3)' }),
  );
}

/**
 * Reading a person's history, inventory, events or report is itself an access to their personal data. Each such
 * read is appended to the subject's stream (SubjectFileRead: the reader, who is the API key's holder, the purpose
 * they state in x-purpose, the view, the categories the answer mentions) before the answer is given; if it cannot
 * be stored, nothing is shown. What can still fail after it runs in afterRead (read-recorded.error.ts), so that the
 * answer says the read was recorded.
 */
@Injectable()
export class ReaderAudit {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cache: SubjectStateCache,
    private readonly catalog: RegisterCatalog,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  /** The reader: the key's holder, and the purpose stated in x-purpose; a 400 when the purpose is missing or unknown. */
  reader(request: FastifyRequest): Reader {
    const stated = header(request, 'x-purpose');
    if (stated === undefined) throw LedgerError.invalid([{ field: 'x-purpose', reason: "is required: why this subject's data is read" }]);
    // A header's bytes beyond ASCII reach us as Latin-1: quoting them back would show the client mojibake.
    if (/[^\x20-\x7e]/.test(stated)) throw LedgerError.invalid([{ field: 'x-purpose', reason: 'must be printable ASCII: a register purpose code or slug (e.g. P01), or OVERSIGHT' }]);
    const purpose = this.statedPurpose(stated);
    if (!purpose) throw LedgerError.invalid([{ field: 'x-purpose', reason: `unknown purpose ${JSON.stringify(stated)}: a register purpose (e.g. P01) or OVERSIGHT` }]);
    return { actor: actorOf(request), purpose };
  }

  /** A purpose a reader may state: OVERSIGHT (internal control) or a purpose of the owner's register, by code or slug. */
  statedPurpose(stated: string): Reader['purpose'] | null {
    const purpose = stated === OVERSIGHT_PURPOSE.code || stated === OVERSIGHT_PURPOSE.slug ? OVERSIGHT_PURPOSE
      : this.catalog.resolvePurpose(this.config.owner, stated);
    return purpose ? { code: purpose.code, slug: purpose.slug } : null;
  }

  /** Appends the read to the subject's stream, behind whatever this process is appending there too; its event id. */
  async recordRead(reader: Reader, subjectId: string, categories: Iterable<number>, view: string, correlationId: string): Promise<string> {
    const event = this.readEvent(reader, subjectId, categories, view, this.clock.now());
    await this.append(event, correlationId);
    return event.data.readId;
  }

  /**
   * Appends the read only if the subject's stream still ends at `revision` (what the reader was shown is all there
   * was), as read at `at`: its stored id and revision, or null when another event came first (nothing is written).
   */
  async recordReadAfter(
    reader: Reader, subjectId: string, categories: Iterable<number>, view: string, correlationId: string, revision: number, at: Date,
  ): Promise<{ readonly id: string; readonly revision: number } | null> {
    const event = this.readEvent(reader, subjectId, categories, view, at);
    const written = await this.append(event, correlationId, revision);
    const stored = written?.result.events[0];
    if (stored) return { id: stored.id, revision: stored.revision };
    const streamId = subjectStreamId(subjectId);
    const cached = this.cache.peek(streamId);
    if (cached && cached.revision < revision) {
      // The caller read more of the stream than this process's cache knows: another process (a CLI report, a second
      // replica) appended. The cache is stale, and nothing appended through it would catch that: read it again.
      this.cache.forget(streamId);
    } else {
      // The event that came first may be one this process has not stored yet (another report's read, a record): wait
      // for it, so that the caller's next read of the stream holds it instead of beginning again at once in vain.
      await cached?.stored;
    }
    return null;
  }

  private readEvent(reader: Reader, subjectId: string, categories: Iterable<number>, view: string, at: Date): SubjectFileRead {
    const refs = [...new Set(categories)].sort((a, b) => a - b)
      .map((number) => this.catalog.resolveCategory(this.config.owner, number) ?? { number, slug: `category-${number}` });
    return {
      type: SUBJECT_FILE_READ,
      data: { readId: randomUUID(), subjectId, view, categories: refs, purpose: reader.purpose, actor: reader.actor, occurredAt: at.toISOString() },
    };
  }

  /** Appends the read; with `after`, only behind the stream's event of that revision (null when the stream moved on). */
  private append(event: SubjectFileRead, correlationId: string, after?: number) {
    return appendToSubject(this.store, this.cache, event.data.subjectId, (_state, revision) => (after === undefined || revision === after ? [event] : []), () => ({
      id: event.data.readId,
      type: event.type,
      data: event.data as never,
      metadata: { schemaVersion: SUBJECT_FILE_READ_SCHEMA_VERSION, recordedAt: event.data.occurredAt, correlationId },
    }));
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
