import type { AccessReport, NamedCategory, NamedPurpose, ReportLanguage, ViolationReason } from './access-report.model';
import { formatDate, formatDateTime, formatUtcOffset } from './report-dates';
import { codeLabel, formatMessage, REPORT_MESSAGES, type MessageKey } from './report-messages';

export type ReportSectionId =
  | 'holder'
  | 'subject'
  | 'categories'
  | 'events'
  | 'transfers'
  | 'retention'
  | 'rights'
  | 'howToRequest'
  | 'requests'
  | 'violations'
  | 'withheld'
  | 'integrity';

/**
 * One section of the report as display strings, the single source of what both renderers show.
 * - `table`: one row per entry under the column heads.
 * - `fields`: a single record; the columns are its labels, shown beside the values.
 * - `records`: several records shown as `fields`, each titled by its first cell.
 * A cell may hold several lines, separated by `\n`.
 */
export interface ReportSection {
  readonly id: ReportSectionId;
  readonly title: string;
  readonly layout: 'table' | 'fields' | 'records';
  readonly columns: readonly string[];
  /** Relative column widths: a layout hint for tables, one per column. */
  readonly widths: readonly number[];
  /** Per column: whether its lines should not be wrapped (dates and times), a layout hint. */
  readonly nowrap: readonly boolean[];
  readonly rows: readonly (readonly string[])[];
  /** What to show when there are no rows. */
  readonly empty: string;
}

/** What comes before the sections: title, lead, when made, the time zone, and notices. */
export interface ReportHeader {
  readonly language: ReportLanguage;
  readonly title: string;
  readonly lead: string;
  readonly generatedAt: string;
  readonly timeZone: string;
  readonly notices: readonly string[];
}

/** Columns of dates and times, kept on one line where the page allows. */
const NOWRAP: ReadonlySet<MessageKey> = new Set<MessageKey>(['col.at', 'col.receivedAt', 'col.deadline', 'col.closedAt']);

/** Shown in a table cell that has nothing in it; the same in every language. */
export const EMPTY_CELL = '—';

export function reportHeader(report: AccessReport): ReportHeader {
  const lang = report.language;
  const count = report.withheld?.count ?? 0;
  return {
    language: lang,
    title: REPORT_MESSAGES[lang].title,
    lead: REPORT_MESSAGES[lang].lead,
    generatedAt: formatMessage(lang, 'generatedAt', { at: formatDateTime(report.generatedAt, lang, report.utcOffsetMinutes) }),
    timeZone: formatMessage(lang, 'timeZone', { offset: formatUtcOffset(report.utcOffsetMinutes) }),
    notices: count > 0 ? [formatMessage(lang, 'notice.withheld', { count })] : [],
  };
}

/** The report's sections, in the order of the model, with every value formatted for the report's language. */
/**
 * A unit, role or system by the name the report gives it; the code where it gives none. Own keys only: a code such as
 * `constructor` must not find the object's prototype. The JSON keeps the codes; a person reads the names.
 */
function nameOf(names: Readonly<Record<string, string>>, code: string): string {
  return Object.hasOwn(names, code) ? names[code]! : code;
}

export function reportSections(report: AccessReport): ReportSection[] {
  const lang = report.language;
  const m = REPORT_MESSAGES[lang];
  const offset = report.utcOffsetMinutes;
  const at = (iso: string): string => formatDateTime(iso, lang, offset);
  const atOr = (iso: string | null, absent: string): string => (iso === null ? absent : at(iso));
  const yesNo = (b: boolean): string => (b ? m['value.yes'] : m['value.no']);
  const lines = (items: readonly string[], absent: string): string => (items.length === 0 ? absent : items.join('\n'));
  const purpose = (p: NamedPurpose): string => `${p.name} (${p.code})`;
  // Tables name categories by number, which the "data held" section titles; one it does not list keeps its name.
  const listed = new Set(report.categories.map((c) => c.category.number));
  const categories = (cs: readonly NamedCategory[]): string => {
    if (cs.length === 0) return EMPTY_CELL;
    if (cs.every((c) => listed.has(c.number))) return cs.map((c) => String(c.number)).join(', ');
    return cs.map((c) => (listed.has(c.number) ? String(c.number) : `${c.number}. ${c.name}`)).join('\n');
  };
  // An entry's reasons, short: each with the category it concerns in brackets, so that a row of categories 1 and 28
  // never reads as if a rule about 28 were about both; one about the whole record stands alone. The violations
  // section (from version 6) holds the reasons by event; an entry it does not hold names its codes, each once.
  const reasonsByEvent = new Map(report.violations.map((v) => [v.eventId, v.reasons]));
  const violations = (eventId: string, codes: readonly string[]): string => {
    const reasons = reasonsByEvent.get(eventId) ?? [];
    if (reasons.length === 0) return lines([...new Set(codes)].map((c) => codeLabel(lang, 'violation', c)), EMPTY_CELL);
    return lines(reasons.map((r) => (r.category === null ? codeLabel(lang, 'violation', r.code) : `${codeLabel(lang, 'violation', r.code)} (${r.category})`)), EMPTY_CELL);
  };
  // A reason names the one category it concerns (since when, for a state); one about the whole record names them all.
  const reason = (r: ViolationReason, ofRecord: readonly NamedCategory[]): string => {
    const label = codeLabel(lang, 'violation', r.code);
    if (r.category === null) return formatMessage(lang, 'reason.record', { reason: label, categories: categories(ofRecord) });
    const named = ofRecord.find((c) => c.number === r.category);
    const category = named ? categories([named]) : String(r.category);
    return r.since === null
      ? formatMessage(lang, 'reason.category', { reason: label, category })
      : formatMessage(lang, 'reason.categorySince', { reason: label, category, since: at(r.since) });
  };
  const known = (text: string): string => (text.trim() === '' ? m['value.notKnown'] : text);
  const section = (
    id: ReportSectionId,
    layout: ReportSection['layout'],
    columns: readonly (readonly [MessageKey, number])[],
    rows: readonly (readonly string[])[],
  ): ReportSection => ({
    id,
    title: m[`section.${id}`],
    layout,
    columns: columns.map(([key]) => m[key]),
    widths: columns.map(([, width]) => width),
    nowrap: columns.map(([key]) => NOWRAP.has(key)),
    rows,
    empty: m['value.noEntries'],
  });

  const { holder, subject, retention, rights, withheld } = report;
  const deadlineDays = new Map(rights.deadlines.map((d) => [d.kind, d.workingDays]));
  // A right without a request of its own is still used by writing to the holder; one whose deadline is not given shows the kind alone.
  const howToUse = (kinds: readonly string[]): string => lines(
    kinds.map((kind) => {
      const days = deadlineDays.get(kind as never);
      const label = codeLabel(lang, 'request', kind);
      return days === undefined ? label : formatMessage(lang, 'rights.request', { kind: label, days });
    }),
    m['rights.noRequest'],
  );
  return [
    section(
      'holder',
      'fields',
      [['field.body', 1], ['field.responsibleOfficial', 1], ['field.orderNumber', 1], ['field.orderDate', 1], ['field.orderTitle', 1]],
      [[holder.body, holder.responsibleOfficial, holder.order.number, formatDate(holder.order.date, lang, offset), holder.order.title]],
    ),
    section(
      'subject',
      'fields',
      [['field.subjectId', 1], ['field.maskedIin', 1]],
      [[subject.subjectId, subject.maskedIin ?? m['value.notKnown']]],
    ),
    section(
      'categories',
      'records',
      [
        ['field.category', 1], ['field.held', 1], ['field.sources', 1], ['field.purposes', 1], ['field.legalBases', 1],
        ['field.firstCollectedAt', 1], ['field.lastChangedAt', 1], ['field.lastProcessedAt', 1], ['field.blockedAt', 1],
        ['field.destroyedAt', 1], ['field.depersonalizedAt', 1],
      ],
      report.categories.map((c) => [
        `${c.category.number}. ${c.category.name}`,
        // null: only the ledger's own records of the subject's requests name it, which tell nothing of holding it.
        c.held === null ? m['value.notKnown'] : yesNo(c.held),
        lines(c.sources.map((s) => (s.name === null ? codeLabel(lang, 'source', s.kind) : `${codeLabel(lang, 'source', s.kind)}: ${s.name}`)), m['value.notKnown']),
        lines(c.purposes.map(purpose), m['value.none']),
        lines(c.legalBases.map((l) => l.citation), m['value.none']),
        atOr(c.firstCollectedAt, m['value.notKnown']),
        atOr(c.lastChangedAt, m['value.none']),
        at(c.lastProcessedAt),
        atOr(c.blockedAt, m['value.no']),
        atOr(c.destroyedAt, m['value.no']),
        atOr(c.depersonalizedAt, m['value.no']),
      ]),
    ),
    section(
      'events',
      'table',
      [
        ['col.at', 1.45], ['col.operation', 1.2], ['col.categories', 0.8], ['col.purpose', 2.4], ['col.unit', 1.5],
        ['col.role', 1.3], ['col.individual', 1], ['col.system', 1], ['col.request', 1.4], ['col.violations', 1.6],
      ],
      report.events.map((e) => [
        at(e.at),
        codeLabel(lang, 'op', e.operation),
        categories(e.categories),
        purpose(e.purpose),
        nameOf(report.names.units, e.unit),
        nameOf(report.names.roles, e.role),
        e.actorId ?? m['value.individualNotShown'],
        e.system === null ? m['value.throughLedger'] : nameOf(report.names.systems, e.system),
        e.requestId ?? EMPTY_CELL,
        violations(e.eventId, e.violations),
      ]),
    ),
    section(
      'transfers',
      'table',
      [
        ['col.at', 1.45], ['col.recipient', 2], ['col.country', 0.7], ['col.crossBorder', 0.8], ['col.categories', 0.8],
        ['col.purpose', 2.4], ['col.ground', 2],
      ],
      report.transfers.map((t) => [
        at(t.at),
        t.recipient,
        t.country,
        yesNo(t.crossBorder),
        categories(t.categories),
        purpose(t.purpose),
        t.ground === null
          ? t.crossBorder ? m['value.none'] : EMPTY_CELL
          : `${codeLabel(lang, 'ground', t.ground.kind)}: ${t.ground.reference}`,
      ]),
    ),
    section(
      'retention',
      'fields',
      [['field.retentionPeriod', 1], ['field.retentionBasis', 1], ['field.retentionVerified', 1]],
      [[known(retention.period), known(retention.basis), yesNo(retention.verified)]],
    ),
    section(
      'rights',
      'table',
      [['col.right', 3.2], ['col.citation', 1.8], ['col.verified', 1.2], ['col.howToUse', 2.4]],
      rights.items.map((r) => [r.text, r.citation, r.verified ? m['value.yes'] : m['value.rightUnverified'], howToUse(r.requests)]),
    ),
    section(
      'howToRequest',
      'fields',
      [['field.requestsContact', 1], ['field.requestKinds', 1], ['field.countingDays', 1]],
      [[
        rights.contact ?? formatMessage(lang, 'rights.toOfficial', { official: holder.responsibleOfficial }),
        lines(rights.deadlines.map((d) => formatMessage(lang, 'rights.deadline', {
          kind: codeLabel(lang, 'request', d.kind), days: d.workingDays, basis: m[`deadlineBasis.${d.basis}`], verified: yesNo(d.verified),
        })), m['value.none']),
        `${rights.counting.text}\n${formatMessage(lang, 'rights.countingVerified', { verified: yesNo(rights.counting.verified) })}`,
      ]],
    ),
    section(
      'requests',
      'table',
      [
        ['col.requestId', 1.2], ['col.kind', 1.4], ['col.channel', 1], ['col.receivedAt', 1.45], ['col.deadline', 1.2],
        ['col.status', 1.4], ['col.closedAt', 1.45], ['col.reasons', 2],
      ],
      report.requests.map((r) => {
        const status = codeLabel(lang, 'status', r.status);
        return [
          r.requestId,
          codeLabel(lang, 'request', r.kind),
          codeLabel(lang, 'channel', r.channel),
          at(r.receivedAt),
          formatDate(r.deadline, lang, offset),
          // The deadline's column keeps a date on one line: how sure it is goes with the status, which wraps.
          [
            r.late ? `${status},\n${formatMessage(lang, 'status.late', { days: r.workingDaysLate })}` : status,
            ...(r.deadlineCoverage === 'projected' ? [m['value.deadlineProjected']] : []),
            ...(r.deadlineCoverage === 'not-covered' ? [m['value.deadlineNotCovered']] : []),
          ].join('\n'),
          atOr(r.closedAt, EMPTY_CELL),
          lines(r.reasons, EMPTY_CELL),
        ];
      }),
    ),
    section(
      'violations',
      'table',
      // No column of the record's categories: each reason names the one it concerns, or all of them.
      [['col.at', 1.45], ['col.operation', 1.2], ['col.codes', 5.8]],
      report.violations.map((v) => [at(v.at), codeLabel(lang, 'op', v.operation), lines(v.reasons.map((r) => reason(r, v.categories)), EMPTY_CELL)]),
    ),
    // Unknown (the holder does not show it) is left out: "not known" on every report read as "something is hidden".
    ...(withheld === null
      ? []
      : [section('withheld', 'fields', [['field.withheldCount', 1]], [[withheld.count === 0 ? m['value.none'] : String(withheld.count)]])]),
    integritySection(report, section, at),
  ];
}

/** The appendix: the facts of the integrity section (long hashes in lines of 64 hex digits), and how to check them. */
function integritySection(
  report: AccessReport,
  section: (id: ReportSectionId, layout: ReportSection['layout'], columns: readonly (readonly [MessageKey, number])[], rows: readonly (readonly string[])[]) => ReportSection,
  at: (iso: string) => string,
): ReportSection {
  const m = REPORT_MESSAGES[report.language];
  const integrity = report.integrity;
  if (integrity === null) return section('integrity', 'fields', [['field.integrityHow', 1]], [[m['value.integrityUnavailable']]]);
  const { treeHead: head, chain, inclusion } = integrity;
  const last = chain.at(-1);
  const hex = (text: string): string => text.match(/.{1,64}/g)?.join('\n') ?? text;
  return section(
    'integrity',
    'fields',
    [
      ['field.integrityHow', 1], ['field.treeHeadSource', 1], ['field.treeSize', 1], ['field.rootHash', 1], ['field.treeHeadTime', 1],
      ['field.keyId', 1], ['field.signature', 1], ['field.chainLength', 1], ['field.lastEvent', 1], ['field.proof', 1],
    ],
    [[
      // A replica that does not sign (DERBES_TREE_HEAD_SIGNER=off) gives its reports unsigned: say so, and who signs.
      report.signature === null ? formatMessage(report.language, 'integrity.howUnsigned', { keyId: head.keyId }) : m['integrity.how'],
      integrity.treeHeadSource === 'latest' ? m['value.treeHeadLatest'] : m['value.treeHeadSigned'],
      String(head.treeSize),
      head.rootHash,
      `${at(head.timestamp)} (${head.timestamp})`,
      head.keyId,
      hex(head.signature),
      String(chain.length),
      last ? `${last.chainHash}\n${inclusion.leafHash}` : EMPTY_CELL,
      inclusion.proof.length === 0 ? m['value.none'] : inclusion.proof.join('\n'),
    ]],
  );
}
