import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { daysInPeriod, isCalendarDay } from '@derbes/projections';
import { LedgerError, type FieldError } from '../ledger-errors';
import { ActorActivityQueryDto, ActorActivityReportDto } from './actor-activity.dto';
import { ActorActivityReportQuery } from './actor-activity.query';
import { MAX_PERIOD_DAYS } from './report-period';
import { Allow } from '../auth/roles';

@ApiTags('reports')
@Allow(['official', 'auditor'])
@Controller('v1/reports')
export class ActorActivityController {
  constructor(private readonly queries: QueryBus) {}

  @Get('actor-activity')
  @ApiOkResponse({ type: ActorActivityReportDto, description: 'Per actor: subjects, records per operation, sensitive categories; and the days flagged unusual' })
  @ApiBadRequestResponse({ description: 'A parameter is missing or malformed; each is named' })
  @ApiConflictResponse({ description: 'projection_behind: the report has not reached `position` within 2 s; retry' })
  @ApiServiceUnavailableResponse({ description: 'projection_building: the read model is being built for the first time; retry shortly' })
  actorActivity(@Query() query: ActorActivityQueryDto): Promise<ActorActivityReportDto> {
    const errors: FieldError[] = [];
    for (const bound of ['from', 'to'] as const) {
      const text = query[bound];
      if (text === undefined || text === '') errors.push({ field: bound, reason: 'is required: a calendar day YYYY-MM-DD' });
      else if (!isCalendarDay(text)) errors.push({ field: bound, reason: 'must be a calendar day YYYY-MM-DD (days are counted in Kazakhstan, UTC+5)' });
    }
    const { from, to } = query as { from: string; to: string };
    if (errors.length === 0) {
      const days = daysInPeriod(from, to);
      if (days < 1) errors.push({ field: 'to', reason: 'is before from' });
      else if (days > MAX_PERIOD_DAYS) errors.push({ field: 'to', reason: `the period is longer than ${MAX_PERIOD_DAYS} days; ask for it in parts` });
    }
    if (errors.length > 0) throw LedgerError.invalid(errors);
    const scope = { from, to, ...(query.unit !== undefined && { unit: query.unit }), ...(query.actor !== undefined && { actorId: query.actor }) };
    const position = query.position === undefined ? undefined : Number(query.position);
    return this.queries.execute(new ActorActivityReportQuery(scope, query.lang ?? 'kk', position));
  }
}
