import { randomUUID } from 'node:crypto';
import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { checkIin, containsIin, localDate, type RequestChannel, type RequestKind } from '@derbes/ledger';
import type { ReportLanguage } from '@derbes/reports';
import { RegisterCatalog, CodeNames } from '@derbes/register';
import { actorOf } from '../../auth/principal';
import { Allow, readsPersonalData } from '../../auth/roles';
import { Clock } from '../../clock';
import { LEDGER_CONFIG } from '../../config/config.tokens';
import type { LedgerConfig } from '../../config/ledger-config';
import { shownErrors } from '../../http/error.filter';
import { LedgerError, type FieldError } from '../../ledger-errors';
import { parseInstant } from '../../processing-records/normalize-record';
import { RequestQueueQuery } from '../../subject-requests/request-queue.query';
import { SubjectRequestDesk, type NewSubjectRequest } from '../../subject-requests/subject-request-desk';
import { AnswerSubjectRequestDto, NewSubjectRequestDto, RefuseSubjectRequestDto } from '../../subject-requests/subject-request.dto';
import { BEFORE_THE_LAW, beforeTheLaw, dtoErrors, reasonsErrors, requestCategories } from '../../subject-requests/subject-request.rules';
import { consoleContext, viewOf } from '../http/console-context';
import { ConsolePages } from '../http/console-pages.decorator';
import { fieldsOf, given, listOf, type Fields } from '../http/fields';
import { seeOther } from '../http/redirect';
import { t } from '../i18n/console-i18n';
import { localDay, requestsPage, type FailedAction, type RequestDraft } from '../views/requests.page';
import { RegisterChoices } from './register-choices';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOTICES = { registered: 'requests.registered', answered: 'requests.answered', refused: 'requests.refused', duplicate: 'requests.duplicate' } as const;

/**
 * Data subjects' requests through the official's desk (SubjectRequestDesk, as the API): the queue by deadline in
 * working days, and the forms to register, answer and refuse. Each form answers 303 to the queue (with the write's
 * position, so that the queue shows it), and registering carries a request id made with the form, so that sending
 * it twice registers it once.
 */
@ConsolePages()
@Allow(['official', 'auditor'])
@Controller('console/requests')
export class RequestsController {
  constructor(
    private readonly names: CodeNames,
    private readonly desk: SubjectRequestDesk,
    private readonly queries: QueryBus,
    private readonly catalog: RegisterCatalog,
    private readonly choices: RegisterChoices,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get()
  async queue(@Req() request: FastifyRequest): Promise<string> {
    const query = fieldsOf(request.query);
    const position = /^\d{1,15}$/.test(query.position ?? '') ? Number(query.position) : undefined;
    const notice = query.notice && Object.hasOwn(NOTICES, query.notice) ? NOTICES[query.notice as keyof typeof NOTICES] : undefined;
    const page = await this.page(request, { requestId: randomUUID() }, undefined, position);
    const registered = page.open.items.find((r) => r.requestId === query.request);
    return requestsPage(viewOf(request, this.config.utcOffsetMinutes, this.names), {
      ...page,
      ...(notice ? { notice: t(page.lang, notice, registered ? { deadline: localDay(registered.deadline, page.lang), days: registered.workingDays } : {}) } : {}),
    });
  }

  @Post()
  @Allow(['official'])
  async receive(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const form = fieldsOf(request.body);
    const draft: RequestDraft = {
      requestId: UUID.test(form.requestId ?? '') ? (form.requestId as string).toLowerCase() : randomUUID(), kind: form.kind, channel: form.channel,
      receivedAt: form.receivedAt, categories: listOf(request.body, 'categories'), detail: form.detail,
    };
    const errors: FieldError[] = [];
    const input = this.newRequest(form, draft, errors);
    if (!input) {
      void reply.status(400);
      return requestsPage(viewOf(request, this.config.utcOffsetMinutes, this.names), { ...(await this.page(request, draft, errors)) });
    }
    try {
      const outcome = await this.desk.receive(input, actorOf(request), String(request.id));
      const notice = outcome.result === 'duplicate' ? 'duplicate' : 'registered';
      return seeOther(reply, `/console/requests?notice=${notice}&request=${outcome.requestId}&position=${outcome.position}`);
    } catch (error) {
      if (!(error instanceof LedgerError) || error.code !== 'invalid_request') throw error;
      void reply.status(400);
      return requestsPage(viewOf(request, this.config.utcOffsetMinutes, this.names), { ...(await this.page(request, draft, error.errors)) });
    }
  }

  @Post(':requestId/answer')
  @Allow(['official'])
  async answer(@Param('requestId') requestId: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    checkRequestId(requestId);
    const id = requestId.toLowerCase();
    const form = fieldsOf(request.body);
    const note = textOf(form, 'note');
    const asked = form[`language-${id}`];
    // The API's rules: its DTO's, then no IIN in the note.
    const errors = dtoErrors(AnswerSubjectRequestDto, { ...(asked === undefined ? {} : { language: asked }), ...(note === undefined ? {} : { note }) });
    if (note !== undefined && containsIin(note)) errors.push({ field: 'note', reason: 'must not contain an IIN' });
    if (errors.length > 0) return this.formAgain(request, reply, { requestId: id, action: 'answer', text: form.note ?? '', language: asked, errors });
    const language = (asked as ReportLanguage | undefined) ?? consoleContext(request).lang;
    const outcome = await this.desk.answer(id, actorOf(request), language, note ?? null, String(request.id));
    return seeOther(reply, `/console/requests?notice=answered&position=${outcome.position}`);
  }

  @Post(':requestId/refuse')
  @Allow(['official'])
  async refuse(@Param('requestId') requestId: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    checkRequestId(requestId);
    const id = requestId.toLowerCase();
    const text = fieldsOf(request.body).reasons ?? '';
    // One reason a line, blank lines left out; then the API's rules: its DTO's (1 to 20, each 1 to 2000 characters of
    // text without control characters), and no IIN.
    const reasons = text.split(/\r?\n/).map((r) => r.trim()).filter((r) => r !== '');
    const errors = [...dtoErrors(RefuseSubjectRequestDto, { reasons }), ...reasonsErrors(reasons)];
    if (errors.length > 0) return this.formAgain(request, reply, { requestId: id, action: 'refuse', text, errors });
    const outcome = await this.desk.refuse(id, actorOf(request), reasons, String(request.id));
    return seeOther(reply, `/console/requests?notice=refused&position=${outcome.position}`);
  }

  /**
   * The queue again (400), with the answer or refusal it did not take open on its row, what was typed in it and
   * why; nothing is written. A request no longer open has no form to show them on: the error page names them.
   */
  private async formAgain(request: FastifyRequest, reply: FastifyReply, failed: FailedAction): Promise<string> {
    const page = await this.page(request, { requestId: randomUUID() });
    if (!page.open.items.some((r) => r.requestId === failed.requestId)) throw LedgerError.invalid(failed.errors);
    void reply.status(400);
    return requestsPage(viewOf(request, this.config.utcOffsetMinutes, this.names), { ...page, failed });
  }

  /**
   * The form as the desk takes it, or null with every problem noted: the API's rules for the same fields (its DTO,
   * then its checks). The IIN and the time are checked as the form gives them; the DTO's words on them would repeat.
   */
  private newRequest(form: Fields, draft: RequestDraft, errors: FieldError[]): NewSubjectRequest | null {
    const iinText = (form.iin ?? '').trim();
    const iin = checkIin(iinText, localDate(this.clock.now(), this.config.utcOffsetMinutes));
    if (!iin.valid) errors.push({ field: 'subject.iin', reason: `${iin.reason} (rule: ${iin.rule})` });
    const receivedAt = this.receivedAt(form.receivedAt, errors);
    const checked = draft.categories ?? [];
    const detail = textOf(form, 'detail');
    const body = {
      requestId: draft.requestId, subject: { iin: iinText }, kind: form.kind, channel: form.channel, receivedAt: form.receivedAt,
      ...(checked.length === 0 ? {} : { categories: checked }), ...(detail === undefined ? {} : { detail }),
    };
    errors.push(...dtoErrors(NewSubjectRequestDto, body).filter((e) => !errors.some((named) => named.field === e.field)));
    const categories = requestCategories(this.catalog, this.config.owner, checked.map((c) => (/^\d+$/.test(c) ? Number(c) : c)), errors);
    if (detail !== undefined && containsIin(detail)) errors.push({ field: 'detail', reason: 'must not contain an IIN: the subject is named only by their IIN field' });
    if (errors.length > 0 || !receivedAt) return null;
    return {
      requestId: draft.requestId, iin: iinText, kind: form.kind as RequestKind, channel: form.channel as RequestChannel,
      receivedAt, categories, detail: detail ?? null,
    };
  }

  /** A datetime-local field, read as the ledger's local time; not in the future, not before the law (as the API). */
  private receivedAt(text: string | undefined, errors: FieldError[]): Date | null {
    const offset = this.config.utcOffsetMinutes;
    const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
    const at = text && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text) ? parseInstant(`${text}${text.length === 16 ? ':00' : ''}${zone}`) : null;
    const now = this.clock.now();
    if (!at) errors.push({ field: 'receivedAt', reason: 'must be a date and time' });
    else if (at.getTime() > now.getTime() + this.config.clockSkewSeconds * 1000) errors.push({ field: 'receivedAt', reason: 'is in the future' });
    else if (beforeTheLaw(at, offset)) errors.push({ field: 'receivedAt', reason: BEFORE_THE_LAW });
    return at;
  }

  private async page(request: FastifyRequest, draft: RequestDraft, errors?: readonly FieldError[], position?: number) {
    const lang = consoleContext(request).lang;
    // As the API: a refusal's reasons are opened only for a caller who may read per-person data.
    const personal = readsPersonalData(request.principal);
    const [open, closed] = [
      await this.queries.execute(new RequestQueueQuery('open', undefined, null, 500, position, personal)),
      await this.queries.execute(new RequestQueueQuery('closed', undefined, null, 50, position, personal)),
    ];
    // The form's errors may quote what was sent (an unknown category): shown as the API's are, any IIN masked.
    return { lang, open, closed, categories: this.choices.categories(lang), mayAct: request.principal?.role === 'official', draft, ...(errors ? { errors: shownErrors(errors) } : {}) };
  }
}

/**
 * A text area's text, its ends trimmed; undefined when empty. Browsers send its line breaks as CRLF, which the API's
 * rules refuse (CR is a control character): kept as LF.
 */
function textOf(form: Fields, name: string): string | undefined {
  return given(form, name)?.replace(/\r\n/g, '\n');
}

function checkRequestId(requestId: string): void {
  if (!UUID.test(requestId)) throw LedgerError.invalid([{ field: 'requestId', reason: 'must be a UUID' }]);
}
