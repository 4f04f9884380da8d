import type { ReportLanguage } from './access-report.model';
import { EN, type MessageKey, type ReportMessages } from './report-messages.en';
import { KK } from './report-messages.kk';
import { RU } from './report-messages.ru';
import { fillMessage } from './plural-form';

export type { MessageKey, ReportMessages } from './report-messages.en';

/** Every label of the access report in Kazakh (the default, the state language), Russian and English. */
export const REPORT_MESSAGES: { readonly [L in ReportLanguage]: ReportMessages } = { kk: KK, ru: RU, en: EN };

/** The language a report is written in when none is asked for. */
export const DEFAULT_REPORT_LANGUAGE: ReportLanguage = 'kk';

/**
 * The label `key` in `lang`, with each `{name}` replaced by `params[name]` and `{name|one|other}` by the number and its
 * word form (plural-form.ts). Throws on a placeholder left unfilled.
 */
export function formatMessage(
  lang: ReportLanguage,
  key: MessageKey,
  params: Readonly<Record<string, string | number>> = {},
): string {
  return fillMessage(lang, REPORT_MESSAGES[lang][key], params, (name) => {
    throw new RangeError(`message ${key} needs {${name}}`);
  });
}

/** Groups of message keys that translate a code. */
export type CodePrefix = 'op' | 'source' | 'ground' | 'request' | 'channel' | 'status' | 'violation';

/**
 * The label of a code under `prefix` (e.g. `op`, `violation`), or the code itself when it has none: the model keeps
 * some codes as open strings, and an unknown code must still show rather than break the report.
 */
export function codeLabel(lang: ReportLanguage, prefix: CodePrefix, code: string): string {
  const messages: Readonly<Record<string, string>> = REPORT_MESSAGES[lang];
  return messages[`${prefix}.${code}`] ?? code;
}
