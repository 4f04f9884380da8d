import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { decodeTransfersCursor } from '@derbes/projections';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { LedgerError, type FieldError } from '../ledger-errors';
import { parseReportPeriod } from './report-period';
import { TransfersQueryDto, TransfersReportDto } from './transfers.dto';
import { TransfersReportQuery, type TransfersReport } from './transfers.query';
import { Allow } from '../auth/roles';

@ApiTags('reports')
@Allow(['official', 'auditor'])
@Controller('v1/reports')
export class TransfersController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get('transfers')
  @ApiOperation({
    summary: 'Transfers to third parties and abroad for a period',
    description: 'Each transfer record newest first (keyset pages), with totals over all pages: transfers, cross-border, per country and per recipient.',
  })
  @ApiOkResponse({ type: TransfersReportDto })
  @ApiBadRequestResponse({ description: 'A missing, reversed or over-two-year period, or a malformed filter, limit or cursor' })
  @ApiConflictResponse({ description: 'projection_behind: the report has not reached `position` within 2 s; retry' })
  @ApiServiceUnavailableResponse({ description: 'projection_building: the read model is being built; retry' })
  async transfers(@Query() query: TransfersQueryDto): Promise<TransfersReport> {
    const period = parseReportPeriod(query.from, query.to, this.config.utcOffsetMinutes);
    const errors: FieldError[] = Array.isArray(period) ? [...period] : [];
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (limit < 1 || limit > 500) errors.push({ field: 'limit', reason: 'must be a whole number from 1 to 500' });
    if (query.cursor !== undefined && !decodeTransfersCursor(query.cursor)) errors.push({ field: 'cursor', reason: 'is not a cursor this API returned' });
    if (Array.isArray(period) || errors.length > 0) throw LedgerError.invalid(errors);

    const filter = {
      ...(query.crossBorder !== undefined ? { crossBorder: query.crossBorder === 'true' } : {}),
      ...(query.country !== undefined ? { country: query.country.toUpperCase() } : {}),
      ...(query.recipient !== undefined ? { recipient: query.recipient } : {}),
    };
    const position = query.position === undefined ? undefined : Number(query.position);
    return this.queries.execute(new TransfersReportQuery(period, filter, query.cursor ?? null, limit, query.lang ?? 'kk', position));
  }
}
