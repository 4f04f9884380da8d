import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { stringifiedJsonBytes } from '@derbes/canonical-json';
import { checkIin, containsIin, localDate } from '@derbes/ledger';
import { isClosedRequestsCursor } from '@derbes/projections';
import { RegisterCatalog } from '@derbes/register';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { LedgerError, type FieldError } from '../ledger-errors';
import { instantProblem, parseInstant } from '../processing-records/normalize-record';
import { actorOf } from '../auth/principal';
import { RequestQueueQuery, type QueuePage } from './request-queue.query';
import { SubjectRequestDesk, type RequestOutcome } from './subject-request-desk';
import { AnswerSubjectRequestDto, NewSubjectRequestDto, RefuseSubjectRequestDto, SubjectRequestsQueryDto } from './subject-request.dto';
import { BEFORE_THE_LAW, beforeTheLaw, reasonsErrors, requestCategories } from './subject-request.rules';
import { Allow, readsPersonalData } from '../auth/roles';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('subject requests')
@Allow(['official'])
@Controller('v1/subject-requests')
export class SubjectRequestsController {
  constructor(
    private readonly desk: SubjectRequestDesk,
    private readonly queries: QueryBus,
    private readonly catalog: RegisterCatalog,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Registers a data subject's request; its deadline is computed on the working-day calendar" })
  @ApiCreatedResponse({ description: 'Received now, with its deadline' })
  @ApiOkResponse({ description: 'This requestId was already received with the same content' })
  @ApiBadRequestResponse({ description: 'Malformed; every field is named; nothing written' })
  @ApiConflictResponse({ description: 'request_exists: this requestId was used for another request' })
  async receive(@Body() body: NewSubjectRequestDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<RequestOutcome> {
    const actor = actorOf(req);
    const errors: FieldError[] = [];
    const now = this.clock.now();
    const iin = checkIin(body.subject.iin, localDate(now, this.config.utcOffsetMinutes));
    if (!iin.valid) errors.push({ field: 'subject.iin', reason: `${iin.reason} (rule: ${iin.rule})` });
    const receivedAt = parseInstant(body.receivedAt);
    if (!receivedAt) errors.push({ field: 'receivedAt', reason: instantProblem(body.receivedAt, '2026-11-24T10:15:00+05:00') ?? 'is not an instant' });
    else if (receivedAt.getTime() > now.getTime() + this.config.clockSkewSeconds * 1000) errors.push({ field: 'receivedAt', reason: `is in the future (the ledger's clock says ${now.toISOString()})` });
    else if (beforeTheLaw(receivedAt, this.config.utcOffsetMinutes)) errors.push({ field: 'receivedAt', reason: BEFORE_THE_LAW });
    const categories = requestCategories(this.catalog, this.config.owner, body.categories ?? [], errors);
    if (body.detail != null && containsIin(body.detail)) errors.push({ field: 'detail', reason: 'must not contain an IIN: the subject is named only by subject.iin' });
    if (errors.length > 0 || !receivedAt) throw LedgerError.invalid(errors);
    const outcome = await this.desk.receive({
      requestId: body.requestId?.toLowerCase(), iin: body.subject.iin, kind: body.kind, channel: body.channel, receivedAt,
      categories, detail: body.detail ?? null,
    }, actor, String(req.id));
    if (outcome.result === 'duplicate') void reply.status(200);
    return outcome;
  }

  @Get()
  @Allow(['official', 'auditor'])
  @ApiOperation({ summary: "The official's queue: open requests by deadline (due today, overdue in working days), or the history of closed ones" })
  @ApiOkResponse({ description: "One page; subjects named only by their pseudonym; a refusal's reasons null (named in `sealed.fields`) for an auditor without the subject-data grant" })
  @ApiBadRequestResponse({ description: 'A malformed filter' })
  async queue(@Query() query: SubjectRequestsQueryDto, @Req() req: FastifyRequest): Promise<QueuePage> {
    const status = query.status ?? 'open';
    const errors: FieldError[] = [];
    if (query.due !== undefined && status !== 'open') errors.push({ field: 'due', reason: 'only goes with status=open' });
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (limit < 1 || limit > 500) errors.push({ field: 'limit', reason: 'must be a whole number from 1 to 500' });
    if (query.cursor !== undefined && (status === 'open' || !isClosedRequestsCursor(query.cursor))) errors.push({ field: 'cursor', reason: 'is not a cursor this listing returned' });
    if (errors.length > 0) throw LedgerError.invalid(errors);
    const position = query.position === undefined ? undefined : Number(query.position);
    // A refusal's reasons may name the person: opened only for a caller who may read per-person data.
    return this.queries.execute(new RequestQueueQuery(status, query.due, query.cursor ?? null, limit, position, readsPersonalData(req.principal)));
  }

  @Post(':requestId/answer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Answers a request: an information request with the access report; change, blocking, unblocking and destruction by recording that processing' })
  @ApiOkResponse({ description: 'Answered; late and workingDaysLate say whether it came after the deadline' })
  @ApiNotFoundResponse({ description: 'request_not_found' })
  @ApiConflictResponse({ description: 'request_closed: already answered or refused' })
  async answer(
    @Param('requestId') requestId: string, @Body() body: AnswerSubjectRequestDto, @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RequestOutcome | Buffer> {
    checkRequestId(requestId);
    const actor = actorOf(req);
    if (body.note != null && containsIin(body.note)) throw LedgerError.invalid([{ field: 'note', reason: 'must not contain an IIN' }]);
    const outcome = await this.desk.answer(requestId.toLowerCase(), actor, body.language ?? 'kk', body.note ?? null, String(req.id));
    if (!outcome.report) return outcome;
    // With the access report in it, JSON.stringify's bytes written outside the heap, as the report's own route sends
    // them: its text as one string (36 MB for 8,000 entries) came on top of the report.
    void reply.header('content-type', 'application/json; charset=utf-8');
    return stringifiedJsonBytes(outcome);
  }

  @Post(':requestId/refuse')
  @HttpCode(200)
  @ApiOperation({ summary: 'Refuses a request with reasons (Art. 25: within the same deadline)' })
  @ApiOkResponse({ description: 'Refused; late and workingDaysLate say whether it came after the deadline' })
  @ApiNotFoundResponse({ description: 'request_not_found' })
  @ApiConflictResponse({ description: 'request_closed: already answered or refused' })
  async refuse(@Param('requestId') requestId: string, @Body() body: RefuseSubjectRequestDto, @Req() req: FastifyRequest): Promise<RequestOutcome> {
    checkRequestId(requestId);
    const actor = actorOf(req);
    const errors = reasonsErrors(body.reasons);
    if (errors.length > 0) throw LedgerError.invalid(errors);
    return this.desk.refuse(requestId.toLowerCase(), actor, body.reasons, String(req.id));
  }
}

function checkRequestId(requestId: string): void {
  if (!UUID.test(requestId)) throw LedgerError.invalid([{ field: 'requestId', reason: 'must be a UUID' }]);
}
