import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiServiceUnavailableResponse, ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { SUBJECT_ID_PATTERN } from '@derbes/ledger';
import { LedgerError } from '../ledger-errors';
import { SubjectInventoryDto, SubjectInventoryQueryDto } from './subject-inventory.dto';
import { SubjectInventoryQuery } from './subject-inventory.query';
import { ReaderAudit, ReaderHeaders } from './reader-audit';
import { Allow } from '../auth/roles';

@ApiTags('subjects')
@Allow(['official', 'auditor'], { personal: true })
@Controller('v1/subjects')
export class SubjectInventoryController {
  constructor(
    private readonly queries: QueryBus,
    private readonly audit: ReaderAudit,
  ) {}

  @Get(':subjectId/inventory')
  @ApiParam({ name: 'subjectId', description: 'From POST /v1/subjects/lookup' })
  @ApiOkResponse({ type: SubjectInventoryDto, description: "For each category of the register: whether the ledger knows it is held, and its history's landmarks" })
  @ApiBadRequestResponse({ description: 'A malformed subjectId, lang or position' })
  @ApiNotFoundResponse({ description: 'The ledger holds nothing about this subject (subject_not_found)' })
  @ApiConflictResponse({ description: 'projection_behind: the inventory has not reached `position` within 2 s; retry' })
  @ApiServiceUnavailableResponse({ description: 'projection_building: the inventory is being built for the first time; retry' })
  @ReaderHeaders()
  async inventory(@Param('subjectId') subjectId: string, @Query() query: SubjectInventoryQueryDto, @Req() request: FastifyRequest): Promise<SubjectInventoryDto> {
    const reader = this.audit.reader(request);
    if (!SUBJECT_ID_PATTERN.test(subjectId)) {
      throw LedgerError.invalid([{ field: 'subjectId', reason: 'must be 64 lowercase hex characters, from POST /v1/subjects/lookup' }]);
    }
    const position = query.position === undefined ? undefined : Number(query.position);
    const inventory = await this.queries.execute(new SubjectInventoryQuery(subjectId, query.lang ?? 'kk', position));
    if (!inventory) throw new LedgerError('subject_not_found', 'the ledger holds no records about this subject');
    const shown = inventory.categories.filter((c) => c.known).map((c) => c.number);
    await this.audit.recordRead(reader, subjectId, shown, 'GET /v1/subjects/{subjectId}/inventory', String(request.id));
    return inventory;
  }
}
