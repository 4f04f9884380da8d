import { eventTypeFilter, excludeSystemEvents, type Filter, type Position } from '@eventstore/db-client';

/**
 * Which events of `$all` are the ledger's: the server-side filter of the index's subscription, and the same rule
 * applied here to events read without a filter (reads of `$all` cannot be filtered by this client).
 */
export interface LedgerFilter {
  /** The subscription's filter; `checkpoint` hears how far the server has searched when it skips events. */
  server(checkpoint: (position: Position) => void): Filter;
  /** Whether an event of this type is the ledger's. */
  accepts(type: string): boolean;
  /** For messages. */
  readonly description: string;
}

/**
 * `eventTypes` given: exactly those types (a database shared with other applications). Not given: every non-system
 * event (types not starting with `$`), for a database used by the ledger alone.
 */
export function ledgerFilter(eventTypes?: readonly string[]): LedgerFilter {
  if (eventTypes === undefined) {
    return {
      server: (checkpoint) => excludeSystemEvents({ checkpointReached: (_subscription, position) => checkpoint(position) }),
      accepts: (type) => !type.startsWith('$'),
      description: 'every non-system event type',
    };
  }
  if (eventTypes.length === 0) throw new TypeError('eventTypes: an empty list would leave the ledger no events; leave it out for every non-system type');
  for (const type of eventTypes) {
    if (typeof type !== 'string' || type === '' || type.startsWith('$')) {
      throw new TypeError(`eventTypes: "${String(type)}" is not a ledger event type (a non-empty name not starting with $)`);
    }
  }
  const types = new Set(eventTypes);
  const regex = `^(?:${[...types].map(escapeRegex).join('|')})$`;
  return {
    server: (checkpoint) => eventTypeFilter({ regex, checkpointReached: (_subscription, position) => checkpoint(position) }),
    accepts: (type) => types.has(type),
    description: `the event types ${[...types].join(', ')}`,
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
