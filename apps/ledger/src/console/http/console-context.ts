import type { FastifyRequest } from 'fastify';
import type { CodeNames, Lang } from '@derbes/register';
import '../../auth/principal';
import { refusal } from '../../auth/roles';
import { languageOf } from '../i18n/console-i18n';
import { cookiesOf } from '../session/cookies';
import type { ConsoleSession } from '../session/console-sessions';
import type { View } from '../views/view';

/** What every console page needs to know about its request. */
export interface ConsoleContext {
  readonly lang: Lang;
  readonly cookies: ReadonlyMap<string, string>;
  /** Set by the console's guard: the request's live session, if any. */
  session: ConsoleSession | null;
  /** The path and query asked for (never holds an IIN: the console puts none in a URL). */
  readonly url: URL;
}

const CONTEXTS = new WeakMap<FastifyRequest, ConsoleContext>();

/** The request's console context, made on first use. */
export function consoleContext(request: FastifyRequest): ConsoleContext {
  let context = CONTEXTS.get(request);
  if (!context) {
    const cookies = cookiesOf(request);
    context = { lang: languageOf(request, cookies), cookies, session: null, url: new URL(request.url, 'http://console.invalid') };
    CONTEXTS.set(request, context);
  }
  return context;
}

/** The layout's view of this request: language, address, form token and who is signed in. */
export function viewOf(request: FastifyRequest, utcOffsetMinutes: number, names: CodeNames): View {
  const context = consoleContext(request);
  const key = request.principal;
  return {
    lang: context.lang,
    utcOffsetMinutes,
    names,
    url: context.url,
    ...(context.session ? { csrf: context.session.csrf } : {}),
    ...(key && context.session?.signedIn ? {
      who: { name: key.name, role: key.role, unit: key.unit, personal: refusal({ roles: ['official', 'auditor'], personal: true }, key) === null },
    } : {}),
  };
}
