import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiKeys } from '../../auth/api-keys';
import '../../auth/principal';
import { ACCESS, refusal, type Access } from '../../auth/roles';
import { LedgerError } from '../../ledger-errors';
import { consoleContext } from '../http/console-context';
import { SESSION_COOKIE } from './cookies';
import { ConsoleSessions, csrfMatches } from './console-sessions';

const OPEN = 'derbes:console-open';
/** Marks the console's pages anyone may open: the sign-in form (its POST still needs the form's token). */
export const OpenToAnyone = () => SetMetadata(OPEN, true);

/** Thrown when a page needs a signed-in session and the request has none: answered with the sign-in form. */
export class SignInRequired extends Error {
  override readonly name = 'SignInRequired';
}

/** Thrown when a POST carries no token, or not its session's: answered 403. */
export class CsrfRefused extends Error {
  override readonly name = 'CsrfRefused';
}

/**
 * The console's guard: finds the request's session (cookie), checks the token of every POST against it, and lets a
 * page through only for a signed-in key that is still live, with the same access rule (`Allow`) as the API's routes
 * for the same data. A console route without a rule, not marked open, is closed.
 */
@Injectable()
export class ConsoleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: ConsoleSessions,
    private readonly keys: ApiKeys,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const console = consoleContext(request);
    const session = this.sessions.find(console.cookies.get(SESSION_COOKIE));
    console.session = session;
    if (request.method === 'POST' && !csrfMatches(session, (request.body as Record<string, unknown> | undefined)?._csrf)) throw new CsrfRefused();

    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(OPEN, targets)) return true;
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, targets);
    if (!access) throw new LedgerError('forbidden', 'this page declares no access rule, so it is closed');
    if (!session?.signedIn) throw new SignInRequired();
    const key = await this.keys.stillSignedIn(session.signedIn.keyId, session.signedIn.passwordRevision);
    if (!key) {
      this.sessions.end(session.id);
      console.session = null;
      throw new SignInRequired();
    }
    const refused = refusal(access, key);
    if (refused) throw new LedgerError('forbidden', refused);
    request.principal = key;
    return true;
  }
}
