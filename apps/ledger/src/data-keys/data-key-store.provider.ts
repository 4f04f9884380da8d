import { join } from 'node:path';
import type { FactoryProvider } from '@nestjs/common';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { DATA_KEY_STORE, type DataKeyStore } from './data-key-store';
import { SqliteDataKeyStore } from './sqlite-data-key-store';

/** The data-key file in a data directory. Backups of the data directory leave this directory out (README). */
export function dataKeyStorePath(config: LedgerConfig): string {
  return config.eventStore === ':memory:' ? ':memory:' : join(config.dataDir, 'data-keys', 'keys.db');
}

/** The one place that chooses the data-key store: the file in the data directory (in memory with an in-memory event store). */
export const dataKeyStoreProvider: FactoryProvider<DataKeyStore> = {
  provide: DATA_KEY_STORE,
  inject: [LEDGER_CONFIG, Clock],
  useFactory: (config: LedgerConfig, clock: Clock) => SqliteDataKeyStore.open(dataKeyStorePath(config), () => clock.now()),
};
