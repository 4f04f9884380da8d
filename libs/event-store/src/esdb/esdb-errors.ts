import {
  AccessDeniedError, DeadlineExceededError, NotLeaderError, UnavailableError, WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import type { ExpectedRevision } from '../event-store.port';
import { StoreUnavailableError, WrongExpectedVersionError } from '../errors';
import type { EsdbLocation } from './esdb-location';

// gRPC status codes the client leaves on plain errors (an append to an unreachable node throws a plain Error).
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/**
 * Whether a failed call may succeed when tried again: the node is down or restarting, is not the leader (the client
 * then reconnects to the one it names), or did not answer in time. Not a conflict, a refusal or bad input.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof UnavailableError || error instanceof NotLeaderError || error instanceof DeadlineExceededError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED) return true;
  // Cluster discovery found no node this time (esdb+discover://).
  return error instanceof Error && error.message.startsWith('Failed to discover');
}

/** The port's conflict for the client's; other errors as they are. */
export function toPortAppendError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (!(error instanceof EsdbWrongExpectedVersionError)) return error;
  const actual = error.actualVersion;
  return new WrongExpectedVersionError(streamId, expected, typeof actual === 'bigint' ? Number(actual) : 'no_stream');
}

/** Why a store could not be opened (the probe is a read of `$all`), with what to check. */
export function unreachableMessage(location: EsdbLocation, error: unknown): string {
  if (error instanceof AccessDeniedError) {
    return `EventStoreDB at ${location.display} refused access: ${error.message || 'access denied'} (the ledger's user must read $all: a member of $admins or $ops, or an ACL granting it)`;
  }
  const reason = error instanceof Error ? error.message.replace(/\s*Resolution note:\s*$/, '') : String(error);
  const hint = location.discover
    ? 'are the cluster\'s nodes running and their gossip port reachable? for insecure nodes add ?tls=false'
    : 'is the server running? for a single insecure node use ?tls=false';
  return `EventStoreDB at ${location.display} is unreachable: ${reason} (${hint})`;
}

/** A transient failure that outlasted the retries. */
export function unavailable(location: EsdbLocation, action: string, error: unknown): StoreUnavailableError {
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`EventStoreDB at ${location.display}: could not ${action}: ${reason}`, error);
}
