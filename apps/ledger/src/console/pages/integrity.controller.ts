import { Controller, Get, Inject, Req } from '@nestjs/common';
import { CodeNames } from '@derbes/register';
import type { FastifyRequest } from 'fastify';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import type { StoredTreeHead } from '@derbes/projections';
import { Allow } from '../../auth/roles';
import { LEDGER_CONFIG } from '../../config/config.tokens';
import type { LedgerConfig } from '../../config/ledger-config';
import { IntegrityLog } from '../../integrity/integrity-log.service';
import { LedgerError } from '../../ledger-errors';
import { viewOf } from '../http/console-context';
import { ConsolePages } from '../http/console-pages.decorator';
import { integrityPage } from '../views/integrity.page';
import { readVerificationRecord } from '../../integrity/verification-record';

/**
 * The log's integrity: the latest signed tree head and the keys that verify it (IntegrityLog, as the API's
 * /v1/integrity), and what `derbes verify` found last on this data directory (or that it has not run).
 */
@ConsolePages()
@Allow(['official', 'auditor'])
@Controller('console')
export class IntegrityPageController {
  constructor(
    private readonly names: CodeNames,
    private readonly integrity: IntegrityLog,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get('integrity')
  async page(@Req() request: FastifyRequest): Promise<string> {
    const head = await this.integrity.latest().catch((error: unknown): StoredTreeHead | null => {
      if (error instanceof LedgerError && (error.code === 'tree_head_not_found' || error.code === 'projection_building')) return null;
      throw error;
    });
    return integrityPage(viewOf(request, this.config.utcOffsetMinutes, this.names), head, this.integrity.publicKeys(), await this.store.lastPosition(),
      readVerificationRecord(this.config.dataDir));
  }
}
