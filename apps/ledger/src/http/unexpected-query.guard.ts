import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { FastifyRequest } from 'fastify';
import { LedgerError } from '../ledger-errors';

/** Whether a handler takes its query through `@Query()` (Nest keys its parameters `${type}:${index}`). */
function takesQuery(context: ExecutionContext): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<string, unknown>;
  return Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.QUERY));
}

/**
 * A query string on an API route that takes none (`GET /v1/register?at=...`, `GET /v1/integrity/tree-heads/latest?size=5`,
 * `POST /v1/processing-records?dryRun=true`) is a 400 naming each parameter, as a misspelt parameter of any other
 * route is: never an answer to a question that was not asked. Routes with a query DTO are checked by their DTO, but
 * for a parameter given twice (`limit=1&limit=2`), which no route takes and which the DTO would call "not a whole
 * number". The console's pages and /health and /metrics are left alone.
 */
@Injectable()
export class UnexpectedQueryGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // Most requests carry no query string: they cost one string search.
    if (!request.url.includes('?') || !request.url.startsWith('/v1/')) return true;
    const query = (request.query ?? {}) as Record<string, unknown>;
    if (takesQuery(context)) {
      const repeated = Object.entries(query).filter(([, value]) => Array.isArray(value));
      if (repeated.length > 0) {
        throw LedgerError.invalid(repeated.map(([field, value]) => ({ field, reason: `is given ${(value as unknown[]).length} times: give it once` })));
      }
      return true;
    }
    const names = Object.keys(query);
    if (names.length > 0) throw LedgerError.invalid(names.map((field) => ({ field, reason: 'is not a parameter of this route' })));
    return true;
  }
}
