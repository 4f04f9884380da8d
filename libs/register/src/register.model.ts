/**
 * The approved list of personal data (Law 94-V, Art. 25 para 2 subpara 1): one register is one version of one
 * owner's list, in force for an effective period. Plain data, JSON-serialisable, no behaviour.
 */

export type Lang = 'kk' | 'ru' | 'en';
export const LANGS: readonly Lang[] = ['kk', 'ru', 'en'];

/** A name in the three languages. `kk` is as in the order; `ru` and `en` may be our rendering (see `renderedLangs`). */
export interface Names {
  readonly kk: string;
  readonly ru: string;
  readonly en: string;
}

/** S: special by nature (health, ethnicity, offences, vetting, third-party family data...), R: restricted, O: ordinary. */
export type Tier = 'S' | 'R' | 'O';

export interface Purpose {
  /** P01..P12: the fine-grained purpose. */
  readonly code: string;
  /** Stable kebab-case code; the API accepts it in place of `code`. */
  readonly slug: string;
  /** The number (1-based) of the purpose clause of the order it comes from, for tracing back to the literal text. */
  readonly clause: number;
  readonly names: Names;
  /** Codes of `legalActs` that ground this purpose (a product mapping: the order lists its acts for the whole row). */
  readonly legalActs: readonly string[];
  /** Remarks on the source text (clauses the order garbles and we split, words supplied). */
  readonly sourceNotes?: string;
}

export interface SubField {
  readonly names: Names;
}

export interface Category {
  /** The order's own numbering, 1..30 for Order 328-Ө. */
  readonly number: number;
  /** Stable kebab-case code; the API accepts it in place of the number. */
  readonly slug: string;
  readonly names: Names;
  readonly subFields: readonly SubField[];
  readonly tier: Tier;
  /** Marked sensitive for reports (medical results, disability, criminal record, nationality, family, special checks...). */
  readonly sensitive: boolean;
  /**
   * Purpose codes approved for this category. Absent: every purpose of the register (Order 328-Ө has one table row
   * that maps all its data to all its purposes, so it restricts none).
   */
  readonly purposes?: readonly string[];
  /** Remarks on the source text (typos kept from the order, displaced numbers). */
  readonly sourceNotes?: string;
}

export interface LegalAct {
  /** L1..L7 for Order 328-Ө: our code. */
  readonly code: string;
  /** Title as in the order (kk), with ru/en renderings. */
  readonly titles: Names;
  /** Kind of act: code, government resolution, presidential decree, order... */
  readonly kind: Names;
  /** ISO date of the act, or null where the order does not give one. */
  readonly date: string | null;
  /** The act's number, or null. */
  readonly number: string | null;
  /** State registration number (Ministry of Justice), or null where none is shown. */
  readonly registrationNumber: string | null;
  readonly note?: string;
}

export interface Publication {
  /** ISO date of first official publication, or null while unknown. */
  readonly date: string | null;
  /** False while the publication date is unknown: the effective date is then provisional. */
  readonly known: boolean;
  readonly note: string;
}

export interface EffectivePeriod {
  /** First day (ISO date, Asia/Almaty calendar day) the register is in force. */
  readonly from: string;
  /** How `from` was obtained: 'publication+10d' when computed from a known publication date; 'provisional' otherwise. */
  readonly fromBasis: 'publication+10d' | 'provisional' | 'stated';
  /** Last day in force (inclusive), or null while in force. */
  readonly to: string | null;
}

export interface Register {
  /** Stable id of the list, shared by all its versions, e.g. "mineco-328-O". */
  readonly id: string;
  /** 1, 2, 3... per id. */
  readonly version: number;
  /** Code of the owner (the state body); records are checked against the owner's register in force. */
  readonly owner: string;
  readonly order: {
    readonly number: string;
    readonly date: string;
    readonly titles: Names;
    readonly issuingBody: Names;
    readonly signedBy: Names;
    /** The legal basis of the order itself. */
    readonly basis: Names;
  };
  /** The person responsible for organising the processing (Art. 25) as named in the order. */
  readonly responsibleOfficial: { readonly name: Names; readonly position: Names };
  /** Entry into force: ten calendar days after the day of first official publication (order cl. 6). */
  readonly entryIntoForceRule: Names;
  readonly publication: Publication;
  readonly effective: EffectivePeriod;
  readonly task: { readonly code: string; readonly names: Names };
  /** The order's purpose clauses, literally (kk), in source order. */
  readonly purposeClauses: readonly { readonly number: number; readonly kk: string }[];
  readonly purposes: readonly Purpose[];
  readonly categories: readonly Category[];
  readonly legalActs: readonly LegalAct[];
  /** Which of `names.ru` / `names.en` are our rendering rather than official text. */
  readonly renderedLangs: readonly Lang[];
  /** What in the register is ours rather than the order's (codes, slugs, the purpose-to-act mapping, tiers). */
  readonly note?: string;
}
