import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { LANG_COOKIE, isLang } from '../i18n/console-i18n';
import { setCookie } from '../session/cookies';
import { setPageHeaders } from './page-headers';

const YEAR_SECONDS = 365 * 24 * 3600;

/** Gives every console page its headers, and remembers a language chosen with `?lang=` in a cookie. */
@Injectable()
export class ConsolePageInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    setPageHeaders(reply);
    const asked = (request.query as Record<string, unknown> | undefined)?.lang;
    if (isLang(asked)) setCookie(reply, request, LANG_COOKIE, asked, YEAR_SECONDS);
    return next.handle();
  }
}
