import { ProjectionNotReadyError, type ProjectionRunner, type ReadModelTables } from '@derbes/projections';
import { LedgerError } from '../ledger-errors';

/** How long a query carrying a write's position waits for the read model to reach it. */
export const READ_YOUR_WRITES_WAIT_MS = 2000;

/**
 * The tables of a projection's active generation, once it has applied `position` when one is given (the position
 * of the client's own last write). Throws LedgerError projection_behind (409) when it has not within 2 s,
 * projection_building (503) while the first generation is still being built, and invalid_request (400) for a
 * position beyond the log's end.
 */
export async function readModel(runner: ProjectionRunner, name: string, position: number | undefined): Promise<ReadModelTables> {
  // A position the log has not reached is no write of the client's: waiting could never succeed.
  if (position !== undefined && position > runner.position(name)) {
    const end = await runner.logEnd();
    if (position > end) throw LedgerError.invalid([{ field: 'position', reason: `is beyond the end of the log (${end} events): no write returned it` }]);
  }
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
