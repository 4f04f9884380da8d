import { existsSync } from 'node:fs';
import { isEsdbLocation } from '@derbes/event-store';
import type { LedgerConfig } from '../../ledger/src/config/ledger-config';
import { refuseUnfinishedRestore } from '../../ledger/src/config/unfinished-restore';

/**
 * Refuses a command that works on an existing ledger when its event-store file is not there: opening the store would
 * quietly make a new, empty ledger (and a new pseudonym key) in a mistyped or missing data directory. EventStoreDB
 * and :memory: have no file to look for. `keys create`, `demo` and `serve` make a ledger on purpose and do not ask.
 */
export function requireEventStore(config: LedgerConfig): void {
  refuseUnfinishedRestore(config.dataDir);
  const store = config.eventStore;
  if (store === ':memory:' || isEsdbLocation(store) || existsSync(store)) return;
  throw new Error(`no event store at ${store}: is DERBES_DATA_DIR (or DERBES_EVENT_STORE) the ledger's?`);
}
