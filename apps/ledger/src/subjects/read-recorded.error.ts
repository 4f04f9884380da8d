/**
 * A failure after a read of a subject's file was recorded (SubjectFileRead): the read stays in their stream, and their
 * access report will list it, so the answer must say so rather than "nothing was recorded". The HTTP answer keeps the
 * cause's status (http/error.filter.ts); the CLI prints the message.
 */
export class ReadRecordedError extends Error {
  override readonly name = 'ReadRecordedError';
  constructor(
    /** The recorded read's event id, as the subject's report and history show it. */
    readonly readId: string,
    /** What could not be done, e.g. `the access report could not be made`. */
    readonly failed: string,
    override readonly cause: unknown,
    /** The subject's request whose answer was not stored (the read was its report's): null when what failed was no answer. */
    readonly requestId: string | null = null,
  ) {
    super('');
    this.message = `${this.saying(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause))}; ask again (that records another read)`;
  }

  /** The statement, with `why` (what the answer may tell of the cause). */
  saying(why: string): string {
    return `the read of the subject's file was recorded (event ${this.readId}, which their access report lists), but ${this.failed}: ${why}`;
  }
}

/**
 * Runs what follows a recorded read; a failure is thrown again as a ReadRecordedError naming the read (and `requestId`,
 * the request whose answer `work` stores, if it does).
 */
export async function afterRead<T>(readId: string, failed: string, work: () => Promise<T> | T, requestId: string | null = null): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof ReadRecordedError ? error : new ReadRecordedError(readId, failed, error, requestId);
  }
}
