import type { Lang, RegisterCatalog } from '@derbes/register';
import { LEDGER_PURPOSE_NAMES } from '@derbes/reports';

/** Names of the owner's categories and purposes in one language, as the owner's latest register version gives them. */
export interface RegisterNames {
  category(number: number): string | null;
  purpose(code: string): string | null;
}

/**
 * Looks names up across every version of the owner's register, later versions overriding earlier ones: a report
 * spans periods under different versions, and one name per code reads better than one per version.
 */
export function registerNames(catalog: RegisterCatalog, owner: string, lang: Lang): RegisterNames {
  const categories = new Map<number, string>();
  const purposes = new Map<string, string>();
  // all() is sorted by owner, then by effective date.
  for (const register of catalog.all().filter((r) => r.owner === owner)) {
    for (const c of register.categories) categories.set(c.number, c.names[lang]);
    for (const p of register.purposes) purposes.set(p.code, p.names[lang]);
  }
  return {
    category: (number) => categories.get(number) ?? null,
    purpose: (code) => purposes.get(code) ?? LEDGER_PURPOSE_NAMES[code]?.[lang] ?? null,
  };
}
