import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiServiceUnavailableResponse, ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { OVERSIGHT_PURPOSE, SUBJECT_RIGHTS_PURPOSE } from '@derbes/ledger';
import { decodeHistoryCursor } from '@derbes/projections';
import { RegisterCatalog } from '@derbes/register';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { LedgerError } from '../ledger-errors';
import { SubjectHistoryDto, SubjectHistoryQueryDto } from './subject-history.dto';
import { SubjectHistoryQuery } from './subject-history.query';
import { ReaderAudit, ReaderHeaders } from './reader-audit';
import { SubjectQueryParams } from './subject-query.params';
import { Allow } from '../auth/roles';

@ApiTags('subjects')
@Allow(['official', 'auditor'], { personal: true })
@Controller('v1/subjects')
export class SubjectHistoryController {
  constructor(
    private readonly queries: QueryBus,
    private readonly catalog: RegisterCatalog,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly audit: ReaderAudit,
  ) {}

  @Get(':subjectId/history')
  @ApiParam({ name: 'subjectId', description: 'From POST /v1/subjects/lookup' })
  @ApiOkResponse({ type: SubjectHistoryDto, description: "The subject's records, newest first, one page, with names in the language asked for" })
  @ApiBadRequestResponse({ description: 'A malformed parameter; every bad field is named' })
  @ApiNotFoundResponse({ description: 'The ledger holds nothing about this subject (subject_not_found)' })
  @ApiConflictResponse({ description: 'projection_behind: the history has not reached `position` within 2 s; retry' })
  @ApiServiceUnavailableResponse({ description: 'projection_building: the history is being built for the first time; retry' })
  @ReaderHeaders()
  async history(@Param('subjectId') subjectId: string, @Query() query: SubjectHistoryQueryDto, @Req() request: FastifyRequest): Promise<SubjectHistoryDto> {
    const reader = this.audit.reader(request);
    const history = await this.queries.execute(this.toQuery(subjectId, query));
    if (!history) throw new LedgerError('subject_not_found', 'the ledger holds no records about this subject');
    const shown = history.items.flatMap((item) => item.categories.map((c) => c.number));
    await this.audit.recordRead(reader, subjectId, shown, 'GET /v1/subjects/{subjectId}/history', String(request.id));
    return history;
  }

  private toQuery(subjectId: string, query: SubjectHistoryQueryDto): SubjectHistoryQuery {
    const params = new SubjectQueryParams(this.catalog, this.config.owner);
    params.subjectId(subjectId);
    const category = params.category(query.category);
    // Reads of the file carry the reader's OVERSIGHT or SUBJECT-RIGHTS, which no register lists: filterable too.
    const purpose = params.purpose(query.purpose, [OVERSIGHT_PURPOSE, SUBJECT_RIGHTS_PURPOSE]);
    const { from, to } = params.period(query.from, query.to);
    const limit = params.limit(query.limit);
    if (query.cursor !== undefined && !decodeHistoryCursor(query.cursor)) params.fail('cursor', 'is not a cursor this API returned');
    params.check();
    const filter = {
      operation: query.operation, category, purpose, actorId: query.actor, unit: query.unit, system: query.system,
      from: from?.toISOString(), to: to?.toISOString(), violationsOnly: query.violations === 'true',
    };
    const position = query.position === undefined ? undefined : Number(query.position);
    return new SubjectHistoryQuery(subjectId, filter, query.cursor ?? null, limit, query.lang ?? 'kk', position);
  }
}
