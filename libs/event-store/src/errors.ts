/** The stream's revision did not match the expected one: somebody else appended first. */
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  constructor(
    readonly streamId: string,
    readonly expected: string | number,
    /** The stream's current revision, or 'no_stream'. */
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${expected}, actual ${actual}`);
  }
}

/** An event id that is already in the store was appended again. */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(readonly eventId: string) {
    super(`event id ${eventId} is already stored`);
  }
}

/** The store cannot take writes (disk full, read-only, closed). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}

/**
 * Whether `error` is the storage refusing a write for a reason outside the request (a full disk, an I/O error, a
 * read-only file system, a busy or locked file): it may pass, and nothing is wrong with what was asked. SQLite's
 * codes (also as they cross a thread, ThreadError) and the file system's (a Node `fs` call). The one list of these:
 * the projections pause on them, and the ledger's own files answer them as StoreUnavailableError (503, retry).
 */
export function isStorageFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string'
    && (/^SQLITE_(FULL|IOERR|READONLY|BUSY|LOCKED|CANTOPEN)/.test(code) || ['ENOSPC', 'EDQUOT', 'EROFS', 'EIO'].includes(code));
}

/** `error` as StoreUnavailableError, saying what could not be written, when it is a storage fault; itself otherwise. */
export function unavailableOnStorageFault(error: unknown, what: string): unknown {
  if (error instanceof StoreUnavailableError || !isStorageFault(error)) return error;
  return new StoreUnavailableError(`${what}: ${(error as { code: string }).code}: ${(error as Error).message}`, error);
}

/** An imported event does not continue the store's log where it should (importEvents). */
export class ImportMismatchError extends Error {
  override readonly name = 'ImportMismatchError';
  constructor(
    readonly eventId: string,
    readonly expectedPosition: number,
    readonly actualPosition: number,
  ) {
    super(`event ${eventId}: the source log has it at position ${expectedPosition}, this store would put it at ${actualPosition}`);
  }
}
