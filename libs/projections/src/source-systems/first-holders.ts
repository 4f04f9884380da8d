import type { EventStore } from '@derbes/event-store';
import { upcastSubjectEvent } from '@derbes/ledger';
import type { FirstHolders } from './source-system-alerts';
import type { SourceSystemState } from './source-systems.queries';

const PAGE = 1000;

/**
 * The first record that carried each repeated number, read back from the log. The read model keeps no row per
 * number (a system's millions of well-numbered records stay one row), so it knows a number came twice but not
 * which record had it first: that record lies between the system's first numbered record and the repeat, and is
 * found by reading that stretch of the log once; `known` keeps what earlier reports found (it never changes).
 */
export async function findFirstHolders(
  store: EventStore, states: readonly SourceSystemState[], known: Map<string, string>,
): Promise<FirstHolders> {
  for (const state of states) {
    const wanted = new Map<number, number>();
    for (const repeat of state.duplicates) {
      const key = `${state.system}/${repeat.sequence}`;
      if (!known.has(key) && (wanted.get(repeat.sequence) ?? Infinity) > repeat.position) wanted.set(repeat.sequence, repeat.position);
    }
    if (wanted.size === 0 || state.firstNumberedPosition === null) continue;
    const until = Math.max(...wanted.values());
    for (let after = state.firstNumberedPosition - 1; wanted.size > 0 && after < until;) {
      const page = await store.readAll({ after, maxCount: PAGE });
      if (page.length === 0) break;
      for (const stored of page) {
        if (stored.position >= until) break;
        const event = upcastSubjectEvent(stored.type, stored.data, stored.metadata);
        if (event?.type !== 'ProcessingRecorded' || event.data.system !== state.system || event.data.sourceSequence === null) continue;
        const before = wanted.get(event.data.sourceSequence);
        if (before !== undefined && stored.position < before) {
          known.set(`${state.system}/${event.data.sourceSequence}`, event.data.recordId);
          wanted.delete(event.data.sourceSequence);
        }
      }
      after = page[page.length - 1]!.position;
    }
  }
  return known;
}
