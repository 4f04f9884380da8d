import { chainHash, type ChainedEvent } from '@derbes/integrity';
import type { ReportChainEntry, ReportIntegrity, ReportStoredEvent, TreeHeadSource } from './access-report.model';

/** What the ledger hands the builder for the `integrity` section. */
export interface ReportIntegrityInput {
  /** The subject's whole stream as stored, in revision order (as read for the report). */
  readonly stream: readonly ReportStoredEvent[];
  readonly treeHeadSource: TreeHeadSource;
  readonly treeHead: ReportIntegrity['treeHead'];
  /** The inclusion proof of the last event the report covers: `lastCoveredEvent(stream, withheld)`. */
  readonly inclusion: ReportIntegrity['inclusion'];
}

/**
 * The last event a report covers: the stream's last event that is not withheld (events withheld after it are not
 * listed at all: their leaf could not be recomputed from a stored form the report cannot show). Undefined when
 * every event is withheld.
 */
export function lastCoveredEvent<E extends { readonly id: string }>(stream: readonly E[], isWithheld: (id: string) => boolean): E | undefined {
  for (let i = stream.length - 1; i >= 0; i--) if (!isWithheld(stream[i]!.id)) return stream[i];
  return undefined;
}

function linksBack(e: ReportStoredEvent): boolean {
  return Object.prototype.hasOwnProperty.call(e.metadata, 'previousHash');
}

/** The eight stored fields only: whatever else an adapter keeps beside an event is not part of it. */
function storedForm(e: ReportStoredEvent): ReportStoredEvent {
  return { id: e.id, type: e.type, streamId: e.streamId, revision: e.revision, position: e.position, data: e.data, metadata: e.metadata, created: e.created };
}

/**
 * The `integrity` section: the chain from revision 0 to the last covered event (withheld events with their hashes
 * only), with the head and the proof given. Throws when the proof is not of that last event: a report must never
 * carry a proof of something else.
 */
export function reportIntegrity(input: ReportIntegrityInput, withheld: ReadonlySet<string>): ReportIntegrity {
  const last = lastCoveredEvent(input.stream, (id) => withheld.has(id));
  if (!last) throw new Error('every event of the subject is withheld: there is no event to prove');
  if (input.inclusion.eventId !== last.id || input.inclusion.leafIndex !== last.position - 1) {
    throw new Error(`the inclusion proof is of event ${input.inclusion.eventId}, not of the last covered event ${last.id}`);
  }
  const chain: ReportChainEntry[] = [];
  const stream = input.stream;
  for (let i = 0; i < stream.length; i++) {
    const e = stream[i]!;
    const hidden = withheld.has(e.id);
    const next = e === last ? undefined : stream[i + 1];
    chain.push({
      position: e.position, revision: e.revision, eventId: e.id, type: e.type,
      ...(linksBack(e) ? { previousHash: e.metadata.previousHash as string | null } : {}),
      // An event's chain hash is what the next one links to: hashing each event again would cost most of the
      // report's time, and a verifier recomputes it from the stored form anyway (an altered event shows there).
      chainHash: next && linksBack(next) && typeof next.metadata.previousHash === 'string'
        ? next.metadata.previousHash : chainHash(e as unknown as ChainedEvent),
      withheld: hidden, event: hidden ? null : storedForm(e),
    });
    if (e === last) break;
  }
  return { treeHeadSource: input.treeHeadSource, treeHead: input.treeHead, chain, inclusion: input.inclusion };
}
