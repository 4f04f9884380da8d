import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ANY, EVENT_STORE, type EventStore, type JsonObject } from '@derbes/event-store';
import { SOURCE_SYSTEM_HEARTBEAT_SCHEMA_VERSION, decideHeartbeat, sourceSystemStreamId, type RecordHeartbeat } from '@derbes/ledger';

/** What the ledger answers for a heartbeat: what it stored, and where. */
export interface HeartbeatOutcome extends RecordHeartbeat {
  readonly eventId: string;
  readonly position: number;
}

/** Record a source system's heartbeat in its own stream. */
export class RecordHeartbeatCommand extends Command<HeartbeatOutcome> {
  constructor(
    readonly heartbeat: RecordHeartbeat,
    readonly eventId: string,
    readonly correlationId: string,
  ) {
    super();
  }
}

@CommandHandler(RecordHeartbeatCommand)
export class RecordHeartbeatHandler implements ICommandHandler<RecordHeartbeatCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ heartbeat, eventId, correlationId }: RecordHeartbeatCommand): Promise<HeartbeatOutcome> {
    // Heartbeats decide nothing and conflict with nothing: any revision will do.
    const metadata = { schemaVersion: SOURCE_SYSTEM_HEARTBEAT_SCHEMA_VERSION, recordedAt: heartbeat.receivedAt, correlationId };
    const events = decideHeartbeat(heartbeat).map((e) => ({ id: eventId, type: e.type, data: e.data as unknown as JsonObject, metadata }));
    const result = await this.store.appendToStream(sourceSystemStreamId(heartbeat.system), events, ANY);
    return { ...heartbeat, eventId, position: result.events[0]!.position };
  }
}
