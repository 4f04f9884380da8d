import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SubjectPseudonymizer, localDate, type RecordProcessing } from '@derbes/ledger';
import { RegisterCatalog } from '@derbes/register';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { LedgerError, type FieldError } from '../ledger-errors';
import { normalizeRecord, type NormalizeContext } from './normalize-record';
import { ProcessingRecordBatchDto, ProcessingRecordDto } from './processing-record.dto';
import { validateBatchBody, validateRecordBody } from './record-dto.validation';
import { BatchOutcomeDto, RecordOutcomeDto } from './record-outcome.dto';
import { RecordProcessingCommand } from './record-processing.command';
import type { RecordOutcome } from './processing-recorder';
import { Allow } from '../auth/roles';

@ApiTags('processing records')
@Allow(['emitter'])
@Controller('v1/processing-records')
export class ProcessingRecordsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly catalog: RegisterCatalog,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly pseudonymizer: SubjectPseudonymizer,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: RecordOutcomeDto, description: 'Recorded now' })
  @ApiOkResponse({ type: RecordOutcomeDto, description: 'This recordId was already recorded with the same content' })
  @ApiBadRequestResponse({ description: 'Malformed; nothing written' })
  @ApiConflictResponse({ description: 'This recordId was recorded with a different content' })
  @ApiBody({ type: ProcessingRecordDto })
  async recordOne(@Body() body: unknown, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<RecordOutcome> {
    const command = normalizeRecord(validateRecordBody(body), this.context());
    if (Array.isArray(command)) throw LedgerError.invalid(command);
    checkSystems([command], req);
    const [outcome] = await this.commands.execute(new RecordProcessingCommand([command], String(req.id), false));
    if (outcome!.status === 'duplicate') void reply.status(200);
    return outcome!;
  }

  @Post('batch')
  @HttpCode(201)
  @ApiCreatedResponse({ type: BatchOutcomeDto, description: 'At least one record was recorded now' })
  @ApiOkResponse({ type: BatchOutcomeDto, description: 'Every record was already recorded' })
  @ApiBadRequestResponse({ description: 'A record is malformed (its index is named); nothing written' })
  @ApiConflictResponse({ description: 'A recordId was recorded with a different content; nothing written' })
  @ApiBody({ type: ProcessingRecordBatchDto })
  async recordBatch(@Body() body: unknown, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ results: RecordOutcome[]; created: number; duplicates: number }> {
    const dto = validateBatchBody(body);
    const context = this.context();
    const records: RecordProcessing[] = [];
    const errors: FieldError[] = [];
    dto.records.forEach((record, index) => {
      const command = normalizeRecord(record, context, `records[${index}].`);
      if (Array.isArray(command)) errors.push(...command.map((e) => ({ ...e, index })));
      else records.push(command);
    });
    if (errors.length > 0) throw LedgerError.invalid(errors);
    checkSystems(records, req, 'records');
    const results = await this.commands.execute(new RecordProcessingCommand(records, String(req.id), true));
    const created = results.filter((r) => r.status === 'created').length;
    if (created === 0) void reply.status(200);
    return { results, created, duplicates: results.length - created };
  }

  private context(): NormalizeContext {
    const now = this.clock.now();
    return {
      catalog: this.catalog,
      owner: this.config.owner,
      pseudonymizer: this.pseudonymizer,
      now,
      today: localDate(now, this.config.utcOffsetMinutes),
      clockSkewSeconds: this.config.clockSkewSeconds,
      utcOffsetMinutes: this.config.utcOffsetMinutes,
      embargoMaxDays: this.config.embargoMaxDays,
    };
  }
}

/** An emitter records only as the one system its key is bound to: anything else is refused whole, nothing written. */
function checkSystems(records: readonly RecordProcessing[], req: FastifyRequest, batch?: string): void {
  const system = req.principal?.system;
  const errors: FieldError[] = [];
  records.forEach((record, index) => {
    if (record.system !== system) {
      const field = batch ? `${batch}[${index}].system` : 'system';
      errors.push({ field, reason: `this key records only as system ${system ?? '(none)'}`, ...(batch ? { index } : {}) });
    }
  });
  if (errors.length > 0) throw new LedgerError('forbidden', `${errors[0]?.field}: ${errors[0]?.reason}`, errors);
}
