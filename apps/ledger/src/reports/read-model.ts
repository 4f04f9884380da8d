import { ProjectionNotReadyError, type ProjectionRunner, type ReadModelTables } from '@derbes/projections';
import { LedgerError } from '../ledger-errors';

/** How long a query carrying a write's position waits for the read model to reach it. */
export const READ_YOUR_WRITES_WAIT_MS = 2000;

/**
 * The tables of a projection's active generation, once it has applied `position` when one is given (the position
 * of the client's own last write). Throws LedgerError projection_behind (409) when it has not within 2 s, and
 * projection_building (503) while the first generation is still being built.
 */
export async function readModel(runner: ProjectionRunner, name: string, position: number | undefined): Promise<ReadModelTables> {
  const reached = position === undefined || (await runner.waitFor(name, position, READ_YOUR_WRITES_WAIT_MS));
  let tables: ReadModelTables;
  try {
    tables = runner.tables(name);
  } catch (error) {
    if (error instanceof ProjectionNotReadyError) throw new LedgerError('projection_building', `${error.message}; retry shortly`);
    throw error;
  }
  if (!reached) {
    throw new LedgerError('projection_behind', `the ${name} read model has not reached position ${position} yet (it is at ${runner.position(name)}); retry`);
  }
  return tables;
}
