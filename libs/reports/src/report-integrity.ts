import { chainHash, type ChainedEvent } from '@derbes/integrity';
import { SUBJECT_FILE_READ } from '@derbes/ledger';
import type { ReportChainEntry, ReportIntegrity, ReportStoredEvent, TreeHeadSource } from './access-report.model';

/** What the ledger hands the builder for the `integrity` section. */
export interface ReportIntegrityInput {
  /**
   * The subject's stream as stored, in revision order, from revision 0 to the report's own read (its last event: the
   * SubjectFileRead recorded before the report was made).
   */
  readonly stream: readonly ReportStoredEvent[];
  readonly treeHeadSource: TreeHeadSource;
  readonly treeHead: ReportIntegrity['treeHead'];
  /** The inclusion proof of the stream's last event, the report's own read. */
  readonly inclusion: ReportIntegrity['inclusion'];
  /**
   * Inclusion proofs in the head's tree, by event id, of the shown events before the last withheld one
   * (provedEvents); more are ignored.
   */
  readonly proofs?: ReadonlyMap<string, { readonly leafIndex: number; readonly proof: readonly string[] }>;
}

/**
 * The events of `stream` that need a proof of their own: those shown before the last withheld one. A withheld entry
 * shows its hashes only, so nothing recomputable binds its link to the entry before it.
 */
export function provedEvents<T extends { readonly id: string }>(stream: readonly T[], withheld: ReadonlySet<string>): T[] {
  let last = -1;
  stream.forEach((e, i) => {
    if (withheld.has(e.id)) last = i;
  });
  return stream.slice(0, Math.max(last, 0)).filter((e) => !withheld.has(e.id));
}

function linksBack(e: ReportStoredEvent): boolean {
  return Object.prototype.hasOwnProperty.call(e.metadata, 'previousHash');
}

/** The eight stored fields only: whatever else an adapter keeps beside an event is not part of it. */
function storedForm(e: ReportStoredEvent): ReportStoredEvent {
  return { id: e.id, type: e.type, streamId: e.streamId, revision: e.revision, position: e.position, data: e.data, metadata: e.metadata, created: e.created };
}

/**
 * The `integrity` section: the chain from revision 0 to the report's own read, the stream's last event (withheld
 * events before it with their hashes only, and each shown event before a withheld one with its own inclusion proof),
 * with the head and the proof given. Throws when the stream does not end
 * with a shown SubjectFileRead or the proof is not of it: a report must never carry a proof of something else.
 */
export function reportIntegrity(input: ReportIntegrityInput, withheld: ReadonlySet<string>): ReportIntegrity {
  const stream = input.stream;
  const last = stream.at(-1);
  if (!last || last.type !== SUBJECT_FILE_READ || withheld.has(last.id)) {
    throw new Error("the stream given for a report must end with the report's own read (a SubjectFileRead that is shown)");
  }
  if (input.inclusion.eventId !== last.id || input.inclusion.leafIndex !== last.position - 1) {
    throw new Error(`the inclusion proof is of event ${input.inclusion.eventId}, not of the report's own read ${last.id}`);
  }
  const proved = new Set(provedEvents(stream, withheld).map((e) => e.id));
  const chain: ReportChainEntry[] = stream.map((e, i) => {
    const hidden = withheld.has(e.id);
    const proof = proved.has(e.id) ? input.proofs?.get(e.id) : undefined;
    if (proved.has(e.id) && (!proof || proof.leafIndex !== e.position - 1)) {
      throw new Error(`event ${e.id} comes before a withheld event and needs its own inclusion proof (leaf ${e.position - 1})`);
    }
    const next = stream[i + 1];
    return {
      position: e.position, revision: e.revision, eventId: e.id, type: e.type,
      ...(linksBack(e) ? { previousHash: e.metadata.previousHash as string | null } : {}),
      // An event's chain hash is what the next one links to: hashing each event again would cost most of the
      // report's time, and a verifier recomputes it from the stored form anyway (an altered event shows there).
      chainHash: next && linksBack(next) && typeof next.metadata.previousHash === 'string'
        ? next.metadata.previousHash : chainHash(e as unknown as ChainedEvent),
      withheld: hidden, event: hidden ? null : storedForm(e),
      ...(proof ? { inclusion: { leafIndex: proof.leafIndex, proof: [...proof.proof] } } : {}),
    };
  });
  return { treeHeadSource: input.treeHeadSource, treeHead: input.treeHead, readEventId: last.id, chain, inclusion: input.inclusion };
}
