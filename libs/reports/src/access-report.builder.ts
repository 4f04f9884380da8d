import {
  DEADLINE_COUNTING,
  DEFAULT_REQUEST_DEADLINES,
  REQUEST_KINDS,
  categoryStatusAt,
  evolve,
  initialSubjectState,
  isSubjectRightsRecord,
  localDate,
  type CategoryRef,
  type DeadlineFirstDay,
  type ProcessingRecordedData,
  type SubjectEvent,
  type SubjectState,
  upcastSubjectEvent,
} from '@derbes/ledger';
import { builtInSubjectRights, CodeNames, retentionFor, type CodeKind, type RegisterCatalog, type Register } from '@derbes/register';
import {
  ACCESS_REPORT_SCHEMA,
  ACCESS_REPORT_SCHEMA_VERSION,
  type AccessReport,
  type NamedCategory,
  type NamedLegalAct,
  type NamedPurpose,
  type ReportCodeNames,
  type ReportLanguage,
  type ReportRequestKind,
  type ReportRights,
} from './access-report.model';
import { countingInForce } from './counting-in-force';
import { citeLegalAct } from './legal-act-citation';
import { LEDGER_BASIS_TITLES, LEDGER_PURPOSE_NAMES } from './ledger-purposes';
import { formatDate } from './report-dates';
import { formatMessage } from './report-messages';
import { reportIntegrity, type ReportIntegrityInput } from './report-integrity';

// Checked when the ledger loads this module, at start-up: a bad field of the data file stops it, named.
const SUBJECT_RIGHTS = builtInSubjectRights(REQUEST_KINDS);
const BUILT_IN_NAMES = new CodeNames();

/** How the subject can use their rights, from the ledger's configuration. */
export interface HowToRequest {
  /** Working days to answer each kind of request: the request desk's own setting (DERBES_REQUEST_DEADLINES). */
  readonly deadlines: Readonly<Record<ReportRequestKind, number>>;
  /** Where the deadlines' working days start: the request desk's own rule (DERBES_DEADLINE_FIRST_DAY, else the data's). */
  readonly firstDay: DeadlineFirstDay;
  /** Where to send a request (DERBES_REQUESTS_CONTACT); null: to the responsible official. */
  readonly contact: string | null;
}

/** The texts of a subject's events that the report shows and that may be sealed with their data key. */
export type ReportSealedField = 'source.name' | 'recipient.name' | 'transferGround.reference' | 'reasons';

/**
 * Opens a text of the subject's events: the text (a plain one comes back as it is), or when its key was destroyed
 * (`destroyedOn` null: the key is not available at all). The report then says "destroyed on <date>" in its place.
 */
export type UnsealText = (subjectId: string, field: ReportSealedField, value: string) => string | { readonly destroyedOn: string | null };

/** A subject event in its current shape, with the id of the stored event it was read from. */
export type IdentifiedSubjectEvent = SubjectEvent & { readonly id: string };

/** Stored events of a subject's stream as the builder takes them, upcast; types this build does not know are left out. */
export function identifiedEvents(
  stored: readonly { readonly id: string; readonly type: string; readonly data: object; readonly metadata: object }[],
): IdentifiedSubjectEvent[] {
  const events: IdentifiedSubjectEvent[] = [];
  for (const e of stored) {
    const event = upcastSubjectEvent(e.type, e.data as never, e.metadata as never);
    if (event) events.push({ ...event, id: e.id });
  }
  return events;
}

export interface AccessReportInput {
  readonly subjectId: string;
  /** The subject's events in stream order, in their current shape. */
  readonly events: readonly IdentifiedSubjectEvent[];
  readonly catalog: RegisterCatalog;
  readonly owner: string;
  readonly language: ReportLanguage;
  readonly now: Date;
  readonly utcOffsetMinutes: number;
  /** Name the individuals who processed the data (configuration); otherwise unit and role only. */
  readonly showActors: boolean;
  /** Tell that withheld entries exist, and how many (configuration). */
  readonly showWithheld: boolean;
  /** The requests' deadlines and contact the report's rights section gives. */
  readonly howToRequest: HowToRequest;
  /** Names of units, roles and systems (the ledger's own and DERBES_NAMES_FILE); without it, the ledger's own only. */
  readonly names?: CodeNames;
  /** Opens sealed texts (never stored opened: the report is built when asked). */
  readonly unseal: UnsealText;
  /** The stream as stored, the head and the proof for the `integrity` section; without it the section is null. */
  readonly integrity?: ReportIntegrityInput | null;
  /**
   * Whether a collect after a destruction or depersonalization starts the category anew (categoryStatusAt): true for
   * every report made now; false only to check a report of schema version 3 or older, made with the former rule.
   */
  readonly collectStartsAnew?: boolean;
  /**
   * Whether a category only the ledger's own records of carrying out the subject's requests name is shown held: null
   * (not known). False for every report made now; true only to check a report of schema version 5 or older, which
   * showed it held.
   */
  readonly requestRecordsTellHeld?: boolean;
}

/**
 * Whether the subject's report withholds the event for now (an embargo until a later local date than `today`).
 * The builder and whoever picks the last event a report covers decide with this one rule.
 */
export function isWithheld(event: SubjectEvent, today: string): boolean {
  return event.type === 'ProcessingRecorded' && event.data.embargoUntil !== null && event.data.embargoUntil > today;
}

/**
 * The numbers of the categories a report made of `events` on local date `today` lists (its `categories` section): those
 * of every processing record it shows. Without building the report: what its own read records that it reads.
 */
export function reportedCategoryNumbers(events: readonly SubjectEvent[], today: string): number[] {
  const numbers = new Set<number>();
  for (const event of events) {
    if (event.type !== 'ProcessingRecorded' || isWithheld(event, today)) continue;
    for (const ref of event.data.categories) numbers.add(ref.number);
  }
  return [...numbers].sort((a, b) => a - b);
}

type Category = AccessReport['categories'][number];
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The subject's access report from their own stream: one pass over their events, with what an embargo withholds
 * left out until its date. Pure: everything it needs is in the input.
 */
export function buildAccessReport(input: AccessReportInput): AccessReport {
  const { language: lang, catalog, owner } = input;
  const today = localDate(input.now, input.utcOffsetMinutes);
  const holderRegister = catalog.inForce(owner, input.now) ?? catalog.all().filter((r) => r.owner === owner).at(-1);
  if (!holderRegister) throw new Error(`no register of owner ${owner}: the report cannot name the holder`);
  const registerOf = (data: ProcessingRecordedData): Register =>
    (data.register && catalog.byIdVersion(data.register.id, data.register.version)) || holderRegister;
  const nameCategory = (ref: CategoryRef, register: Register): NamedCategory => ({
    number: ref.number, slug: ref.slug, name: register.categories.find((c) => c.number === ref.number)?.names[lang] ?? ref.slug,
  });
  const namePurpose = (code: string, register: Register): NamedPurpose => ({
    code, name: LEDGER_PURPOSE_NAMES[code]?.[lang] ?? register.purposes.find((p) => p.code === code)?.names[lang] ?? code,
  });
  const nameLegalAct = (code: string, register: Register): NamedLegalAct => {
    const ledgers = LEDGER_BASIS_TITLES[code]?.[lang];
    if (ledgers !== undefined) return { code, title: ledgers, citation: ledgers };
    const act = register.legalActs.find((a) => a.code === code);
    return act ? { code, title: act.titles[lang], citation: citeLegalAct(act, lang) } : { code, title: code, citation: code };
  };
  const actorId = (id: string): string | null => (input.showActors ? id : null);
  const text = (field: ReportSealedField, value: string): string => {
    const opened = input.unseal(input.subjectId, field, value);
    if (typeof opened === 'string') return opened;
    return opened.destroyedOn === null
      ? formatMessage(lang, 'value.unreadable')
      : formatMessage(lang, 'value.destroyedOn', { date: formatDate(opened.destroyedOn, lang, input.utcOffsetMinutes) });
  };

  let state: SubjectState = initialSubjectState;
  const withheldIds = new Set<string>();
  let maskedIin: string | null = null;
  const categories = new Map<number, CategoryEntry>();
  const events: Mutable<AccessReport['events'][number]>[] = [];
  const transfers: AccessReport['transfers'][number][] = [];
  const violations: AccessReport['violations'][number][] = [];
  const requests = new Map<string, Mutable<AccessReport['requests'][number]>>();

  for (const event of input.events) {
    switch (event.type) {
      case 'ProcessingRecorded': {
        const d = event.data;
        maskedIin = d.subjectMask ?? maskedIin;
        if (isWithheld(event, today)) {
          withheldIds.add(event.id);
          continue;
        }
        state = evolve(state, event);
        const register = registerOf(d);
        const named = d.categories.map((c) => nameCategory(c, register));
        const purpose = namePurpose(d.purpose.code, register);
        const source = d.source && { kind: d.source.kind, name: d.source.name === undefined ? null : text('source.name', d.source.name) };
        for (const ref of d.categories) {
          const entry = categories.get(ref.number) ?? newCategory(nameCategory(ref, register), d.occurredAt);
          categories.set(ref.number, entry);
          noteProcessing(entry, d, register, source);
        }
        events.push({
          eventId: event.id, at: d.occurredAt, operation: d.operation, categories: named, purpose, unit: d.actor.unit, role: d.actor.role,
          actorId: actorId(d.actor.id), system: d.system, requestId: d.requestId, violations: d.violations.map((v) => v.code),
        });
        if (d.operation === 'transfer' && d.recipient) {
          transfers.push({
            eventId: event.id, at: d.occurredAt, recipient: text('recipient.name', d.recipient.name), country: d.recipient.country, crossBorder: d.crossBorder,
            categories: named, purpose,
            ground: d.transferGround ? { kind: d.transferGround.kind, reference: text('transferGround.reference', d.transferGround.reference) } : null,
          });
        }
        if (d.violations.length > 0) {
          const reasons = d.violations.map((v) => ({ code: v.code, category: v.category ?? null, since: v.since ?? null }));
          violations.push({ eventId: event.id, at: d.occurredAt, operation: d.operation, categories: named, reasons });
        }
        break;
      }
      case 'SubjectFileRead': {
        const d = event.data;
        events.push({
          eventId: event.id, at: d.occurredAt, operation: 'read', categories: d.categories.map((c) => nameCategory(c, holderRegister)),
          purpose: namePurpose(d.purpose.code, holderRegister), unit: d.actor.unit, role: d.actor.role,
          actorId: actorId(d.actor.id), system: null, requestId: null, violations: [],
        });
        break;
      }
      case 'SubjectRequestReceived': {
        const d = event.data;
        maskedIin = d.subjectMask;
        requests.set(d.requestId, {
          requestId: d.requestId, eventIds: [event.id], kind: d.kind, channel: d.channel, receivedAt: d.receivedAt, deadline: d.deadline.date,
          deadlineCoverage: d.deadline.coverage, status: 'open', closedAt: null, late: false, workingDaysLate: 0, reasons: [],
        });
        break;
      }
      case 'SubjectRequestRetimed': {
        const request = requests.get(event.data.requestId);
        if (request) {
          request.deadline = event.data.deadline.date;
          request.deadlineCoverage = event.data.deadline.coverage;
          request.eventIds = [...request.eventIds, event.id];
        }
        break;
      }
      case 'SubjectDataKeyDestroyed':
        // Shows where it matters: each text it made unreadable says "destroyed on <date>".
        break;
      case 'SubjectRequestAnswered':
      case 'SubjectRequestRefused': {
        const d = event.data;
        const request = requests.get(d.requestId);
        if (!request) break;
        const refused = event.type === 'SubjectRequestRefused';
        Object.assign(request, {
          eventIds: [...request.eventIds, event.id], status: refused ? 'refused' : 'answered', closedAt: refused ? event.data.refusedAt : event.data.answeredAt,
          late: d.late, workingDaysLate: d.workingDaysLate, reasons: refused ? event.data.reasons.map((reason) => text('reasons', reason)) : [],
        });
        break;
      }
      default: {
        const unknown: never = event;
        throw new Error(`unknown subject event ${String((unknown as { type: string }).type)}`);
      }
    }
  }

  const byTime = <T extends { at: string }>(a: T, b: T): number => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);
  const retention = retentionFor(owner);
  return {
    schema: ACCESS_REPORT_SCHEMA,
    schemaVersion: ACCESS_REPORT_SCHEMA_VERSION,
    language: lang,
    generatedAt: input.now.toISOString(),
    utcOffsetMinutes: input.utcOffsetMinutes,
    holder: {
      body: holderRegister.order.issuingBody[lang],
      // As the order names them: the person, then the position (the position alone would not say who answers).
      responsibleOfficial: `${holderRegister.responsibleOfficial.name[lang]}, ${holderRegister.responsibleOfficial.position[lang]}`,
      order: { number: holderRegister.order.number, date: holderRegister.order.date, title: holderRegister.order.titles[lang] },
    },
    subject: { subjectId: input.subjectId, maskedIin },
    categories: [...categories.values()].sort((a, b) => a.category.number - b.category.number).map(({ purposeCodes, basisCodes, emitted, ...entry }) => {
      const status = categoryStatusAt(state.categories.get(entry.category.number), undefined, input.collectStartsAnew ?? true);
      return {
        ...entry,
        held: emitted || input.requestRecordsTellHeld === true ? entry.held : null,
        purposes: [...purposeCodes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, register]) => namePurpose(code, register)),
        legalBases: distinctActs([...basisCodes.values()].map(({ code, register }) => nameLegalAct(code, register))),
        blockedAt: status.blockedAt,
        destroyedAt: status.destroyedAt,
        depersonalizedAt: status.depersonalizedAt,
      };
    }),
    events: events.sort(byTime),
    names: namesOf(events, input.names ?? BUILT_IN_NAMES, lang),
    transfers: transfers.sort(byTime),
    retention: retention
      ? { period: retention.period[lang], basis: retention.basis[lang], verified: retention.verified }
      : { period: '', basis: '', verified: false },
    rights: rightsSection(input.howToRequest, lang),
    requests: [...requests.values()].sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0)),
    violations: violations.sort(byTime),
    withheld: input.showWithheld ? { count: withheldIds.size } : null,
    integrity: input.integrity ? reportIntegrity(input.integrity, withheldIds) : null,
    // Signed by the ledger once built (signReport, with its key): the builder holds none.
    signature: null,
  };
}

/** The names of the codes the rows give, each once, in code order; a code without a name is left out. */
function namesOf(events: readonly AccessReport['events'][number][], names: CodeNames, lang: ReportLanguage): ReportCodeNames {
  const of = (kind: CodeKind, codes: readonly (string | null)[]): Record<string, string> => {
    const named: [string, string][] = [];
    for (const code of new Set(codes)) {
      const name = code === null ? null : names.name(kind, code, lang);
      if (code !== null && name !== null) named.push([code, name]);
    }
    return Object.fromEntries(named.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  };
  return { units: of('units', events.map((e) => e.unit)), roles: of('roles', events.map((e) => e.role)), systems: of('systems', events.map((e) => e.system)) };
}

function rightsSection(how: HowToRequest, lang: ReportLanguage): ReportRights {
  return {
    items: SUBJECT_RIGHTS.map((right) => ({
      code: right.code, text: right.text[lang], citation: right.citation[lang], verified: right.verified,
      requests: right.requests as ReportRequestKind[],
    })),
    deadlines: REQUEST_KINDS.map((kind) => deadlineOf(kind, how.deadlines[kind])),
    counting: countingInForce(DEADLINE_COUNTING, how.firstDay, lang),
    contact: how.contact,
  };
}

/**
 * A deadline with whose it is. Configuration gives only the lengths: one equal to the default is the default, with its
 * basis (the same number says the same thing); another is the holder's, which nobody checked against the law.
 */
function deadlineOf(kind: ReportRequestKind, workingDays: number): ReportRights['deadlines'][number] {
  const rule = DEFAULT_REQUEST_DEADLINES[kind];
  if (workingDays !== rule.workingDays) return { kind, workingDays, basis: 'configured', verified: false };
  return { kind, workingDays, basis: rule.source === 'law' ? 'law' : 'ledger-default', verified: rule.verified };
}

/**
 * A category as the report is being made: besides what it shows, the purposes and legal bases of its records, each
 * with the register the record was checked against, which names it (a later version may retitle an act, or give its
 * code to another; an act the current register no longer has is still named).
 */
type CategoryEntry = Mutable<Category> & {
  purposeCodes: Map<string, Register>;
  /** By code and register (id and version): the same code may name another act in another version. */
  basisCodes: Map<string, { readonly code: string; readonly register: Register }>;
  /**
   * Whether a record of an emitting system names the category. The ledger's own record of carrying out the subject's
   * request (a blocking they asked for, say) tells only that they asked, not that the body holds such data of theirs.
   */
  emitted: boolean;
};

/** The acts by code, then citation, each once: the same act cited under two versions of the register is one basis. */
function distinctActs(acts: readonly NamedLegalAct[]): NamedLegalAct[] {
  const seen = new Map<string, NamedLegalAct>();
  for (const act of acts) seen.set(`${act.code}\u0000${act.citation}`, act);
  const order = (a: NamedLegalAct, b: NamedLegalAct) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.citation < b.citation ? -1 : a.citation > b.citation ? 1 : 0);
  return [...seen.values()].sort(order);
}

function newCategory(category: NamedCategory, at: string): CategoryEntry {
  return {
    category, held: true, sources: [], purposes: [], legalBases: [], firstCollectedAt: null, lastChangedAt: null,
    lastProcessedAt: at, blockedAt: null, destroyedAt: null, depersonalizedAt: null, purposeCodes: new Map(), basisCodes: new Map(),
    emitted: false,
  };
}

/**
 * What one visible record tells about one category; `held` follows the latest record in time (shown only once an
 * emitting system's record names the category: see `emitted`). `source` is the
 * record's source with its name opened, so that the same source named in two records is listed once.
 */
function noteProcessing(
  entry: CategoryEntry,
  d: ProcessingRecordedData,
  register: Register,
  source: Category['sources'][number] | null,
): void {
  // The latest record with the purpose names it; every act cited is named by the register its record was checked against.
  entry.purposeCodes.set(d.purpose.code, register);
  if (!isSubjectRightsRecord(d)) entry.emitted = true;
  for (const code of d.legalBasis) entry.basisCodes.set(`${code}\u0000${register.id}\u0000${register.version}`, { code, register });
  if (d.operation === 'collect') {
    if (entry.firstCollectedAt === null || d.occurredAt < entry.firstCollectedAt) entry.firstCollectedAt = d.occurredAt;
    if (source && !entry.sources.some((s) => s.kind === source.kind && s.name === source.name)) {
      entry.sources = [...entry.sources, source];
    }
  }
  if (d.operation === 'change' && (entry.lastChangedAt === null || d.occurredAt > entry.lastChangedAt)) entry.lastChangedAt = d.occurredAt;
  if (d.occurredAt >= entry.lastProcessedAt) {
    entry.lastProcessedAt = d.occurredAt;
    entry.held = d.operation !== 'destroy' && d.operation !== 'depersonalize';
  }
}
