import { UnreadableEventError } from '../subject-event.upcast';

/**
 * Events of a source system's own stream (`source-system-<system>`): what the system says about its reporting, as
 * opposed to the records it reports, which go to each subject's stream. No personal data.
 */

export const SOURCE_SYSTEM_HEARTBEAT = 'SourceSystemHeartbeat' as const;
export const SOURCE_SYSTEM_HEARTBEAT_SCHEMA_VERSION = 1;

/** A source system's code as records carry it in `system`: lowercase letters, digits and . _ - (1 to 64). */
export const SYSTEM_CODE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface SourceSystemHeartbeatData {
  readonly system: string;
  /** "Every number up to this one has been sent": numbers at or below it that never arrived are gaps. 0 before any record. */
  readonly lastSequence: number;
  /** The system's clock when it sent the heartbeat. */
  readonly sentAt: string;
  /** The ledger's clock when it took it. */
  readonly receivedAt: string;
}

export interface SourceSystemHeartbeat {
  readonly type: typeof SOURCE_SYSTEM_HEARTBEAT;
  readonly data: SourceSystemHeartbeatData;
}

export type SourceSystemEvent = SourceSystemHeartbeat;

export function sourceSystemStreamId(system: string): string {
  return `source-system-${system}`;
}

/** A heartbeat as the ledger takes it: validated, its times normalised to UTC. */
export interface RecordHeartbeat {
  readonly system: string;
  readonly lastSequence: number;
  readonly sentAt: string;
  readonly receivedAt: string;
}

/** A heartbeat is always recorded: what it means (a gap up to its number, an end of silence) is for the read model. */
export function decideHeartbeat(command: RecordHeartbeat): SourceSystemEvent[] {
  return [{ type: SOURCE_SYSTEM_HEARTBEAT, data: { ...command } }];
}

/** A stored event of a source system's stream in its current shape; null for a type this build does not know. */
export function readSourceSystemEvent(type: string, data: object, metadata: { schemaVersion?: unknown }): SourceSystemEvent | null {
  if (type !== SOURCE_SYSTEM_HEARTBEAT) return null;
  const version = metadata.schemaVersion;
  if (version !== SOURCE_SYSTEM_HEARTBEAT_SCHEMA_VERSION) {
    throw new UnreadableEventError(`${type} v${String(version)} is not a version this build reads (v${SOURCE_SYSTEM_HEARTBEAT_SCHEMA_VERSION})`);
  }
  return { type, data: data as SourceSystemHeartbeatData };
}
