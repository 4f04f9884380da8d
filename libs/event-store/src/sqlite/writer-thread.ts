import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../errors';
import { startWorker } from '../worker-script';
import type { GroupSink } from './append-queue';
import type { WriteGroup, WriteOutcome } from './group-writer';
import type { WriterMessage, WriterReply } from './sqlite-writer.worker';

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void };

/** An error from the writer thread, as the request thread sees it: the SQLite code survives the crossing. */
class WriterError extends Error {
  constructor(message: string, override readonly name: string, readonly code?: string) {
    super(message);
  }
}

/**
 * The request thread's side of the writer thread (sqlite-writer.worker.ts): sends it groups, settles them by its
 * replies. The thread keeps the process alive only while a message is waiting for its reply, so that a store left
 * open does not keep a finished process running, and a process awaiting an append does not exit before it is stored.
 */
export class WriterThread implements GroupSink {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Set once the thread has died: every later message fails with it. */
  private dead: Error | undefined;

  constructor(path: string) {
    this.worker = startWorker(join(__dirname, 'sqlite-writer.worker'), { workerData: { path } });
    this.worker.unref();
    this.worker.on('message', (reply: WriterReply) => this.settle(reply));
    this.worker.on('error', (error) => this.die(error));
    this.worker.on('exit', (code) => this.die(new Error(`the writer thread exited with code ${code}`)));
  }

  write(group: WriteGroup): Promise<WriteOutcome[]> {
    return this.send<WriteOutcome[]>((id) => ({ id, group }));
  }

  /** Runs a pragma on the writing connection and returns its result. */
  pragma(pragma: string): Promise<unknown> {
    return this.send((id) => ({ id, pragma }));
  }

  /** Closes the writing connection and ends the thread. */
  async close(): Promise<void> {
    if (this.dead) return;
    await this.send((id) => ({ id, close: true }));
    await this.worker.terminate();
  }

  private send<T>(message: (id: number) => WriterMessage): Promise<T> {
    if (this.dead) return Promise.reject(new StoreUnavailableError(`the event store cannot write: ${this.dead.message}`, this.dead));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage(message(id));
    });
  }

  private settle(reply: WriterReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ('error' in reply) pending.reject(new WriterError(reply.error.message, reply.error.name, reply.error.code));
    else pending.resolve(reply.outcomes);
  }

  private die(error: Error): void {
    if (this.dead) return;
    this.dead = error;
    for (const pending of this.pending.values()) {
      pending.reject(new StoreUnavailableError(`the event store's writer thread stopped: ${error.message}`, error));
    }
    this.pending.clear();
  }
}
