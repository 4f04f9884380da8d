import type { ReportLanguage } from './access-report.model';

/**
 * Which of a message's word forms goes with `n`: English has two (one, other), Russian three (one, few, many: "1
 * причина", "2 причины", "5 причин"). Kazakh messages give none: a noun after a number stays singular.
 */
export function pluralForm(lang: ReportLanguage, n: number): number {
  if (lang !== 'ru') return n === 1 ? 0 : 1;
  const units = n % 10;
  const tens = n % 100;
  if (units === 1 && tens !== 11) return 0;
  return units >= 2 && units <= 4 && (tens < 12 || tens > 14) ? 1 : 2;
}

/** `message` with each `{name}` filled from `params`, and `{name|form|...}` as the number and its word form. */
export function fillMessage(
  lang: ReportLanguage, message: string, params: Readonly<Record<string, string | number>>, unfilled: (name: string, whole: string) => string,
): string {
  return message.replace(/\{(\w+)((?:\|[^|}]*)*)\}/g, (whole, name: string, forms: string) => {
    const value = params[name];
    if (value === undefined) return unfilled(name, whole);
    return forms === '' ? String(value) : `${value} ${forms.slice(1).split('|')[pluralForm(lang, Number(value))]}`;
  });
}
