import { workerData } from 'node:worker_threads';
import { serveRequests } from '../thread-requests';
import { GroupWriter, type WriteGroup } from './group-writer';
import { openEventDatabase } from './sqlite-schema';

/** What the writer thread is asked (see WriterThread). */
export type WriterRequest = { readonly group: WriteGroup } | { readonly pragma: string };

/**
 * The writer thread of a SQLite event store on a file: it owns the connection that writes, so that building a
 * group's transaction and waiting for its fsync happen off the request thread, which meanwhile takes the next
 * requests. The request thread reads through its own connection (WAL lets it).
 */
const db = openEventDatabase((workerData as { path: string }).path);
const writer = new GroupWriter(db);
serveRequests((request: WriterRequest) => ('group' in request ? writer.write(request.group) : db.pragma(request.pragma)), () => db.close());
