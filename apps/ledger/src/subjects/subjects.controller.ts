import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { SUBJECT_ID_PATTERN, SubjectPseudonymizer, checkIin, subjectStreamId } from '@derbes/ledger';
import { RegisterCatalog } from '@derbes/register';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { LedgerError, type FieldError } from '../ledger-errors';
import { parseInstant } from '../processing-records/normalize-record';
import { SubjectEventsQueryDto } from './subject-events.dto';
import { ListSubjectEventsQuery, decodeCursor, type SubjectEventsFilter, type SubjectEventsPage } from './subject-events.query';
import { SubjectLookupDto, SubjectLookupResultDto } from './subject-lookup.dto';

@ApiTags('subjects')
@Controller('v1/subjects')
export class SubjectsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly pseudonymizer: SubjectPseudonymizer,
    private readonly catalog: RegisterCatalog,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Post('lookup')
  @HttpCode(200)
  @ApiOkResponse({ type: SubjectLookupResultDto })
  @ApiBadRequestResponse({ description: 'Not a valid IIN; the failed rule is named' })
  async lookup(@Body() dto: SubjectLookupDto): Promise<SubjectLookupResultDto> {
    const check = checkIin(dto.iin);
    if (!check.valid) throw LedgerError.invalid([{ field: 'iin', reason: `${check.reason} (rule: ${check.rule})` }]);
    const subjectId = this.pseudonymizer.subjectId(dto.iin);
    const first = await this.store.readStream(subjectStreamId(subjectId), { maxCount: 1 });
    return { subjectId, known: first.length > 0 };
  }

  @Get(':subjectId/events')
  @ApiParam({ name: 'subjectId', description: 'From POST /v1/subjects/lookup' })
  @ApiOkResponse({ description: "The subject's events in stream order, one page" })
  @ApiNotFoundResponse({ description: 'The ledger holds nothing about this subject' })
  async events(@Param('subjectId') subjectId: string, @Query() query: SubjectEventsQueryDto): Promise<SubjectEventsPage> {
    const errors: FieldError[] = [];
    if (!SUBJECT_ID_PATTERN.test(subjectId)) errors.push({ field: 'subjectId', reason: 'must be 64 lowercase hex characters, from POST /v1/subjects/lookup' });
    const filter: { -readonly [K in keyof SubjectEventsFilter]: SubjectEventsFilter[K] } = {};
    if (query.operation) filter.operation = query.operation;
    if (query.category !== undefined) {
      const ref = this.catalog.resolveCategory(this.config.owner, /^\d+$/.test(query.category) ? Number(query.category) : query.category);
      if (ref) filter.category = ref.number;
      else errors.push({ field: 'category', reason: `unknown category ${JSON.stringify(query.category)}` });
    }
    if (query.purpose !== undefined) {
      const purpose = this.catalog.resolvePurpose(this.config.owner, query.purpose);
      if (purpose) filter.purpose = purpose.code;
      else errors.push({ field: 'purpose', reason: `unknown purpose ${JSON.stringify(query.purpose)}` });
    }
    for (const bound of ['from', 'to'] as const) {
      const text = query[bound];
      if (text === undefined) continue;
      const at = parseInstant(text);
      if (at) filter[bound] = at.getTime();
      else errors.push({ field: bound, reason: 'must be an ISO 8601 date-time with a time zone' });
    }
    if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) errors.push({ field: 'to', reason: 'is before from' });
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (limit < 1 || limit > 500) errors.push({ field: 'limit', reason: 'must be a whole number from 1 to 500' });
    const fromRevision = query.cursor === undefined ? 0 : decodeCursor(query.cursor);
    if (fromRevision === null) errors.push({ field: 'cursor', reason: 'is not a cursor this API returned' });
    if (errors.length > 0) throw LedgerError.invalid(errors);

    const page = await this.queries.execute(new ListSubjectEventsQuery(subjectId, filter, fromRevision as number, limit));
    if (!page) throw new LedgerError('subject_not_found', 'the ledger holds no events about this subject');
    return page;
  }
}
