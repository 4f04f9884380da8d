import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { LedgerError } from '../ledger-errors';
import { ApiKeys } from './api-keys';
import { keyOf } from './bearer-key';
import { RateLimiter } from './rate-limiter';
import { ACCESS, CONSOLE_ROUTE, PUBLIC_ROUTE, SUBJECT_LINK_ROUTE, refusal, type Access } from './roles';
import { SubjectLinks } from './subject-links';

/**
 * Every route needs credentials but /health: an API key (`Authorization: Bearer dk_...`) whose role the route
 * allows, or, on the one route it opens, a subject's signed link. A route that declares no access rule is closed.
 * Each key (and each link) is rate limited.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeys,
    private readonly links: SubjectLinks,
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
  ) {
    this.limiter = new RateLimiter(config.rateLimitPerSecond);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    // The console's guard checks its session and the same access rules.
    if (this.reflector.getAllAndOverride<boolean>(CONSOLE_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();

    if (this.reflector.getAllAndOverride<boolean>(SUBJECT_LINK_ROUTE, targets)) {
      const token = (request.params as Record<string, string | undefined>).token ?? '';
      const link = this.links.verify(token);
      if (link === 'invalid') throw new LedgerError('unauthenticated', 'this link is not valid');
      if (link === 'expired') throw new LedgerError('unauthenticated', 'this link has expired: ask the body for a new one');
      this.limit(`link:${link.subjectId}`);
      request.subjectLink = link;
      return true;
    }

    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, targets);
    if (!access) throw new LedgerError('forbidden', 'this route declares no access rule, so it is closed');
    const key = await keyOf(request, this.keys);
    this.limit(`key:${key.keyId}`);
    const refused = refusal(access, key);
    if (refused) throw new LedgerError('forbidden', refused);
    request.principal = key;
    return true;
  }

  private limit(bucket: string): void {
    const wait = this.limiter.take(bucket);
    if (wait > 0) throw new LedgerError('rate_limited', `too many requests with these credentials; retry in ${wait} s`, [], wait);
  }
}
