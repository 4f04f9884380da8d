import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { CodeNames } from '@derbes/register';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeys } from '../../auth/api-keys';
import { LEDGER_CONFIG } from '../../config/config.tokens';
import type { LedgerConfig } from '../../config/ledger-config';
import { consoleContext, viewOf } from '../http/console-context';
import { safeReturnPath } from '../http/console-error.filter';
import { ConsolePages } from '../http/console-pages.decorator';
import { fieldsOf, given } from '../http/fields';
import { seeOther } from '../http/redirect';
import { t } from '../i18n/console-i18n';
import { signInPage } from '../views/sign-in.page';
import { SESSION_COOKIE, setCookie } from './cookies';
import { OpenToAnyone } from './console.guard';
import { ConsoleSessions } from './console-sessions';
import { SignInThrottle } from './sign-in-throttle';

/** Signing in with a key's name and console password, and out again. */
@ConsolePages()
@OpenToAnyone()
@Controller('console')
export class SignInController {
  constructor(
    private readonly names: CodeNames,
    private readonly keys: ApiKeys,
    private readonly sessions: ConsoleSessions,
    private readonly throttle: SignInThrottle,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get()
  home(@Res({ passthrough: true }) reply: FastifyReply): string {
    return seeOther(reply, '/console/overview');
  }

  @Get('sign-in')
  form(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): string {
    const query = fieldsOf(request.query);
    this.sessionFor(request, reply);
    const lang = consoleContext(request).lang;
    const notice = query.signedOut !== undefined ? t(lang, 'signIn.signedOut') : query.next !== undefined ? t(lang, 'signIn.expired') : undefined;
    return signInPage(this.view(request), { next: safeReturnPath(query.next), ...(notice ? { notice } : {}) });
  }

  @Post('sign-in')
  async signIn(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const form = fieldsOf(request.body);
    const name = given(form, 'name') ?? '';
    const password = form.password ?? '';
    const next = safeReturnPath(form.next);
    const lang = consoleContext(request).lang;
    const wait = this.throttle.waitMs(name, request.ip);
    if (wait > 0) {
      void reply.status(429).header('retry-after', String(Math.ceil(wait / 1000)));
      return signInPage(this.view(request), { next, name, problem: t(lang, 'signIn.throttled', { minutes: Math.ceil(wait / 60_000) }) });
    }
    // Counted as failed before the password is checked, not after: the check (scrypt) takes a while, and attempts
    // sent at once would all pass the wait above before any of them failed. Taken back if it was not a failure.
    const counted = this.throttle.failed(name, request.ip);
    const signedIn = await this.keys.signIn(name, password).catch((error: unknown) => {
      this.throttle.takeBack(name, request.ip, counted);
      throw error;
    });
    if (!signedIn) {
      void reply.status(401);
      return signInPage(this.view(request), { next, name, problem: t(lang, 'signIn.failed') });
    }
    this.throttle.takeBack(name, request.ip, counted);
    const session = this.sessions.signIn(consoleContext(request).session, signedIn.key.keyId, signedIn.passwordRevision);
    setCookie(reply, request, SESSION_COOKIE, session.id);
    return seeOther(reply, next);
  }

  @Post('sign-out')
  signOut(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): string {
    const session = consoleContext(request).session;
    if (session) this.sessions.end(session.id);
    setCookie(reply, request, SESSION_COOKIE, '', 0);
    return seeOther(reply, '/console/sign-in?signedOut=1');
  }

  /** The sign-in form's session: the one the request has, or a new one (its cookie set) that carries the form's token. */
  private sessionFor(request: FastifyRequest, reply: FastifyReply): void {
    const context = consoleContext(request);
    if (context.session) return;
    context.session = this.sessions.open();
    setCookie(reply, request, SESSION_COOKIE, context.session.id);
  }

  private view(request: FastifyRequest) {
    return viewOf(request, this.config.utcOffsetMinutes, this.names);
  }
}
