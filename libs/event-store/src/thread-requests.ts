import { parentPort, type ResourceLimits, type Worker } from 'node:worker_threads';
import { StoreUnavailableError } from './errors';
import { startWorker } from './worker-script';

type Envelope = { readonly id: number; readonly body: unknown } | { readonly id: number; readonly close: true };
type Reply =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: { readonly message: string; readonly name: string; readonly code?: string } };

/** An error from a worker thread, as the calling thread sees it: the SQLite code survives the crossing. */
export class ThreadError extends Error {
  constructor(message: string, override readonly name: string, readonly code?: string) {
    super(message);
  }
}

/**
 * Requests to a worker thread that answers each (see serveRequests), as promises. The thread keeps the process
 * alive only while a request waits for its answer: a store left open does not keep a finished process running, and
 * a process awaiting a write does not exit before it is done. If the thread dies, waiting and later requests fail
 * with StoreUnavailableError, naming `what`, its cause the thread's error (`code` ERR_WORKER_OUT_OF_MEMORY when it
 * reached its heap limit, `resourceLimits` or the process's).
 */
export class ThreadClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  private nextId = 1;
  private dead: Error | undefined;

  constructor(private readonly what: string, modulePath: string, workerData: unknown, resourceLimits?: ResourceLimits) {
    this.worker = startWorker(modulePath, { workerData, ...(resourceLimits ? { resourceLimits } : {}) });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (error) => this.die(error));
    this.worker.on('exit', (code) => this.die(new Error(`exited with code ${code}`)));
  }

  request<T>(body: unknown): Promise<T> {
    return this.send((id) => ({ id, body }));
  }

  /** Lets the thread close what it holds (its `onClose`), then ends it. */
  async close(): Promise<void> {
    if (this.dead) return;
    await this.send((id) => ({ id, close: true }));
    await this.worker.terminate();
  }

  private send<T>(envelope: (id: number) => Envelope): Promise<T> {
    if (this.dead) return Promise.reject(new StoreUnavailableError(`${this.what} stopped: ${this.dead.message}`, this.dead));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage(envelope(id));
    });
  }

  private settle(reply: Reply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ('error' in reply) pending.reject(new ThreadError(reply.error.message, reply.error.name, reply.error.code));
    else pending.resolve(reply.result);
  }

  private die(error: Error): void {
    if (this.dead) return;
    this.dead = error;
    for (const pending of this.pending.values()) pending.reject(new StoreUnavailableError(`${this.what} stopped: ${error.message}`, error));
    this.pending.clear();
  }
}

/**
 * The worker thread's side of ThreadClient: answers each request with what `handle` returns (or the promise it
 * returns settles to), or with the error it throws (message, name and code); on close, awaits `onClose` and ends.
 * A synchronous answer is sent at once, so that a thread doing one thing at a time answers in order.
 */
export function serveRequests(handle: (body: never) => unknown, onClose: () => unknown): void {
  const port = parentPort;
  if (!port) throw new Error('serveRequests runs in a worker thread');
  const fail = (id: number, error: unknown) => {
    const e = error as { message?: unknown; code?: unknown; name?: unknown } | null;
    port.postMessage({
      id,
      error: { message: String(e?.message ?? error), name: String(e?.name ?? 'Error'), ...(typeof e?.code === 'string' ? { code: e.code } : {}) },
    });
  };
  const answer = (id: number, result: unknown, after?: () => void) => {
    if (!(result instanceof Promise)) {
      port.postMessage({ id, result });
      after?.();
      return;
    }
    result.then((value: unknown) => {
      port.postMessage({ id, result: value });
      after?.();
    }, (error: unknown) => fail(id, error));
  };
  port.on('message', (envelope: Envelope) => {
    try {
      if ('close' in envelope) {
        const closing = onClose();
        answer(envelope.id, closing instanceof Promise ? closing.then(() => null) : null, () => port.close());
      } else {
        answer(envelope.id, handle(envelope.body as never));
      }
    } catch (error) {
      fail(envelope.id, error);
    }
  });
}
