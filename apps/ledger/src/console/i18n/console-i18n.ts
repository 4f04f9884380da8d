import type { FastifyRequest } from 'fastify';
import { LANGS, type Lang } from '@derbes/register';
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
 * The label `key` in `lang`, each `{name}` filled from `params`; `{name|one|other}` gives the number and the word for
 * one or for any other number ("1 working day", "2 working days": English needs it, Kazakh and Russian do not).
 */
export function t(lang: Lang, key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  return CATALOGS[lang][key].replace(/\{(\w+)(?:\|([^|}]*)\|([^|}]*))?\}/g, (whole, name: string, one?: string, other?: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return one === undefined ? String(value) : `${value} ${Number(value) === 1 ? one : other}`;
  });
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
