import { dirname, join } from 'node:path';
import type { FactoryProvider } from '@nestjs/common';
import { EVENT_STORE, isEsdbLocation, type EventStore } from '@derbes/event-store';
import {
  ProjectionRunner,
  integrityLogProjection,
  actorActivityProjection,
  openReadModelDatabase,
  processingSummaryProjection,
  requestQueueProjection,
  sensitiveCategoriesOf,
  sensitiveMarksOf,
  sourceSystemsProjection,
  subjectHistoryProjection,
  subjectInventoryProjection,
  transfersProjection,
  violationsProjection,
  type Projection,
} from '@derbes/projections';
import { BUILT_IN_REGISTERS, RegisterCatalog, loadRegistersFile } from '@derbes/register';
import { Clock } from './clock';
import { ThreadedProjectionRunner } from './projections-thread';
import type { ProjectionsThreadData } from './projections.worker';
import { threadSideBuild } from './side-build';
import { LEDGER_CONFIG } from './config/config.tokens';
import type { LedgerConfig } from './config/ledger-config';

/** What of the configuration the projections read. */
export type ProjectionSettings = Pick<LedgerConfig, 'owner' | 'utcOffsetMinutes'>;

/** Every projection the ledger runs; some read the registers (which categories are sensitive) and the calendar's offset. */
export function ledgerProjections(catalog: RegisterCatalog, config: ProjectionSettings): Projection[] {
  return [
    subjectHistoryProjection,
    subjectInventoryProjection,
    processingSummaryProjection,
    violationsProjection,
    transfersProjection,
    actorActivityProjection({
      isSensitive: sensitiveCategoriesOf(catalog, config.owner), sensitiveMarks: sensitiveMarksOf(catalog, config.owner), utcOffsetMinutes: config.utcOffsetMinutes,
    }),
    requestQueueProjection,
    integrityLogProjection,
    sourceSystemsProjection,
  ];
}

/** Every projection the ledger runs, as a thread that keeps them builds them from what it was given. */
export function threadProjections(data: ProjectionsThreadData): Projection[] {
  const extra = data.registersFile ? loadRegistersFile(data.registersFile) : [];
  const catalog = RegisterCatalog.withOverrides(BUILT_IN_REGISTERS, extra, { utcOffsetMinutes: data.utcOffsetMinutes, ...(data.registersFile ? { extraSource: data.registersFile } : {}) });
  return ledgerProjections(catalog, data);
}

/**
 * The read models' SQLite file: the one DERBES_READ_MODELS names, else beside the SQLite event store (in memory when
 * the store is), or in the data directory with EventStoreDB.
 */
export function readModelPath(config: LedgerConfig): string {
  if (config.eventStore === ':memory:') return ':memory:';
  if (config.readModels !== null) return config.readModels;
  // Beside the SQLite file they follow; with EventStoreDB, in this replica's own data directory.
  return isEsdbLocation(config.eventStore) ? join(config.dataDir, 'read-models.db') : join(dirname(config.eventStore), 'read-models.db');
}

export const projectionRunnerProvider: FactoryProvider<ProjectionRunner> = {
  provide: ProjectionRunner,
  inject: [EVENT_STORE, LEDGER_CONFIG, Clock, RegisterCatalog],
  useFactory: (store: EventStore, config: LedgerConfig, clock: Clock, catalog: RegisterCatalog) => {
    const readModels = openReadModelDatabase(readModelPath(config));
    const projections = ledgerProjections(catalog, config);
    // On a file, the read models are kept on a thread of their own; in memory, they can only be kept here.
    if (config.runProjections && config.projectionsOnThread && config.eventStore !== ':memory:') {
      const runner = new ThreadedProjectionRunner(store, readModels, projections, {
        eventStore: config.eventStore, readModels: readModelPath(config), registersFile: config.registersFile,
        owner: config.owner, utcOffsetMinutes: config.utcOffsetMinutes,
      });
      runner.attach();
      return runner;
    }
    // On a file, what is built from scratch is built on two threads (threadSideBuild).
    const sideBuild = config.eventStore === ':memory:' || readModelPath(config) === ':memory:' ? undefined : threadSideBuild({
      eventStore: config.eventStore, readModels: readModelPath(config), registersFile: config.registersFile, owner: config.owner, utcOffsetMinutes: config.utcOffsetMinutes,
    });
    const runner = new ProjectionRunner(store, readModels, projections, { now: () => clock.now(), checkpointsOnThread: true, ...(sideBuild && { sideBuild }) });
    if (config.runProjections) runner.start();
    else runner.attach();
    return runner;
  },
};
