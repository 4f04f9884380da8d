import { randomUUID } from 'node:crypto';
import { Inject, Injectable, applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import {
  OVERSIGHT_PURPOSE,
  SUBJECT_FILE_READ,
  SUBJECT_FILE_READ_SCHEMA_VERSION,
  type Actor,
  type SubjectFileRead,
} from '@derbes/ledger';
import { RegisterCatalog } from '@derbes/register';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { LedgerError, type FieldError } from '../ledger-errors';
import { SubjectStateCache } from '../processing-records/subject-state.cache';
import { appendToSubject } from './append-to-subject';

/** Who reads a subject's file, and why. */
export interface Reader {
  readonly actor: Actor;
  readonly purpose: { readonly code: string; readonly slug: string };
}

const CODE = /^[\p{L}\p{N}][\p{L}\p{N}._:@/-]{0,99}$/u;
const ACTOR_HEADERS = [['x-actor-id', 'id'], ['x-actor-role', 'role'], ['x-actor-unit', 'unit']] as const;

/** Documents, on the OpenAPI page, the headers naming who acts (registering or answering a request). */
export function ActorHeaders(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...ACTOR_HEADERS.map(([name, field]) => ApiHeader({ name, required: true, description: `The official's ${field} (until API keys name them)` })),
  );
}

/** Documents, on the OpenAPI page, the headers every per-subject read needs. */
export function ReaderHeaders(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...ACTOR_HEADERS.map(([name, field]) => ApiHeader({ name, required: true, description: `The reader's ${field} (until API keys name the reader)` })),
    ApiHeader({ name: 'x-purpose', required: true, description: 'Why the file is read: a purpose code or slug of the register, or OVERSIGHT (internal control, Art. 25 para 3)' }),
  );
}

/**
 * Reading a person's history, inventory or events is itself an access to their personal data. Each such read is
 * appended to the subject's stream (SubjectFileRead: the reader, the purpose they state, the view, the categories
 * the answer mentions) before the answer is given; if it cannot be stored, nothing is shown. Until API keys name
 * the reader (issue 5), the reader names themselves in the x-actor-* headers.
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

  /** Who acts, from the x-actor-* headers; throws a 400 naming each missing or malformed header. */
  actor(request: FastifyRequest): Actor {
    const errors = this.actorErrors(request);
    if (errors.length > 0) throw LedgerError.invalid(errors);
    return actorFrom(request);
  }

  /** The reader from the request headers; throws a 400 naming each missing or malformed header. */
  reader(request: FastifyRequest): Reader {
    const errors = this.actorErrors(request);
    const stated = header(request, 'x-purpose');
    const purpose = stated === undefined ? undefined
      : stated === OVERSIGHT_PURPOSE.code || stated === OVERSIGHT_PURPOSE.slug ? OVERSIGHT_PURPOSE
        : this.catalog.resolvePurpose(this.config.owner, stated);
    if (stated === undefined) errors.push({ field: 'x-purpose', reason: "is required: why this subject's data is read" });
    else if (!purpose) errors.push({ field: 'x-purpose', reason: `unknown purpose ${JSON.stringify(stated)}: a register purpose (e.g. P01) or OVERSIGHT` });
    if (errors.length > 0 || !purpose) throw LedgerError.invalid(errors);
    return { actor: actorFrom(request), purpose: { code: purpose.code, slug: purpose.slug } };
  }

  private actorErrors(request: FastifyRequest): FieldError[] {
    const errors: FieldError[] = [];
    for (const [name] of ACTOR_HEADERS) {
      const value = header(request, name);
      if (value === undefined) errors.push({ field: name, reason: "is required: who acts on this subject's data" });
      else if (!CODE.test(value)) errors.push({ field: name, reason: 'must be a code: letters, digits and . _ : @ / -' });
    }
    return errors;
  }

  /** Appends the read to the subject's stream, behind whatever this process is appending there too. */
  async recordRead(reader: Reader, subjectId: string, categories: Iterable<number>, view: string, correlationId: string): Promise<void> {
    const refs = [...new Set(categories)].sort((a, b) => a - b)
      .map((number) => this.catalog.resolveCategory(this.config.owner, number) ?? { number, slug: `category-${number}` });
    const readAt = this.clock.now().toISOString();
    const event: SubjectFileRead = {
      type: SUBJECT_FILE_READ,
      data: { readId: randomUUID(), subjectId, view, categories: refs, purpose: reader.purpose, actor: reader.actor, occurredAt: readAt },
    };
    await appendToSubject(this.store, this.cache, subjectId, () => [event], () => ({
      id: event.data.readId,
      type: event.type,
      data: event.data as never,
      metadata: { schemaVersion: SUBJECT_FILE_READ_SCHEMA_VERSION, recordedAt: readAt, correlationId },
    }));
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The actor from headers already checked. */
function actorFrom(request: FastifyRequest): Actor {
  return { id: header(request, 'x-actor-id') as string, role: header(request, 'x-actor-role') as string, unit: header(request, 'x-actor-unit') as string };
}
