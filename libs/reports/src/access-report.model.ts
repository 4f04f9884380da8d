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
/**
 * 2: rows carry the ids of their events, and the report carries its `integrity` section. 3: the report's own read is
 * recorded before it is made and ends its chain (`integrity.readEventId`), so that no newer entry can be left out.
 * 4: a category collected again after its destruction starts anew. 5: each shown event before a withheld entry
 * carries its own inclusion proof (`integrity.chain[].inclusion`); legal bases carry a `citation`, requests their
 * `deadlineCoverage`. 6: a violations row gives each reason with the category it concerns and, for a state reason,
 * since when (`reasons`), instead of bare `codes` beside all the record's categories; the JSON report is signed as a
 * whole by the ledger (`signature`); it tells the subject their rights and how to use them (`rights`); a category only
 * the ledger's own records of carrying out the subject's requests name is `held: null` (not known), not true; the
 * report names the units, roles and systems its rows give as codes (`names`).
 */
export const ACCESS_REPORT_SCHEMA_VERSION = 6 as const;

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
  /** The act as a person can look it up: kind, date, number, title, state registration (legal-act-citation.ts). */
  readonly citation: string;
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
    /**
     * Whether the ledger knows the data to be held now: false after destruction or depersonalisation; null (not known)
     * when only the ledger's own records of carrying out the subject's requests name the category (a blocking they
     * asked for of data no record shows collected or processed).
     */
    readonly held: boolean | null;
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
    /** The event this row shows (its chain entry in `integrity.chain`). */
    readonly eventId: string;
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
  /**
   * v6: the name, in the report's language, of each unit, role and system code the rows of `events` give, where the
   * ledger has one (its own codes, and the operator's names file DERBES_NAMES_FILE); a code without one is left out
   * and shown as it is. Only codes that occur in the report.
   */
  readonly names: ReportCodeNames;
  /** Every transfer to a third party, in Kazakhstan or abroad, oldest first. */
  readonly transfers: readonly {
    readonly eventId: string;
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
  /** v6: their rights under Art. 24 and how to use them: the requests the ledger takes, their deadlines, where to send one. */
  readonly rights: ReportRights;
  /** Their requests under Art. 24, open and past, newest first. */
  readonly requests: readonly {
    readonly requestId: string;
    /** The events of the request (received, re-timed, answered or refused), in stream order. */
    readonly eventIds: readonly string[];
    readonly kind: ReportRequestKind;
    readonly channel: string;
    readonly receivedAt: string;
    /** The last working day to answer (local date YYYY-MM-DD). */
    readonly deadline: string;
    /** How sure that is: the weakest coverage of the calendar years counted (not-covered: Monday to Friday assumed). */
    readonly deadlineCoverage: 'verified' | 'projected' | 'not-covered';
    readonly status: ReportRequestStatus;
    readonly closedAt: string | null;
    readonly late: boolean;
    readonly workingDaysLate: number;
    readonly reasons: readonly string[];
  }[];
  /** Records on their data that the approved list did not allow, oldest first. */
  readonly violations: readonly {
    readonly eventId: string;
    readonly at: string;
    readonly operation: ReportOperation;
    /** All the categories of the record; which of them a reason concerns is its own `category`. */
    readonly categories: readonly NamedCategory[];
    /** v6: each reason as recorded, in order (v5 and before: `codes`, each once). */
    readonly reasons: readonly ViolationReason[];
  }[];
  /** How many entries are withheld for now (an official investigation), or null where configuration does not tell. */
  readonly withheld: { readonly count: number } | null;
  /**
   * What makes an entry recorded before the report was made, left out or altered, detectable
   * (libs/integrity/VERIFY-REPORT.md): a signed tree head, the subject's chain from their first event to the report's
   * own read, and the inclusion proof of that read in the head's tree. Null only when the ledger could not give a
   * proof when the report was made (no process kept its integrity log up to date, or a replica that does not sign
   * saw no head cover the read in time).
   */
  readonly integrity: ReportIntegrity | null;
  /**
   * The ledger's Ed25519 signature of this JSON report: `value` (128 hex digits) over `derbes-access-report-v6\n`
   * followed by the canonical JSON of the report without this member, with the key `keyId` (the current tree-head
   * key, published at GET /v1/integrity/keys). Null when the report carries no integrity section or was made by a
   * replica that holds no signing key (DERBES_TREE_HEAD_SIGNER=off). Only the JSON form is signed.
   */
  readonly signature: { readonly keyId: string; readonly value: string } | null;
}

/**
 * The subject's rights, each as libs/register/src/data/subject-rights.json gives it (verified or from memory), and how
 * to use them: the request kinds with the working days to answer that the request desk applies, and a contact.
 */
/** Whose a deadline of the rights section is: the law's, this ledger's own default, or the holder's setting. */
export type ReportDeadlineBasis = 'law' | 'ledger-default' | 'configured';

export interface ReportRights {
  readonly items: readonly {
    readonly code: string;
    /** The right in plain words, in the report's language. */
    readonly text: string;
    readonly citation: string;
    /** Whether the right and its citation were checked against a published source. */
    readonly verified: boolean;
    /** The kinds of request that use it; empty when it has none of its own. */
    readonly requests: readonly ReportRequestKind[];
  }[];
  /**
   * Every kind of request the ledger takes, with the working days to answer it (DERBES_REQUEST_DEADLINES) and whose
   * number that is: `law` and `ledger-default` are the defaults of request-deadline-defaults.json (the law's, or this
   * product's own where it takes none from the law), `configured` a length the holder set. `verified`: the default was
   * checked against a published source; a configured length never is.
   */
  readonly deadlines: readonly {
    readonly kind: ReportRequestKind;
    readonly workingDays: number;
    readonly basis: ReportDeadlineBasis;
    readonly verified: boolean;
  }[];
  /** How the working days are counted, in the report's language (request-deadline-defaults.json), and whether verified. */
  readonly counting: { readonly text: string; readonly verified: boolean };
  /** Where to send a request (DERBES_REQUESTS_CONTACT); null: to the responsible official named in `holder`. */
  readonly contact: string | null;
}

/** Names of the codes of the report's rows, in its language, by kind of code: code -> name. */
export interface ReportCodeNames {
  readonly units: Readonly<Record<string, string>>;
  readonly roles: Readonly<Record<string, string>>;
  readonly systems: Readonly<Record<string, string>>;
}

/** One reason a record was flagged. */
export interface ViolationReason {
  readonly code: string;
  /**
   * The number of the one category of the record the rule is about (not in the register, purpose not approved for
   * it, destroyed, depersonalized, blocked); null for a rule about the record as a whole (no register in force, purpose
   * not in the register, transfer abroad without a ground), which concerns all its categories.
   */
  readonly category: number | null;
  /** For a state reason: when the category was destroyed, depersonalized or blocked; null otherwise or where not known. */
  readonly since: string | null;
}

/** An event as the store holds it: the eight fields of CANONICAL.md section 2. */
export interface ReportStoredEvent {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly data: { readonly [key: string]: unknown };
  readonly metadata: { readonly [key: string]: unknown };
  readonly created: string;
}

/** One event of the subject's chain. */
export interface ReportChainEntry {
  readonly position: number;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  /** The event's `metadata.previousHash`; absent for events written before the chain existed (the unchained prefix). */
  readonly previousHash?: string | null;
  /** CANONICAL.md section 4. */
  readonly chainHash: string;
  /** Withheld from the subject for now (an embargo): listed with its hashes only. */
  readonly withheld: boolean;
  /** The event as stored (sealed texts sealed), so that its chain hash can be recomputed; null when withheld. */
  readonly event: ReportStoredEvent | null;
  /**
   * For a shown event before a withheld one: its own RFC 9162 inclusion proof in the head's tree (leaf index = its
   * position - 1). A withheld entry's link to the entry before cannot be recomputed, so the chain alone does not bind
   * what comes before it; each such event is proven in the signed tree instead. Absent otherwise.
   */
  readonly inclusion?: { readonly leafIndex: number; readonly proof: readonly string[] };
}

export type TreeHeadSource = 'latest' | 'signed-for-report';

export interface ReportIntegrity {
  /** `latest`: the latest signed head already covered the last event; `signed-for-report`: one was signed for this report. */
  readonly treeHeadSource: TreeHeadSource;
  /** The signed tree head (CANONICAL.md section 5) and the log position of its own TreeHeadSigned event. */
  readonly treeHead: {
    readonly treeSize: number;
    readonly rootHash: string;
    readonly timestamp: string;
    readonly keyId: string;
    readonly signature: string;
    readonly position: number;
  };
  /**
   * The id of the SubjectFileRead event that records this report's making: recorded before the report was made, at
   * `generatedAt`, it is the last entry of `chain`. Every event of the subject recorded before it is in the chain.
   */
  readonly readEventId: string;
  /** The subject's events from revision 0 to this report's own read (`readEventId`), in revision order. */
  readonly chain: readonly ReportChainEntry[];
  /** RFC 9162 inclusion proof of the last chain entry, the report's own read (leaf index = its position - 1), in the head's tree. */
  readonly inclusion: {
    readonly eventId: string;
    readonly leafIndex: number;
    readonly treeSize: number;
    readonly leafHash: string;
    readonly proof: readonly string[];
  };
}
