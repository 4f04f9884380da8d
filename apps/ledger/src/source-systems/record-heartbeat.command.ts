import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ANY, DuplicateEventIdError, EVENT_STORE, type EventStore, type JsonObject } from '@derbes/event-store';
import {
  SOURCE_SYSTEM_HEARTBEAT, SOURCE_SYSTEM_HEARTBEAT_SCHEMA_VERSION, decideHeartbeat, derivedUuid, sourceSystemStreamId, type RecordHeartbeat,
  type SourceSystemHeartbeatData,
} from '@derbes/ledger';
import { LedgerError } from '../ledger-errors';

/** What the ledger answers for a heartbeat: what it stored, and where. */
export interface HeartbeatOutcome extends RecordHeartbeat {
  readonly eventId: string;
  readonly position: number;
}

/**
 * Record a source system's heartbeat in its own stream. Its event id is derived from the system, lastSequence and
 * sentAt: a heartbeat sent again (a retry after a lost answer) is the same heartbeat, stored once.
 */
export class RecordHeartbeatCommand extends Command<HeartbeatOutcome> {
  readonly eventId: string;

  constructor(
    readonly heartbeat: RecordHeartbeat,
    readonly correlationId: string,
  ) {
    super();
    this.eventId = derivedUuid(`heartbeat ${heartbeat.system} ${heartbeat.lastSequence} ${heartbeat.sentAt}`);
  }
}

@CommandHandler(RecordHeartbeatCommand)
export class RecordHeartbeatHandler implements ICommandHandler<RecordHeartbeatCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ heartbeat, eventId, correlationId }: RecordHeartbeatCommand): Promise<HeartbeatOutcome> {
    // Heartbeats decide nothing and conflict with nothing: any revision will do.
    const metadata = { schemaVersion: SOURCE_SYSTEM_HEARTBEAT_SCHEMA_VERSION, recordedAt: heartbeat.receivedAt, correlationId };
    const events = decideHeartbeat(heartbeat).map((e) => ({ id: eventId, type: e.type, data: e.data as unknown as JsonObject, metadata }));
    try {
      const result = await this.store.appendToStream(sourceSystemStreamId(heartbeat.system), events, ANY);
      return { ...heartbeat, eventId, position: result.events[0]!.position };
    } catch (error) {
      if (!(error instanceof DuplicateEventIdError)) throw error;
      // Sent again: the first one's answer, with the time the ledger took it. Only if the event is that heartbeat:
      // the id could also be held by an event stored before clients' ids of derivedUuid's version were refused.
      const stored = await this.store.readEventById(eventId);
      if (!stored) throw error;
      const data = stored.data as unknown as SourceSystemHeartbeatData;
      if (stored.type !== SOURCE_SYSTEM_HEARTBEAT || stored.streamId !== sourceSystemStreamId(heartbeat.system)
        || data.lastSequence !== heartbeat.lastSequence || data.sentAt !== heartbeat.sentAt) {
        throw new LedgerError('event_id_conflict', `this heartbeat's id ${eventId} is already held by another event of the ledger: nothing was stored; send it with another sentAt`, [
          { field: 'sentAt', reason: `gives the heartbeat the id ${eventId}, which another event holds: send another sentAt` },
        ]);
      }
      return { ...heartbeat, receivedAt: String(data.receivedAt), eventId, position: stored.position };
    }
  }
}
