import type { EventData, RecordedEvent } from '@derbes/event-store';
import { keepStoredJson } from '@derbes/canonical-json';
import { chainHash, chainHashOfUnstored, type JsonObject } from '@derbes/integrity';

/**
 * Links events about to be appended to a subject's stream into its hash chain (libs/integrity/CANONICAL.md, "The
 * per-subject chain"): each carries `metadata.previousHash`, the chain hash of the stream's event before it (null
 * for the first chained one). Returns the events as they are to be stored and the chain hash of the last, which the
 * next append links to. The hash covers the data and metadata as the store will write them: a class instance or an
 * undefined member hashes as what is stored (chainHashOfUnstored), and the store writes the text hashed here
 * (keepStoredJson).
 */
export function linkEvents(
  streamId: string,
  firstRevision: number,
  previousHash: string | null,
  events: readonly EventData[],
): { readonly events: EventData[]; readonly lastHash: string | null } {
  let previous = previousHash;
  const linked = events.map((event, i) => {
    const metadata = { ...event.metadata, previousHash: previous };
    const stored = { ...event, metadata };
    previous = chainHashOfUnstored({ id: event.id, type: event.type, streamId, revision: firstRevision + i, data: event.data, metadata }, keepStoredJson);
    return stored;
  });
  return { events: linked, lastHash: previous };
}

/** The chain hash the next event of a stream links to, from the stream's last stored event (null: none chained yet). */
export function lastChainHash(last: RecordedEvent | undefined): string | null {
  if (!last || !Object.prototype.hasOwnProperty.call(last.metadata, 'previousHash')) return null;
  return chainHash({ id: last.id, type: last.type, streamId: last.streamId, revision: last.revision, data: last.data as JsonObject, metadata: last.metadata as JsonObject });
}
