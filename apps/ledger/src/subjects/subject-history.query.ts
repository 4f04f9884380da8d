import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  ProjectionRunner, SUBJECT_HISTORY, subjectHistoryPage, type SubjectHistoryEntry, type SubjectHistoryFilter,
} from '@derbes/projections';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { localDate, type Violation } from '@derbes/ledger';
import { RegisterCatalog, type Lang } from '@derbes/register';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { EntryTexts, showRecordTexts } from '../data-keys/shown-texts';
import { SubjectSealer, type TextOpener } from '../data-keys/subject-sealer';
import { readModel } from '../reports/read-model';
import { violationText, type ViolationFacts } from '../reports/violation.text';
import { registerNames, type RegisterNames } from '../reports/register-names';
import type { TimeFormat } from '../reports/time-format';
import type { SubjectHistoryDto, SubjectHistoryEntryDto } from './subject-history.dto';
import { subjectKnown } from './subject-events.query';

/** One page of a subject's history, newest first; null when the ledger holds nothing about the subject (no stream). */
export class SubjectHistoryQuery extends Query<SubjectHistoryDto | null> {
  constructor(
    readonly subjectId: string,
    readonly filter: SubjectHistoryFilter,
    /** nextCursor of the previous page, already checked to be one. */
    readonly cursor: string | null,
    readonly limit: number,
    readonly lang: Lang,
    /** The position of the client's last write, to read it back. */
    readonly position: number | undefined,
    /** How violations' words write times: ISO 8601 as recorded by default; the console gives local times. */
    readonly time?: TimeFormat,
  ) {
    super();
  }
}

@QueryHandler(SubjectHistoryQuery)
export class SubjectHistoryHandler implements IQueryHandler<SubjectHistoryQuery> {
  constructor(
    private readonly projections: ProjectionRunner,
    private readonly catalog: RegisterCatalog,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly sealer: SubjectSealer,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute(query: SubjectHistoryQuery): Promise<SubjectHistoryDto | null> {
    // The page and the position in one read transaction, so the position is exactly what the rows reflect.
    const { page, position } = await readModel(this.projections, SUBJECT_HISTORY, query.position, (tables, at) => ({
      page: subjectHistoryPage(tables, query.subjectId, query.filter, query.cursor, query.limit), position: at,
    }));
    // A subject the history holds nothing of (only a request of theirs, say) is known all the same: as for /events,
    // the stream decides.
    if (page.items.length === 0 && !(await subjectKnown(this.store, query.subjectId))) return null;
    const ownerNames = registerNames(this.catalog, this.config.owner, query.lang);
    // The read model holds texts sealed; the page's are opened here, for this answer only.
    const opener = await this.sealer.opener(page.items.flatMap(({ data }) =>
      [data.note, data.source?.name, data.recipient?.name].map((text) => [data.subjectId, text] as const)));
    return {
      subjectId: query.subjectId,
      lang: query.lang,
      items: page.items.map((entry) => this.render(entry, query.lang, ownerNames, opener, query.time)),
      nextCursor: page.nextCursor,
      position,
    };
  }

  /**
   * Names come from the register version the record was checked against, as the reader then saw them; from the
   * owner's registers when none was in force, or when that version did not list the code.
   */
  private render(entry: SubjectHistoryEntry, lang: Lang, ownerNames: RegisterNames, opener: TextOpener, time?: TimeFormat): SubjectHistoryEntryDto {
    const { data } = entry;
    const texts = new EntryTexts(opener, data.subjectId);
    // The history does not show the transfer ground, so its reference is neither opened nor listed as unreadable.
    const shown = showRecordTexts({ ...data, transferGround: null }, texts);
    const register = data.register ? this.catalog.byIdVersion(data.register.id, data.register.version) : undefined;
    const categoryName = (n: number) => register?.categories.find((c) => c.number === n)?.names[lang] ?? ownerNames.category(n);
    const purposeName = register?.purposes.find((p) => p.code === data.purpose.code)?.names[lang] ?? ownerNames.purpose(data.purpose.code);
    const names: RegisterNames = { category: categoryName, purpose: (code) => (code === data.purpose.code ? purposeName : ownerNames.purpose(code)) };
    return {
      eventId: entry.eventId,
      position: entry.position,
      revision: entry.revision,
      occurredAt: entry.occurredAt,
      recordedAt: entry.recordedAt,
      operation: data.operation,
      categories: data.categories.map((c) => ({ number: c.number, code: c.slug, name: categoryName(c.number) })),
      purpose: { code: data.purpose.code, clause: data.purpose.clause, name: purposeName },
      actor: { id: data.actor.id, role: data.actor.role, unit: data.actor.unit },
      system: data.system,
      source: shown.source,
      recipient: shown.recipient && { ...shown.recipient, kind: shown.recipient.kind ?? 'organization' },
      crossBorder: data.crossBorder,
      note: shown.note,
      embargoUntil: data.embargoUntil ?? null,
      requestId: data.requestId ?? null,
      violations: data.violations.map((v) => ({ ...v, detail: violationText(violationFacts(data, v, this.config.utcOffsetMinutes), lang, names, time) })),
      correlationId: entry.correlationId,
      ...texts.marker(),
    };
  }
}

/** The facts a violation of a history entry is worded from. */
function violationFacts(data: SubjectHistoryEntry['data'], violation: Violation, utcOffsetMinutes: number): ViolationFacts {
  return {
    code: violation.code, category: violation.category ?? null, since: violation.since ?? null, operation: data.operation,
    purpose: data.purpose.code, occurredAt: data.occurredAt, occurredOn: localDate(new Date(data.occurredAt), utcOffsetMinutes),
    register: data.register, country: data.recipient?.country ?? null,
  };
}
