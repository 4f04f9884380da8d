import { ProjectionNotReadyError, type ProjectionRunner, type ReadModelTables } from '@derbes/projections';
import { LedgerError } from '../ledger-errors';

/** How long a query carrying a write's position waits for the read model to reach it. */
export const READ_YOUR_WRITES_WAIT_MS = 2000;

/**
 * Runs `query` on a projection's active generation once it has applied `position` when one is given (the position
 * of the client's own last write), in one read transaction with the position it reports (ProjectionRunner.read):
 * every statement of one answer reads the same committed state. Throws LedgerError projection_behind (409) when the
 * read model has not reached `position` within 2 s, projection_building (503) while the first generation is still
 * being built, and invalid_request (400) for a position beyond the log's end.
 */
export async function readModel<T>(
  runner: ProjectionRunner, name: string, position: number | undefined, query: (tables: ReadModelTables, position: number) => T,
): Promise<T> {
  // A position the log has not reached is no write of the client's: waiting could never succeed.
  if (position !== undefined && position > runner.position(name)) {
    const end = await runner.logEnd();
    if (position > end) throw LedgerError.invalid([{ field: 'position', reason: `is beyond the end of the log (${end} events): no write returned it` }]);
  }
  if (position !== undefined) await runner.waitFor(name, position, READ_YOUR_WRITES_WAIT_MS);
  try {
    return runner.read(name, (tables, at) => {
      if (position !== undefined && at < position) {
        throw new LedgerError('projection_behind', `the ${name} read model has not reached position ${position} yet (it is at ${at}); retry`);
      }
      return query(tables, at);
    });
  } catch (error) {
    if (error instanceof ProjectionNotReadyError) throw new LedgerError('projection_building', `${error.message}; retry shortly`);
    throw error;
  }
}
