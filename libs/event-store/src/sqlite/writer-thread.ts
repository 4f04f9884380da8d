import { join } from 'node:path';
import { ThreadClient } from '../thread-requests';
import type { GroupSink } from './append-queue';
import type { WriteGroup, WriteOutcome } from './group-writer';
import type { WriterRequest } from './sqlite-writer.worker';

/** The request thread's side of the writer thread (sqlite-writer.worker.ts): groups go there to be committed. */
export class WriterThread implements GroupSink {
  private readonly thread: ThreadClient;

  constructor(path: string) {
    this.thread = new ThreadClient("the event store's writer thread", join(__dirname, 'sqlite-writer.worker'), { path });
  }

  write(group: WriteGroup): Promise<WriteOutcome[]> {
    return this.thread.request<WriteOutcome[]>({ group } satisfies WriterRequest);
  }

  /** Runs a pragma on the writing connection and returns its result. */
  pragma(pragma: string): Promise<unknown> {
    return this.thread.request({ pragma } satisfies WriterRequest);
  }

  /** Closes the writing connection and ends the thread. */
  close(): Promise<void> {
    return this.thread.close();
  }
}
