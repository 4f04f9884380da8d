import type { FactoryProvider } from '@nestjs/common';
import { EVENT_STORE, openEventStore, type EventStore } from '@derbes/event-store';
import { Clock } from './clock';
import { LEDGER_CONFIG } from './config/config.tokens';
import type { LedgerConfig } from './config/ledger-config';
import { refuseUnfinishedRestore } from './config/unfinished-restore';

/**
 * The one place that chooses the event-store adapter: the configured location is a SQLite file, ':memory:', or an
 * EventStoreDB connection string. An unreachable EventStoreDB fails the start-up, naming the address and what to check;
 * so does a data directory a restore did not finish filling.
 */
export const eventStoreProvider: FactoryProvider<EventStore> = {
  provide: EVENT_STORE,
  inject: [LEDGER_CONFIG, Clock],
  useFactory: (config: LedgerConfig, clock: Clock) => {
    refuseUnfinishedRestore(config.dataDir);
    return openEventStore(config.eventStore, { now: () => clock.now() });
  },
};
