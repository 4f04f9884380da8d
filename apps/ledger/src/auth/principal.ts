import type { FastifyRequest } from 'fastify';
import type { Actor } from '@derbes/ledger';
import type { ApiKey } from './api-keys';
import type { SubjectLink } from './subject-links';

declare module 'fastify' {
  interface FastifyRequest {
    /** The key the request was made with (set by AuthGuard). */
    principal?: ApiKey;
    /** The subject link the request was opened with (set by AuthGuard on the link's route). */
    subjectLink?: SubjectLink;
  }
}

/** Who acts, as recorded in the ledger: the key's holder, role and unit. */
export function actorOf(request: FastifyRequest): Actor {
  const key = request.principal;
  if (!key) throw new Error('no principal on an authenticated route');
  return { id: key.name, role: key.role, unit: key.unit };
}
