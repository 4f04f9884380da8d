import type { FactoryProvider } from '@nestjs/common';
import { EVENT_STORE, SqliteEventStore, type EventStore } from '@derbes/event-store';
import { Clock } from './clock';
import { LEDGER_CONFIG } from './config/config.tokens';
import type { LedgerConfig } from './config/ledger-config';

/** The one place that chooses the event-store adapter. */
export const eventStoreProvider: FactoryProvider<EventStore> = {
  provide: EVENT_STORE,
  inject: [LEDGER_CONFIG, Clock],
  useFactory: (config: LedgerConfig, clock: Clock) => SqliteEventStore.open(config.eventStore, { now: () => clock.now() }),
};
