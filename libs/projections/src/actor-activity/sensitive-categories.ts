import type { RegisterCatalog } from '@derbes/register';

/**
 * Whether a category, as numbered in register `registerId` version `version`, is marked sensitive. The register is
 * the one recorded on the event; null when none was in force when the processing happened.
 */
export type IsSensitiveCategory = (registerId: string | null, version: number | null, category: number) => boolean;

/**
 * Reads the `sensitive` marks of the registers in the catalog. A record names the register version it was checked
 * against, and that version's marks decide; a record made when no register was in force (or naming a version the
 * catalog no longer holds) falls back to the owner's registers: sensitive if any version of them marks it so, since
 * leaving sensitive data out of the report would hide more than counting it once too often.
 */
export function sensitiveCategoriesOf(catalog: RegisterCatalog, owner: string): IsSensitiveCategory {
  const byVersion = new Map<string, ReadonlySet<number>>();
  const ofOwner = new Set<number>();
  for (const register of catalog.all()) {
    const marked = new Set(register.categories.filter((c) => c.sensitive).map((c) => c.number));
    byVersion.set(`${register.id}\u0000${register.version}`, marked);
    if (register.owner === owner) for (const number of marked) ofOwner.add(number);
  }
  return (registerId, version, category) => {
    const marked = registerId === null || version === null ? undefined : byVersion.get(`${registerId}\u0000${version}`);
    return (marked ?? ofOwner).has(category);
  };
}

/**
 * The marks sensitiveCategoriesOf reads, as text that changes exactly when an answer of it would: each register
 * version's sensitive categories, and the owner whose marks stand in when none was in force.
 */
export function sensitiveMarksOf(catalog: RegisterCatalog, owner: string): string {
  const versions = catalog.all()
    .map((r) => `${r.id} v${r.version}: ${r.categories.filter((c) => c.sensitive).map((c) => c.number).sort((a, b) => a - b).join(',')}`)
    .sort();
  return JSON.stringify({ owner, versions });
}
