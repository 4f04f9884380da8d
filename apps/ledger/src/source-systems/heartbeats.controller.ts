import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiForbiddenResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Allow } from '../auth/roles';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { LedgerError } from '../ledger-errors';
import { EARLIEST_INSTANT, instantProblem, parseInstant } from '../processing-records/normalize-record';
import { HeartbeatDto, HeartbeatOutcomeDto } from './heartbeat.dto';
import { RecordHeartbeatCommand, type HeartbeatOutcome } from './record-heartbeat.command';

@ApiTags('source systems')
@Allow(['emitter'])
@Controller('v1/systems')
export class HeartbeatsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Post(':system/heartbeats')
  @HttpCode(202)
  @ApiParam({ name: 'system', description: "The source system: the one the emitter key is bound to", example: 'hr-portal' })
  @ApiOperation({
    summary: 'A source system says it is alive and how far it has sent its numbered records',
    description: 'Recorded as SourceSystemHeartbeat in the stream source-system-{system}. Numbers up to lastSequence that never arrived are reported missing; the time of the last heartbeat or record is what silence is measured from (GET /v1/reports/source-systems).',
  })
  @ApiAcceptedResponse({ type: HeartbeatOutcomeDto, description: 'Recorded' })
  @ApiBadRequestResponse({ description: 'lastSequence or sentAt malformed (each field named); nothing written' })
  @ApiForbiddenResponse({ description: 'The key is bound to another system (errors name system)' })
  async heartbeat(@Param('system') system: string, @Body() body: HeartbeatDto, @Req() req: FastifyRequest): Promise<HeartbeatOutcome> {
    const own = req.principal?.system;
    if (system !== own) {
      const reason = `this key sends heartbeats only for system ${own ?? '(none)'}`;
      throw new LedgerError('forbidden', `system: ${reason}`, [{ field: 'system', reason }]);
    }
    const now = this.clock.now();
    const sentAt = parseInstant(body.sentAt);
    if (!sentAt) throw LedgerError.invalid([{ field: 'sentAt', reason: instantProblem(body.sentAt, '2026-11-25T12:00:00Z') ?? 'is not an instant' }]);
    if (sentAt.getTime() > now.getTime() + this.config.clockSkewSeconds * 1000) {
      throw LedgerError.invalid([{ field: 'sentAt', reason: `is in the future (more than ${this.config.clockSkewSeconds} s after the ledger's clock, ${now.toISOString()})` }]);
    }
    if (sentAt.getTime() < EARLIEST_INSTANT) throw LedgerError.invalid([{ field: 'sentAt', reason: 'is before 2000-01-01, as no record may be' }]);
    const heartbeat = { system, lastSequence: body.lastSequence, sentAt: sentAt.toISOString(), receivedAt: now.toISOString() };
    return this.commands.execute(new RecordHeartbeatCommand(heartbeat, String(req.id)));
  }
}
