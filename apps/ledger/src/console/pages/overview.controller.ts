import { Controller, Get, Inject, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Allow } from '../../auth/roles';
import { LEDGER_CONFIG } from '../../config/config.tokens';
import type { LedgerConfig } from '../../config/ledger-config';
import { viewOf } from '../http/console-context';
import { ConsolePages } from '../http/console-pages.decorator';
import { t } from '../i18n/console-i18n';
import { html } from '../views/html';
import { layout } from '../views/layout';

@ConsolePages()
@Allow(['official', 'auditor'])
@Controller('console')
export class OverviewController {
  constructor(@Inject(LEDGER_CONFIG) private readonly config: LedgerConfig) {}

  @Get('overview')
  overview(@Req() request: FastifyRequest): string {
    const view = viewOf(request, this.config.utcOffsetMinutes);
    return layout(view, { title: t(view.lang, 'overview.title'), section: 'overview', body: html`` });
  }
}
