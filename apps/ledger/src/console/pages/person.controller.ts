import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { OVERSIGHT_PURPOSE, SUBJECT_ID_PATTERN, SUBJECT_RIGHTS_PURPOSE, SubjectPseudonymizer, checkIin, localDate, subjectStreamId } from '@derbes/ledger';
import { decodeHistoryCursor } from '@derbes/projections';
import { REPORT_FORMATS, formatDateTime, REPORT_LANGUAGES, type ReportFormat, type ReportLanguage } from '@derbes/reports';
import { RegisterCatalog, CodeNames } from '@derbes/register';
import { actorOf } from '../../auth/principal';
import { Allow } from '../../auth/roles';
import { Clock } from '../../clock';
import { LEDGER_CONFIG } from '../../config/config.tokens';
import type { LedgerConfig } from '../../config/ledger-config';
import { LedgerError, type FieldError } from '../../ledger-errors';
import { registerNames } from '../../reports/register-names';
import { AccessReports } from '../../subjects/access-reports';
import { afterRead } from '../../subjects/read-recorded.error';
import { ReaderAudit, type Reader } from '../../subjects/reader-audit';
import { HISTORY_OPERATIONS } from '../../subjects/subject-history.dto';
import { SubjectHistoryQuery } from '../../subjects/subject-history.query';
import { SubjectInventoryQuery } from '../../subjects/subject-inventory.query';
import { SubjectQueryParams } from '../../subjects/subject-query.params';
import { consoleContext, viewOf } from '../http/console-context';
import { ConsolePages } from '../http/console-pages.decorator';
import { dayBound } from '../http/days';
import { fieldsOf, given } from '../http/fields';
import { seeOther } from '../http/redirect';
import { t } from '../i18n/console-i18n';
import { inventoryView } from '../views/inventory.view';
import { lookupPage, personPage, purposePage, type PersonTab } from '../views/person.page';
import { timelineView } from '../views/timeline.view';
import { RegisterChoices } from './register-choices';

/**
 * A person's file: looked up by IIN in a form (never in an address), then shown under their pseudonym. Each page
 * that shows their data is recorded in their stream as read by the signed-in key's holder, with the purpose they
 * stated, through the API's own reader audit and queries: the same access rule (officials, auditors with the
 * subject-data grant), the same record of the read.
 */
@ConsolePages()
@Allow(['official', 'auditor'], { personal: true })
@Controller('console')
export class PersonController {
  constructor(
    private readonly names: CodeNames,
    private readonly queries: QueryBus,
    private readonly audit: ReaderAudit,
    private readonly reports: AccessReports,
    private readonly pseudonymizer: SubjectPseudonymizer,
    private readonly catalog: RegisterCatalog,
    private readonly choices: RegisterChoices,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly clock: Clock,
  ) {}

  @Get('person')
  form(@Req() request: FastifyRequest): string {
    const view = this.view(request);
    return lookupPage(view, { purposes: this.choices.readPurposes(view.lang) });
  }

  @Post('person')
  @HttpCode(200)
  async lookup(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const view = this.view(request);
    const form = fieldsOf(request.body);
    const iin = (form.iin ?? '').trim();
    const check = checkIin(iin, localDate(this.clock.now(), this.config.utcOffsetMinutes));
    const stated = given(form, 'purpose');
    const purpose = stated === undefined ? null : this.audit.statedPurpose(stated);
    const purposes = this.choices.readPurposes(view.lang);
    if (!check.valid || !purpose) {
      void reply.status(400);
      return lookupPage(view, {
        purposes, purpose: given(form, 'purpose'),
        ...(!check.valid ? { iinError: `${check.reason} (rule: ${check.rule})` } : {}),
        ...(!purpose ? { purposeError: t(view.lang, 'person.choosePurpose') } : {}),
      });
    }
    const subjectId = this.pseudonymizer.subjectId(iin);
    const known = (await this.store.readStream(subjectStreamId(subjectId), { maxCount: 1 })).length > 0;
    if (!known) return lookupPage(view, { purposes, purpose: purpose.code, unknown: true });
    return seeOther(reply, `/console/subjects/${subjectId}/timeline?purpose=${encodeURIComponent(purpose.code)}`);
  }

  @Get('subjects/:subjectId/timeline')
  async timeline(@Param('subjectId') subjectId: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const view = this.view(request);
    const reader = this.reader(request, subjectId, 'timeline', reply);
    if (typeof reader === 'string') return reader;
    const query = fieldsOf(request.query);
    const params = new SubjectQueryParams(this.catalog, this.config.owner);
    // The API's rules (subject-history.controller.ts): a known operation or `read`, the ledger's own purposes too, a
    // cursor it gave.
    const operation = given(query, 'operation');
    if (operation !== undefined && !(HISTORY_OPERATIONS as readonly string[]).includes(operation)) params.fail('operation', `must be one of ${HISTORY_OPERATIONS.join(', ')}`);
    const filter = {
      operation,
      category: params.category(given(query, 'category')),
      purpose: params.purpose(given(query, 'filterPurpose'), [OVERSIGHT_PURPOSE, SUBJECT_RIGHTS_PURPOSE]),
      ...this.period(query, params.errors),
      violationsOnly: query.violations === 'true',
    };
    const cursor = given(query, 'cursor') ?? null;
    if (cursor !== null && !decodeHistoryCursor(cursor)) params.fail('cursor', 'is not a cursor this page returned');
    params.check();
    // Everything written before the page was asked for is on it: the reader may be checking a record just made.
    const position = await this.store.lastPosition();
    const time = (iso: string) => formatDateTime(iso, view.lang, view.utcOffsetMinutes);
    const history = await this.queries.execute(new SubjectHistoryQuery(subjectId, filter, cursor, 50, view.lang, position, time));
    if (!history) throw new LedgerError('subject_not_found', 'the ledger holds no records about this person');
    const readId = await this.audit.recordRead(reader, subjectId, history.items.flatMap((i) => i.categories.map((c) => c.number)),
      'GET /console/subjects/{subjectId}/timeline', String(request.id));
    return afterRead(readId, 'the page could not be made', () => personPage(view, this.frame(reader, subjectId, 'timeline', view.lang), timelineView(view, {
      history,
      filters: { operation: filter.operation, category: given(query, 'category'), filterPurpose: given(query, 'filterPurpose'), from: given(query, 'from'), to: given(query, 'to'), violations: query.violations },
      choices: { operations: this.choices.operations(view.lang), categories: this.choices.categories(view.lang), purposes: this.choices.purposes(view.lang) },
      pageUrl: consoleContext(request).url,
      today: localDate(this.clock.now(), this.config.utcOffsetMinutes),
    })));
  }

  @Get('subjects/:subjectId/inventory')
  async inventory(@Param('subjectId') subjectId: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const view = this.view(request);
    const reader = this.reader(request, subjectId, 'inventory', reply);
    if (typeof reader === 'string') return reader;
    const inventory = await this.queries.execute(new SubjectInventoryQuery(subjectId, view.lang, await this.store.lastPosition()));
    if (!inventory) throw new LedgerError('subject_not_found', 'the ledger holds no records about this person');
    const readId = await this.audit.recordRead(reader, subjectId, inventory.categories.filter((c) => c.known).map((c) => c.number),
      'GET /console/subjects/{subjectId}/inventory', String(request.id));
    return afterRead(readId, 'the page could not be made', () => personPage(view, this.frame(reader, subjectId, 'inventory', view.lang), inventoryView(view, inventory)));
  }

  @Get('subjects/:subjectId/report')
  async report(@Param('subjectId') subjectId: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | Buffer> {
    const reader = this.reader(request, subjectId, 'timeline', reply);
    if (typeof reader === 'string') return reader;
    const query = fieldsOf(request.query);
    const language = (REPORT_LANGUAGES as readonly string[]).includes(query.reportLang ?? '') ? query.reportLang as ReportLanguage : consoleContext(request).lang;
    const format = (REPORT_FORMATS as readonly string[]).includes(query.format ?? '') ? query.format as ReportFormat : 'pdf';
    const made = await this.reports.make(subjectId, language, format, {
      reader, view: `GET /console/subjects/{subjectId}/report (${language}, ${format})`, correlationId: String(request.id),
    });
    if (!made) throw new LedgerError('subject_not_found', 'the ledger holds nothing about this person');
    const { rendered } = made;
    void reply.header('content-type', rendered.contentType)
      .header('content-disposition', `attachment; filename="access-report-${subjectId.slice(0, 12)}-${language}.${format}"`);
    return rendered.body;
  }

  /**
   * The reader of this person's file: the signed-in key's holder and the purpose stated in `?purpose=`; without a
   * purpose, the page that asks for one (and nothing of the person is shown or recorded).
   */
  private reader(request: FastifyRequest, subjectId: string, tab: PersonTab, reply: FastifyReply): Reader | string {
    if (!SUBJECT_ID_PATTERN.test(subjectId)) throw LedgerError.invalid([{ field: 'subjectId', reason: 'must be 64 lowercase hex characters' }]);
    const stated = given(fieldsOf(request.query), 'purpose');
    const purpose = stated === undefined ? null : this.audit.statedPurpose(stated);
    if (purpose) return { actor: actorOf(request), purpose };
    const view = this.view(request);
    if (stated !== undefined) void reply.status(400);
    return purposePage(view, subjectId, tab, this.choices.readPurposes(view.lang), stated === undefined ? undefined : t(view.lang, 'person.choosePurpose'));
  }

  private period(query: Readonly<Record<string, string>>, errors: FieldError[]): { from?: string; to?: string } {
    const from = dayBound('from', given(query, 'from'), this.config.utcOffsetMinutes, errors);
    const to = dayBound('to', given(query, 'to'), this.config.utcOffsetMinutes, errors);
    if (from && to && from.getTime() > to.getTime()) errors.push({ field: 'to', reason: 'is before from' });
    return { ...(from ? { from: from.toISOString() } : {}), ...(to ? { to: to.toISOString() } : {}) };
  }

  private frame(reader: Reader, subjectId: string, tab: PersonTab, lang: ReportLanguage) {
    const purposeName = registerNames(this.catalog, this.config.owner, lang).purpose(reader.purpose.code) ?? reader.purpose.code;
    return { subjectId, purpose: reader.purpose.code, purposeName, tab };
  }

  private view(request: FastifyRequest) {
    return viewOf(request, this.config.utcOffsetMinutes, this.names);
  }
}
