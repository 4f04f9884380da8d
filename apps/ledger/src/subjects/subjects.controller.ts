import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { SubjectPseudonymizer, checkIin, localDate, subjectStreamId } from '@derbes/ledger';
import { RegisterCatalog } from '@derbes/register';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { LedgerError } from '../ledger-errors';
import { SubjectEventsQueryDto } from './subject-events.dto';
import { ListSubjectEventsQuery, decodeCursor, type SubjectEventsFilter, type SubjectEventsPage } from './subject-events.query';
import { SubjectLookupDto, SubjectLookupResultDto } from './subject-lookup.dto';
import { ReaderAudit, ReaderHeaders } from './reader-audit';
import { SubjectQueryParams } from './subject-query.params';
import { Allow } from '../auth/roles';

@ApiTags('subjects')
@Allow(['official', 'auditor'], { personal: true })
@Controller('v1/subjects')
export class SubjectsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly pseudonymizer: SubjectPseudonymizer,
    private readonly catalog: RegisterCatalog,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly audit: ReaderAudit,
    private readonly clock: Clock,
  ) {}

  @Post('lookup')
  @HttpCode(200)
  @ApiOkResponse({ type: SubjectLookupResultDto })
  @ApiBadRequestResponse({ description: 'Not a valid IIN; the failed rule is named' })
  async lookup(@Body() dto: SubjectLookupDto): Promise<SubjectLookupResultDto> {
    const check = checkIin(dto.iin, localDate(this.clock.now(), this.config.utcOffsetMinutes));
    if (!check.valid) throw LedgerError.invalid([{ field: 'iin', reason: `${check.reason} (rule: ${check.rule})` }]);
    const subjectId = this.pseudonymizer.subjectId(dto.iin);
    const first = await this.store.readStream(subjectStreamId(subjectId), { maxCount: 1 });
    return { subjectId, known: first.length > 0 };
  }

  @Get(':subjectId/events')
  @ApiParam({ name: 'subjectId', description: 'From POST /v1/subjects/lookup' })
  @ApiOkResponse({ description: "The subject's events in stream order, one page" })
  @ApiNotFoundResponse({ description: 'The ledger holds nothing about this subject' })
  @ReaderHeaders()
  async events(@Param('subjectId') subjectId: string, @Query() query: SubjectEventsQueryDto, @Req() request: FastifyRequest): Promise<SubjectEventsPage> {
    const reader = this.audit.reader(request);
    const params = new SubjectQueryParams(this.catalog, this.config.owner);
    params.subjectId(subjectId);
    const category = params.category(query.category);
    const purpose = params.purpose(query.purpose);
    const { from, to } = params.period(query.from, query.to);
    const filter: SubjectEventsFilter = { operation: query.operation, category, purpose, from: from?.getTime(), to: to?.getTime() };
    const limit = params.limit(query.limit);
    const fromRevision = query.cursor === undefined ? 0 : decodeCursor(query.cursor);
    if (fromRevision === null) params.fail('cursor', 'is not a cursor this API returned');
    params.check();

    const page = await this.queries.execute(new ListSubjectEventsQuery(subjectId, filter, fromRevision as number, limit));
    if (!page) throw new LedgerError('subject_not_found', 'the ledger holds no events about this subject');
    const shown = page.items.flatMap((item) => 'categories' in item ? item.categories.map((c) => c.number) : []);
    await this.audit.recordRead(reader, subjectId, shown, 'GET /v1/subjects/{subjectId}/events', String(request.id));
    return page;
  }
}
