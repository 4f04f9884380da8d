import { parentPort, workerData } from 'node:worker_threads';
import { GroupWriter, type WriteGroup } from './group-writer';
import { openEventDatabase } from './sqlite-schema';

/** Messages the writer thread takes (see WriterThread). */
export type WriterMessage =
  | { readonly id: number; readonly group: WriteGroup }
  /** Runs a pragma on the writer's connection (tests simulate a disk that refuses writes with it). */
  | { readonly id: number; readonly pragma: string }
  | { readonly id: number; readonly close: true };

export type WriterReply =
  | { readonly id: number; readonly outcomes: unknown }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string; readonly name: string } };

/**
 * The writer thread of a SQLite event store on a file: it owns the connection that writes, so that building a
 * group's transaction and waiting for its fsync happen off the request thread, which meanwhile takes the next
 * requests. The request thread reads through its own connection (WAL lets it).
 */
const db = openEventDatabase((workerData as { path: string }).path);
const writer = new GroupWriter(db);
const port = parentPort!;

port.on('message', (message: WriterMessage) => {
  try {
    if ('group' in message) port.postMessage({ id: message.id, outcomes: writer.write(message.group) });
    else if ('pragma' in message) port.postMessage({ id: message.id, outcomes: db.pragma(message.pragma) });
    else {
      db.close();
      port.postMessage({ id: message.id, outcomes: null });
      port.close();
    }
  } catch (error) {
    const e = error as { message?: unknown; code?: unknown; name?: unknown };
    port.postMessage({
      id: message.id,
      error: { message: String(e?.message ?? error), name: String(e?.name ?? 'Error'), ...(typeof e?.code === 'string' ? { code: e.code } : {}) },
    });
  }
});
