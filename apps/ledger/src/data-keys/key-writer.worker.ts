import { workerData } from 'node:worker_threads';
import { serveRequests } from '@derbes/event-store';
import type { PendingDestruction } from './data-key-store';
import { KeyFileWrites, openKeyFile } from './key-file';

/** What the key writer thread is asked (see SqliteDataKeyStore). */
export type KeyWriterRequest =
  | { readonly create: readonly string[]; readonly createdAt: string }
  | { readonly destroy: string; readonly at: string; readonly settles: string | null }
  | { readonly intend: PendingDestruction }
  | { readonly forget: string; readonly eventId: string }
  /** For tests, which simulate a full disk with max_page_count (per connection: this thread's). */
  | { readonly pragma: string };

/**
 * The key writer thread: it owns the connection that writes the data-key file, so that the fsync of a group of new
 * subjects' keys does not stop the request thread, which reads keys through its own connection.
 */
const db = openKeyFile((workerData as { path: string }).path);
const writes = new KeyFileWrites(db);
serveRequests(
  (request: KeyWriterRequest) => {
    if ('create' in request) return writes.create(request.create, request.createdAt);
    if ('destroy' in request) return writes.destroy(request.destroy, request.at, request.settles);
    if ('intend' in request) return writes.intend(request.intend);
    if ('pragma' in request) return db.pragma(request.pragma);
    return writes.forget(request.forget, request.eventId);
  },
  () => db.close(),
);
