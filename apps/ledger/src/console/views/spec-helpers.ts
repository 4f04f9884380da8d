import { CodeNames, parseCodeNames, type Lang } from '@derbes/register';
import type { View } from './view';

/**
 * Names as an operator's DERBES_NAMES_FILE would give them: one unit, one role and one system. Other codes
 * (hr-portal, training-center, ...) have none, so a page must show them as they are.
 */
export const NAMES = new CodeNames(parseCodeNames({
  units: { 'personnel-management': { kk: 'Персоналды басқару', ru: 'Управление персоналом', en: 'Personnel management' } },
  roles: { 'hr-specialist': { kk: 'Кадр маманы', ru: 'Специалист по кадрам', en: 'HR specialist' } },
  systems: { payroll: { kk: 'Жалақы жүйесі', ru: 'Система расчёта зарплаты', en: 'Payroll system' } },
}, 'names.json'));

/** A signed-in auditor's view of `path` in `lang`, with NAMES; their own unit has no name, so the header shows none of NAMES. */
export function specView(lang: Lang, path: string): View {
  return {
    lang, utcOffsetMinutes: 300, names: NAMES, url: new URL(`http://ledger${path}${path.includes('?') ? '&' : '?'}lang=${lang}`),
    csrf: 'token', who: { name: 'auditor-2', role: 'auditor', unit: 'internal-audit', personal: true },
  };
}
