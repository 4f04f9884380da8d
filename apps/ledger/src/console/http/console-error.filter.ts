import { ArgumentsHost, Catch, HttpException, Inject, Logger, type ExceptionFilter } from '@nestjs/common';
import { CodeNames } from '@derbes/register';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redactIins } from '@derbes/ledger';
import { LEDGER_CONFIG } from '../../config/config.tokens';
import type { LedgerConfig } from '../../config/ledger-config';
import { afterReadCause, toErrorBody } from '../../http/error.filter';
import { LedgerError } from '../../ledger-errors';
import { ReadRecordedError } from '../../subjects/read-recorded.error';
import { t } from '../i18n/console-i18n';
import { CsrfRefused, SignInRequired } from '../session/console.guard';
import { errorPage } from '../views/error.page';
import { consoleContext, viewOf } from './console-context';
import { NoSuchPage } from './no-such-page';
import { setPageHeaders } from './page-headers';

/** Where to come back to after signing in: a console page, never another site. */
export function safeReturnPath(path: unknown): string {
  return typeof path === 'string' && /^\/console\/[A-Za-z0-9/_.~%?&=+-]*$/.test(path) && !/\.\.|%2e|\/\//i.test(path) && !path.startsWith('/console/sign')
    ? path : '/console/overview';
}

/**
 * The console's errors as pages in the reader's language: a page that needs a session sends to the sign-in form, a
 * missing or wrong form token is a 403, an address no page has a 404, the ledger's own errors keep their status (and their field list), anything
 * else is a 500 logged by route only, like the API's.
 */
@Catch()
export class ConsoleErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('console');

  constructor(@Inject(LEDGER_CONFIG) private readonly config: LedgerConfig, private readonly names: CodeNames) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    setPageHeaders(reply);
    if (exception instanceof SignInRequired) {
      const back = request.method === 'GET' ? `&next=${encodeURIComponent(safeReturnPath(request.url))}` : '';
      void reply.status(303).header('location', `/console/sign-in?lang=${consoleContext(request).lang}${back}`).send('');
      return;
    }
    const view = viewOf(request, this.config.utcOffsetMinutes, this.names);
    const lang = consoleContext(request).lang;
    const correlationId = String(request.id);
    if (exception instanceof CsrfRefused) {
      void reply.status(403).send(errorPage(view, { message: t(lang, 'error.csrf'), correlationId }));
      return;
    }
    if (exception instanceof NoSuchPage) {
      void reply.status(404).send(errorPage(view, { message: t(lang, 'error.noPage'), correlationId }));
      return;
    }
    const body = toErrorBody(exception, correlationId);
    if (body.statusCode >= 500) {
      const what = redactIins(exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception));
      this.logger.error(`${request.method} ${request.routeOptions?.url ?? '?'} failed: ${what}`);
    }
    if (body.statusCode === 503) void reply.header('retry-after', '1');
    const reason = body.message;
    // A PDF too large for this server: the read was recorded, and the person's page offers the other formats. Any
    // other failure after a recorded read says that the read is in the log (never "nothing was recorded"), in the
    // reader's language, whatever its status. An answer to a request that failed after its report's read was not
    // stored: the page says so, and why (another official answered first, a full disk), not that a page failed.
    const message = exception instanceof ReadRecordedError
      ? exception.requestId !== null ? t(lang, 'error.notAnsweredAfterRead', { readId: exception.readId, reason: redactIins(afterReadCause(exception)) })
        : t(lang, body.code === 'report_too_large' ? 'error.reportTooLarge' : 'error.afterRead', { readId: exception.readId })
      : body.statusCode === 403 ? t(lang, 'error.forbidden', { reason })
        : body.statusCode === 404 ? t(lang, 'error.notFound', { reason })
          : body.statusCode === 400 ? t(lang, 'error.invalid')
            : body.statusCode === 409 || body.statusCode === 429 ? t(lang, 'error.conflict', { reason })
              : body.statusCode === 503 ? t(lang, 'error.unavailable', { reason })
                : body.statusCode >= 500 ? t(lang, 'error.internal') : reason;
    // The body's list, whose texts have their IINs masked, not the exception's own.
    const fields = exception instanceof LedgerError ? body.errors : exception instanceof HttpException ? [] : undefined;
    void reply.status(body.statusCode).send(errorPage(view, { message, fields, correlationId }));
  }
}
