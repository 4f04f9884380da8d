import { dirname, join } from 'node:path';
import type { FactoryProvider } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import { ProjectionRunner, openReadModelDatabase, type Projection } from '@derbes/projections';
import { Clock } from './clock';
import { LEDGER_CONFIG } from './config/config.tokens';
import type { LedgerConfig } from './config/ledger-config';

/** Every projection the ledger runs. */
export function ledgerProjections(): Projection[] {
  return [];
}

/** Read models live in a SQLite file beside the event store (in memory when the store is). */
export function readModelPath(config: LedgerConfig): string {
  return config.eventStore === ':memory:' ? ':memory:' : join(dirname(config.eventStore), 'read-models.db');
}

export const projectionRunnerProvider: FactoryProvider<ProjectionRunner> = {
  provide: ProjectionRunner,
  inject: [EVENT_STORE, LEDGER_CONFIG, Clock],
  useFactory: (store: EventStore, config: LedgerConfig, clock: Clock) => {
    const runner = new ProjectionRunner(store, openReadModelDatabase(readModelPath(config)), ledgerProjections(), () => clock.now());
    if (config.runProjections) runner.start();
    return runner;
  },
};
