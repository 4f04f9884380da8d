import { dirname, join } from 'node:path';
import type { FactoryProvider } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@derbes/event-store';
import {
  ProjectionRunner,
  actorActivityProjection,
  openReadModelDatabase,
  processingSummaryProjection,
  requestQueueProjection,
  sensitiveCategoriesOf,
  subjectHistoryProjection,
  subjectInventoryProjection,
  transfersProjection,
  violationsProjection,
  type Projection,
} from '@derbes/projections';
import { RegisterCatalog } from '@derbes/register';
import { Clock } from './clock';
import { LEDGER_CONFIG } from './config/config.tokens';
import type { LedgerConfig } from './config/ledger-config';

/** Every projection the ledger runs; some read the registers (which categories are sensitive) and the calendar's offset. */
export function ledgerProjections(catalog: RegisterCatalog, config: LedgerConfig): Projection[] {
  return [
    subjectHistoryProjection,
    subjectInventoryProjection,
    processingSummaryProjection,
    violationsProjection,
    transfersProjection,
    actorActivityProjection({ isSensitive: sensitiveCategoriesOf(catalog, config.owner), utcOffsetMinutes: config.utcOffsetMinutes }),
    requestQueueProjection,
  ];
}

/** Read models live in a SQLite file beside the event store (in memory when the store is). */
export function readModelPath(config: LedgerConfig): string {
  return config.eventStore === ':memory:' ? ':memory:' : join(dirname(config.eventStore), 'read-models.db');
}

export const projectionRunnerProvider: FactoryProvider<ProjectionRunner> = {
  provide: ProjectionRunner,
  inject: [EVENT_STORE, LEDGER_CONFIG, Clock, RegisterCatalog],
  useFactory: (store: EventStore, config: LedgerConfig, clock: Clock, catalog: RegisterCatalog) => {
    const runner = new ProjectionRunner(store, openReadModelDatabase(readModelPath(config)), ledgerProjections(catalog, config), () => clock.now());
    if (config.runProjections) runner.start();
    else runner.attach();
    return runner;
  },
};
