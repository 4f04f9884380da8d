import type { FastifyRequest } from 'fastify';
import { LedgerError } from '../ledger-errors';
import type { ApiKey, ApiKeys } from './api-keys';

/** Keys already proven for a request: the body check (http/body-needs-key.ts) and the route's guard both ask. */
const proven = new WeakMap<FastifyRequest, ApiKey>();

/** The live API key a request's `Authorization: Bearer dk_...` names; throws 401 `unauthenticated` otherwise. */
export async function keyOf(request: FastifyRequest, keys: ApiKeys): Promise<ApiKey> {
  const known = proven.get(request);
  if (known) return known;
  const header = request.headers.authorization;
  if (typeof header !== 'string' || header === '') {
    throw new LedgerError('unauthenticated', 'credentials required: Authorization: Bearer <API key>');
  }
  // The scheme is case-insensitive (RFC 9110 11.1): `bearer dk_...` is the same credential.
  const m = /^Bearer ([^\s]+)$/i.exec(header);
  const key = m ? await keys.authenticate(m[1] as string) : null;
  if (!key) throw new LedgerError('unauthenticated', 'unknown or revoked API key');
  proven.set(request, key);
  return key;
}
