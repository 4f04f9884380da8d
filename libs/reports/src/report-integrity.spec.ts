import { chainHash, type ChainedEvent } from '@derbes/integrity';
import type { ReportStoredEvent } from './access-report.model';
import { reportIntegrity, type ReportIntegrityInput } from './report-integrity';

const STREAM = `subject-${'a'.repeat(64)}`;

/** `count` events, the last the report's own read. */
function stream(count: number, unchained = 0): ReportStoredEvent[] {
  const events: ReportStoredEvent[] = [];
  let previous: string | null = null;
  for (let i = 0; i < count; i++) {
    const metadata = i < unchained ? { schemaVersion: 1 } : { schemaVersion: 1, previousHash: previous };
    const event: ReportStoredEvent = {
      id: `e${i}`, type: i === count - 1 ? 'SubjectFileRead' : 'ProcessingRecorded', streamId: STREAM, revision: i, position: 10 * (i + 1), data: { n: i }, metadata,
      created: '2026-11-25T12:00:00.000Z',
    };
    if (i >= unchained) previous = chainHash(event as unknown as ChainedEvent);
    events.push(event);
  }
  return events;
}

const input = (events: ReportStoredEvent[], lastId: string): ReportIntegrityInput => ({
  stream: events, treeHeadSource: 'latest',
  treeHead: { treeSize: 100, rootHash: 'a'.repeat(64), timestamp: '2026-11-25T12:00:00.000Z', keyId: 'b'.repeat(16), signature: 'c'.repeat(128), position: 101 },
  inclusion: { eventId: lastId, leafIndex: Number(lastId.slice(1)) * 10 + 9, treeSize: 100, leafHash: 'd'.repeat(64), proof: [] },
});

describe('reportIntegrity', () => {
  it("lists the chain up to the report's own read, with every chain hash as recomputed and withheld events without content", () => {
    const events = stream(5, 1);
    const withheld = new Set(['e2', 'e3']);
    const proofs = new Map(events.map((e) => [e.id, { leafIndex: e.position - 1, proof: [`${e.id}-proof`] }]));
    const section = reportIntegrity({ ...input(events, 'e4'), proofs }, withheld);
    expect(section.readEventId).toBe('e4');
    // The shown events before a withheld one carry their own proof; those after the last withheld one do not.
    expect(section.chain.map((e) => e.inclusion?.proof[0] ?? null)).toEqual(['e0-proof', 'e1-proof', null, null, null]);
    expect(() => reportIntegrity(input(events, 'e4'), withheld)).toThrow('event e0 comes before a withheld event and needs its own inclusion proof');
    expect(section.chain.map((e) => e.eventId)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(section.chain.map((e) => e.chainHash)).toEqual(events.map((e) => chainHash(e as unknown as ChainedEvent)));
    expect(section.chain.map((e) => [e.withheld, e.event === null])).toEqual([[false, false], [false, false], [true, true], [true, true], [false, false]]);
    expect('previousHash' in section.chain[0]!).toBe(false);
    expect(section.chain[1]?.previousHash).toBeNull();
    expect(section.chain[4]?.event).toEqual(events[4]);
  });

  it("refuses a stream that does not end with the report's own read, shown, and a proof of another event", () => {
    expect(() => reportIntegrity(input(stream(3), 'e1'), new Set())).toThrow("not of the report's own read e2");
    expect(() => reportIntegrity(input(stream(3), 'e2'), new Set(['e2']))).toThrow("must end with the report's own read");
    const noRead = stream(3).map((e) => ({ ...e, type: 'ProcessingRecorded' }));
    expect(() => reportIntegrity(input(noRead, 'e2'), new Set())).toThrow("must end with the report's own read");
  });
});
