import { afterAll, beforeAll, describe } from '@jest/globals';
import type { EventStore } from '../event-store.port';
import { appendsContract } from './appends.contract';
import { concurrencyContract } from './concurrency.contract';
import type { ContractContext } from './contract-helpers';
import { expectedRevisionContract } from './expected-revision.contract';
import { importContract } from './import.contract';
import { readsContract } from './reads.contract';
import { subscriptionsContract } from './subscriptions.contract';

export { CONTRACT_EVENT_TYPES } from './contract-helpers';

export interface ContractOptions {
  /**
   * Whether appendMany and importEvents keep all of a call or nothing (the embedded store: one transaction). A store
   * without multi-stream transactions (EventStoreDB) goes operation by operation and stops at the first failure,
   * keeping the ones before it; the contract checks that instead.
   */
  readonly atomicBatches: boolean;
}

/**
 * Declares the event-store port's behaviour as jest tests, for the store `open` gives (one store for the whole
 * suite, closed after it). The store may already hold events, of earlier runs or other processes: every test uses
 * streams of its own and counts positions from `lastPosition()` taken when it starts; a store that follows chosen
 * event types only must be opened with CONTRACT_EVENT_TYPES.
 */
export function describeEventStoreContract(name: string, open: () => Promise<EventStore>, options: ContractOptions): void {
  describe(`event-store contract: ${name}`, () => {
    let store: EventStore | undefined;
    const ctx: ContractContext = {
      store: () => {
        if (!store) throw new Error(`the store under test (${name}) did not open`);
        return store;
      },
      atomicBatches: options.atomicBatches,
    };
    beforeAll(async () => { store = await open(); }, 180_000);
    afterAll(async () => { await store?.close(); });

    expectedRevisionContract(ctx);
    appendsContract(ctx);
    readsContract(ctx);
    subscriptionsContract(ctx);
    concurrencyContract(ctx);
    importContract(ctx);
  });
}
