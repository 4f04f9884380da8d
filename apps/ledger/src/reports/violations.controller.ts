import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { decodeViolationsCursor, type ViolationsFilter } from '@derbes/projections';
import { LedgerError, type FieldError } from '../ledger-errors';
import { instantProblem, parseInstant } from '../processing-records/normalize-record';
import { ViolationsQueryDto, ViolationsReportDto } from './violations.dto';
import { ViolationsReportQuery } from './violations-report.query';
import { Allow } from '../auth/roles';

@ApiTags('reports')
@Allow(['official', 'auditor'])
@Controller('v1/reports')
export class ViolationsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('violations')
  @ApiOkResponse({
    type: ViolationsReportDto,
    description: 'Every reason a record was flagged for, newest first, one page; counts per reason and per unit over the whole filter. ' +
      'Each reason gives its facts as fields and in plain words (`detail`, in `lang`). Subjects are named only by their pseudonymous id.',
  })
  @ApiBadRequestResponse({ description: 'A malformed filter, limit, cursor or position; every field is named' })
  @ApiConflictResponse({ description: 'projection_behind: the report has not reached `position` within 2 s; retry' })
  @ApiServiceUnavailableResponse({ description: 'projection_building: the report is being built for the first time; retry' })
  async violations(@Query() query: ViolationsQueryDto): Promise<ViolationsReportDto> {
    const errors: FieldError[] = [];
    const filter: { -readonly [K in keyof ViolationsFilter]: ViolationsFilter[K] } = {};
    if (query.code !== undefined) filter.code = query.code;
    if (query.unit !== undefined) filter.unit = query.unit;
    if (query.system !== undefined) filter.system = query.system;
    if (query.actor !== undefined) filter.actorId = query.actor;
    const bounds: { from?: number; to?: number } = {};
    for (const bound of ['from', 'to'] as const) {
      const text = query[bound];
      if (text === undefined) continue;
      const at = parseInstant(text);
      if (!at) errors.push({ field: bound, reason: instantProblem(text) ?? 'is not an instant' });
      else {
        filter[bound] = at.toISOString();
        bounds[bound] = at.getTime();
      }
    }
    if (bounds.from !== undefined && bounds.to !== undefined && bounds.from > bounds.to) errors.push({ field: 'to', reason: 'is before from' });
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (limit < 1 || limit > 500) errors.push({ field: 'limit', reason: 'must be a whole number from 1 to 500' });
    if (query.cursor !== undefined && !decodeViolationsCursor(query.cursor)) errors.push({ field: 'cursor', reason: 'is not a cursor this report returned' });
    if (errors.length > 0) throw LedgerError.invalid(errors);

    const position = query.position === undefined ? undefined : Number(query.position);
    return this.queries.execute(new ViolationsReportQuery(filter, query.cursor ?? null, limit, position, query.lang ?? 'kk'));
  }
}
