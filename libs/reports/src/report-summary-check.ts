import { DEADLINE_COUNTING, DEFAULT_REQUEST_DEADLINES, REQUEST_KINDS } from '@derbes/ledger';
import type { RegisterCatalog } from '@derbes/register';
import { buildAccessReport, identifiedEvents } from './access-report.builder';
import { REPORT_LANGUAGES, type AccessReport, type ReportLanguage } from './access-report.model';

/** Where a report's derived sections differ from the same sections made again from its own chain. */
export interface SummaryDifference {
  readonly field: string;
  readonly shown: string;
  readonly recomputed: string;
}

export type SummaryCheck =
  | { readonly checked: true; readonly difference: SummaryDifference | null }
  | { readonly checked: false; readonly reason: string };

type Loose = Record<string, unknown>;

const DEFAULT_DEADLINE_DAYS = Object.fromEntries(REQUEST_KINDS.map((kind) => [kind, DEFAULT_REQUEST_DEADLINES[kind].workingDays])) as Record<(typeof REQUEST_KINDS)[number], number>;
type Section = AccessReport['categories'][number];

/**
 * verify-report's last step, after verifyReport has passed (every shown event's stored form and every row checked):
 * the sections no single event records, made again with the builder itself from the chain's shown events and
 * compared by number, code and instant, never by the register's words. Each category's state (held, sources,
 * purposes, legal bases, first collected, last changed and processed, blocked, destroyed, depersonalized) and the
 * withheld count. A sealed source name is not compared (it cannot be opened here). The register is the one the
 * shown events were checked against (their stored form names it, and the chain covers that): the order `holder`
 * names, which nothing signs, must be theirs. Not checked when this build holds no such register, nor, when no
 * shown event names one, a register of the order `holder` names.
 */
export function checkReportSummary(report: Loose, catalog: RegisterCatalog): SummaryCheck {
  const chain = ((report.integrity as Loose).chain as Loose[]);
  const events = identifiedEvents(chain.filter((entry) => entry.withheld !== true).map((entry) => entry.event as { id: string; type: string; data: Loose; metadata: Loose }));
  const holder = (report.holder as { order?: { number?: unknown } } | undefined)?.order?.number;
  const named = events.flatMap((e) => {
    const register = (e.data as unknown as Loose).register as { id?: unknown; version?: unknown; order?: unknown } | null | undefined;
    return typeof register?.id === 'string' ? [{ id: register.id, version: Number(register.version), order: String(register.order) }] : [];
  });
  const orders = [...new Set(named.map((r) => r.order))];
  if (orders.length > 0 && !orders.includes(holder as string)) {
    return { checked: true, difference: { field: 'holder.order.number', shown: JSON.stringify(holder), recomputed: `the order its events were checked against: ${orders.join(', ')}` } };
  }
  const held = (r: { id: string; version: number }) => catalog.all().find((c) => c.id === r.id && c.version === r.version);
  const missing = [...new Set(named.filter((r) => !held(r)).map((r) => `${r.id} v${r.version} (order ${r.order})`))];
  if (missing.length > 0) return { checked: false, reason: `this build holds no register ${missing.join(', ')}, which the report's events were checked against` };
  const register = named.length > 0 ? held(named[0]!) : catalog.all().find((r) => r.order.number === holder);
  if (!register) return { checked: false, reason: `this build holds no register of order ${JSON.stringify(holder)}, the report's holder` };
  const language = report.language as ReportLanguage;
  const now = new Date(String(report.generatedAt));
  const offset = report.utcOffsetMinutes;
  if (!REPORT_LANGUAGES.includes(language) || Number.isNaN(now.getTime()) || typeof offset !== 'number' || !Number.isInteger(offset)) {
    return malformed('language, generatedAt or utcOffsetMinutes', 'is not what a report holds');
  }
  if (!Array.isArray(report.categories)) return malformed('categories', 'is not a list');
  const again = buildAccessReport({
    subjectId: String((report.subject as Loose).subjectId), events, catalog, owner: register.owner, language, now, utcOffsetMinutes: offset,
    showActors: false, showWithheld: true, unseal: (_subjectId, _field, value) => value, integrity: null,
    // Not compared: the rights section is the ledger's data and configuration, which only the signature binds.
    howToRequest: { deadlines: DEFAULT_DEADLINE_DAYS, firstDay: DEADLINE_COUNTING.firstDay, contact: null },
    // Version 4 reports show a category collected again after its destruction as neither destroyed nor depersonalized.
    collectStartsAnew: typeof report.schemaVersion === 'number' && report.schemaVersion >= 4,
    // Before version 6 a category only the ledger's own records of the subject's requests named was shown held.
    requestRecordsTellHeld: !(typeof report.schemaVersion === 'number' && report.schemaVersion >= 6),
  });
  try {
    return { checked: true, difference: categoriesDifference(report.categories as Section[], again.categories) ?? withheldDifference(report, chain) };
  } catch (error) {
    // A category of another shape than a report's (a member missing or of another type).
    if (error instanceof TypeError) return malformed('categories', `is not of a report's shape (${error.message})`);
    throw error;
  }
}

function malformed(field: string, why: string): SummaryCheck {
  return { checked: true, difference: { field, shown: `something that ${why}`, recomputed: "a report's section" } };
}

function categoriesDifference(shown: readonly Section[], recomputed: readonly Section[]): SummaryDifference | null {
  const numbers = (sections: readonly Section[]) => sections.map((s) => s.category.number).join(', ');
  if (numbers(shown) !== numbers(recomputed)) {
    return { field: 'categories', shown: `categories ${numbers(shown)}`, recomputed: `categories ${numbers(recomputed)}` };
  }
  for (const [i, mine] of recomputed.entries()) {
    const theirs = shown[i]!;
    const facts: Record<string, [unknown, unknown]> = {
      held: [theirs.held, mine.held],
      purposes: [theirs.purposes.map((p) => p.code), mine.purposes.map((p) => p.code)],
      // Codes once each: a report made before acts were named by each record's register listed a code once.
      legalBases: [[...new Set(theirs.legalBases.map((b) => b.code))], [...new Set(mine.legalBases.map((b) => b.code))]],
      firstCollectedAt: [theirs.firstCollectedAt, mine.firstCollectedAt],
      lastChangedAt: [theirs.lastChangedAt, mine.lastChangedAt],
      lastProcessedAt: [theirs.lastProcessedAt, mine.lastProcessedAt],
      blockedAt: [theirs.blockedAt, mine.blockedAt],
      destroyedAt: [theirs.destroyedAt, mine.destroyedAt],
      depersonalizedAt: [theirs.depersonalizedAt, mine.depersonalizedAt],
    };
    for (const [field, [a, b]] of Object.entries(facts)) {
      if (JSON.stringify(a) !== JSON.stringify(b)) return { field: `categories[${i}].${field}`, shown: JSON.stringify(a), recomputed: JSON.stringify(b) };
    }
    if (sourcesDiffer(theirs.sources, mine.sources)) {
      return { field: `categories[${i}].sources`, shown: JSON.stringify(theirs.sources.map(sourceKey)), recomputed: JSON.stringify(mine.sources.map(sourceKey)) };
    }
  }
  return null;
}

type Source = Section['sources'][number];
const sourceKey = (s: Source): string => `${s.kind}:${s.name ?? ''}`;
const isSealed = (s: Source): boolean => s.name?.startsWith('sealed:') === true;

/**
 * Whether the shown sources are not those of the events. Every plain source must be listed. A name the events hold
 * sealed cannot be opened here, and the report lists a name once however many sealed copies of it there are: of a
 * kind with sealed names, the kind must be listed, and the shown names of it beyond the plain ones are taken as
 * their openings, at most one per distinct sealed name. Of a kind without, no other name may be shown.
 */
function sourcesDiffer(shown: readonly Source[], recomputed: readonly Source[]): boolean {
  const plain = new Set(recomputed.filter((s) => !isSealed(s)).map(sourceKey));
  const listed = new Set(shown.map(sourceKey));
  if ([...plain].some((key) => !listed.has(key))) return true;
  const distinct = (sources: readonly Source[], kind: string) => new Set(sources.filter((s) => s.kind === kind).map(sourceKey)).size;
  return [...new Set([...shown, ...recomputed].map((s) => s.kind))].some((kind) => {
    const sealed = distinct(recomputed.filter(isSealed), kind);
    const opened = distinct(shown.filter((s) => !plain.has(sourceKey(s))), kind);
    return opened > sealed || (sealed > 0 && distinct(shown, kind) === 0);
  });
}

function withheldDifference(report: Loose, chain: readonly Loose[]): SummaryDifference | null {
  const withheld = report.withheld as { count?: unknown } | null;
  const count = chain.filter((e) => e.withheld === true).length;
  if (withheld !== null && withheld?.count !== count) {
    return { field: 'withheld.count', shown: JSON.stringify(withheld?.count), recomputed: `${count} (the chain's withheld entries)` };
  }
  return null;
}
