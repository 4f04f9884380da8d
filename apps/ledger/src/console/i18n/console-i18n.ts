import type { FastifyRequest } from 'fastify';
import { LANGS, type Lang } from '@derbes/register';
import { fillMessage } from '@derbes/reports';
import EN from './messages.en.json';
import KK from './messages.kk.json';
import RU from './messages.ru.json';

/** A label of the console; the English catalog defines the keys, and the compiler holds Kazakh and Russian to them. */
export type MessageKey = keyof typeof EN;
type Catalog = { readonly [K in MessageKey]: string };

const CATALOGS: { readonly [L in Lang]: Catalog } = { kk: KK, ru: RU, en: EN };

export const LANG_NAMES: { readonly [L in Lang]: string } = { kk: 'Қазақша', ru: 'Русский', en: 'English' };
export const LANG_COOKIE = 'derbes_console_lang';

/**
 * The label `key` in `lang`, each `{name}` filled from `params`; `{name|form|...}` gives the number and the word form
 * that number takes: in English `{n|one|other}` ("1 working day", "2 working days"), in Russian `{n|one|few|many}`
 * ("1 причина", "2 причины", "5 причин"). Kazakh needs none: a noun after a number stays singular.
 */
export function t(lang: Lang, key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  return fillMessage(lang, CATALOGS[lang][key], params, (_, whole) => whole);
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** The language asked for in `?lang=`, else the one chosen before (its cookie), else Kazakh. */
export function languageOf(request: FastifyRequest, cookies: ReadonlyMap<string, string>): Lang {
  const asked = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(asked)) return asked;
  const chosen = cookies.get(LANG_COOKIE);
  return isLang(chosen) ? chosen : 'kk';
}
