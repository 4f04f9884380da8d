/**
 * The access report a data subject receives (Law 94-V, Art. 24): what the body holds about them, why, from where,
 * for how long, who processed it and who got it. Plain JSON data in one language; the HTML and PDF renderings show
 * exactly these entries. Codes (operations, request kinds, violation codes, source kinds) stay codes here: the
 * renderers translate them. Register names (categories, purposes, legal acts) are given in the report's language.
 * Field names are stable; a change of shape bumps `schemaVersion`.
 */

export type ReportLanguage = 'kk' | 'ru' | 'en';
export const REPORT_LANGUAGES: readonly ReportLanguage[] = ['kk', 'ru', 'en'];
export type ReportFormat = 'json' | 'html' | 'pdf';
export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'html', 'pdf'];

export const ACCESS_REPORT_SCHEMA = 'derbes/access-report' as const;
export const ACCESS_REPORT_SCHEMA_VERSION = 1 as const;

export type ReportOperation = 'collect' | 'access' | 'change' | 'transfer' | 'block' | 'unblock' | 'depersonalize' | 'destroy';
export type ReportRequestKind = 'information' | 'change' | 'blocking' | 'unblocking' | 'destruction' | 'consent-withdrawal';
export type ReportRequestStatus = 'open' | 'answered' | 'refused';

export interface NamedCategory {
  readonly number: number;
  readonly slug: string;
  readonly name: string;
}

export interface NamedPurpose {
  /** P01..P12, or OVERSIGHT / SUBJECT-RIGHTS for the ledger's own purposes. */
  readonly code: string;
  readonly name: string;
}

export interface NamedLegalAct {
  readonly code: string;
  readonly title: string;
}

export interface AccessReport {
  readonly schema: typeof ACCESS_REPORT_SCHEMA;
  readonly schemaVersion: typeof ACCESS_REPORT_SCHEMA_VERSION;
  readonly language: ReportLanguage;
  /** When the report was made (ISO UTC). */
  readonly generatedAt: string;
  /** Offset of the body's local time from UTC, in minutes, for showing dates (Kazakhstan: 300). */
  readonly utcOffsetMinutes: number;
  /** Who holds the data: the body and its responsible official, from the order in force when the report was made. */
  readonly holder: {
    readonly body: string;
    readonly responsibleOfficial: string;
    readonly order: { readonly number: string; readonly date: string; readonly title: string };
  };
  readonly subject: {
    /** The keyed pseudonym the ledger files them under. */
    readonly subjectId: string;
    /** First and last digits of the IIN only, e.g. `7**********8`; null when the ledger never saw the mask. */
    readonly maskedIin: string | null;
  };
  /** Per category the ledger has records of, in category order. */
  readonly categories: readonly {
    readonly category: NamedCategory;
    /** Whether the ledger knows the data to be held now (false after destruction or depersonalisation). */
    readonly held: boolean;
    readonly sources: readonly { readonly kind: 'subject' | 'state-database' | 'third-party'; readonly name: string | null }[];
    readonly purposes: readonly NamedPurpose[];
    readonly legalBases: readonly NamedLegalAct[];
    readonly firstCollectedAt: string | null;
    readonly lastChangedAt: string | null;
    readonly lastProcessedAt: string;
    readonly blockedAt: string | null;
    readonly destroyedAt: string | null;
    readonly depersonalizedAt: string | null;
  }[];
  /** Every processing of their data and every read of their file, oldest first (embargoed entries left out). */
  readonly events: readonly {
    readonly at: string;
    /** `read` is a read of their file through the ledger (history, inventory, this report). */
    readonly operation: ReportOperation | 'read';
    readonly categories: readonly NamedCategory[];
    readonly purpose: NamedPurpose;
    readonly unit: string;
    readonly role: string;
    /** The individual's id, only where configuration shows readers' names; otherwise null. */
    readonly actorId: string | null;
    /** The source system that reported it; null for reads through the ledger. */
    readonly system: string | null;
    /** The subject request this processing answered, if any. */
    readonly requestId: string | null;
    /** Violation codes flagged on this entry (empty when none). */
    readonly violations: readonly string[];
  }[];
  /** Every transfer to a third party, in Kazakhstan or abroad, oldest first. */
  readonly transfers: readonly {
    readonly at: string;
    readonly recipient: string;
    /** ISO 3166-1 alpha-2. */
    readonly country: string;
    readonly crossBorder: boolean;
    readonly categories: readonly NamedCategory[];
    readonly purpose: NamedPurpose;
    /** For a transfer abroad: `consent` or `treaty` and its reference, or null. */
    readonly ground: { readonly kind: string; readonly reference: string } | null;
  }[];
  /** The storage period that applies and its basis. */
  readonly retention: { readonly period: string; readonly basis: string; readonly verified: boolean };
  /** Their requests under Art. 24, open and past, newest first. */
  readonly requests: readonly {
    readonly requestId: string;
    readonly kind: ReportRequestKind;
    readonly channel: string;
    readonly receivedAt: string;
    /** The last working day to answer (local date YYYY-MM-DD). */
    readonly deadline: string;
    readonly status: ReportRequestStatus;
    readonly closedAt: string | null;
    readonly late: boolean;
    readonly workingDaysLate: number;
    readonly reasons: readonly string[];
  }[];
  /** Records on their data that the approved list did not allow, oldest first. */
  readonly violations: readonly {
    readonly at: string;
    readonly operation: ReportOperation;
    readonly categories: readonly NamedCategory[];
    readonly codes: readonly string[];
  }[];
  /** How many entries are withheld for now (an official investigation), or null where configuration does not tell. */
  readonly withheld: { readonly count: number } | null;
}
