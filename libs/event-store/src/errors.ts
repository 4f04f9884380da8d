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
