import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/roles';
import { SourceSystemsQueryDto, SourceSystemsReportDto } from './source-systems.dto';
import { SourceSystemsReportQuery, type SourceSystemsReport } from './source-systems.query';

@ApiTags('reports')
@Allow(['official', 'auditor'])
@Controller('v1/reports')
export class SourceSystemsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('source-systems')
  @ApiOperation({
    summary: 'Source systems that stopped reporting, lost or repeated numbers',
    description: 'Each system heard from or named in DERBES_SOURCE_SYSTEMS: records, numbers, heartbeats, and alerts: gap (numbers never received below the highest or up to a heartbeat\'s lastSequence), duplicate (a number on two records), silent (nothing for longer than allowed, judged now), never-reported (expected, never heard from). Each alert gives its facts as fields and in plain words (`detail`, in `lang`).',
  })
  @ApiOkResponse({ type: SourceSystemsReportDto })
  @ApiBadRequestResponse({ description: 'A malformed system or position' })
  @ApiConflictResponse({ description: 'projection_behind: the report has not reached `position` within 2 s; retry' })
  @ApiServiceUnavailableResponse({ description: 'projection_building: the read model is being built; retry' })
  report(@Query() query: SourceSystemsQueryDto): Promise<SourceSystemsReport> {
    return this.queries.execute(new SourceSystemsReportQuery(query.system, query.position === undefined ? undefined : Number(query.position), query.lang ?? 'kk'));
  }
}
