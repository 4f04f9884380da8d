import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RecordProcessing } from '@derbes/ledger';
import { ProcessingRecorder, type RecordOutcome } from './processing-recorder';

/** Record one or more validated processing records, atomically. */
export class RecordProcessingCommand extends Command<RecordOutcome[]> {
  constructor(
    readonly records: readonly RecordProcessing[],
    readonly correlationId: string,
    /** Sent as a batch: errors name the record's index, even in a batch of one. */
    readonly batch: boolean,
  ) {
    super();
  }
}

@CommandHandler(RecordProcessingCommand)
export class RecordProcessingHandler implements ICommandHandler<RecordProcessingCommand> {
  constructor(private readonly recorder: ProcessingRecorder) {}

  execute(command: RecordProcessingCommand): Promise<RecordOutcome[]> {
    return this.recorder.record(command.records, command.correlationId, command.batch);
  }
}
