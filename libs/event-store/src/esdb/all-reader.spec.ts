import { START, type AllStreamResolvedEvent, type EventStoreDBClient, type Position } from '@eventstore/db-client';
import { AllReader } from './all-reader';
import { compare, LedgerIndex } from './ledger-index';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * `$all` in memory: the ledger's events with other applications' events between them, read forwards from a position
 * as EventStoreDB does (`inclusive`: the event at the start is returned) or as a server that starts after it would.
 * The reader under test is the real one; this stands for the server's side of readAll.
 */
function allStream(ledgerEvents: number, inclusive: boolean) {
  const log: AllStreamResolvedEvent[] = [];
  const index = new LedgerIndex();
  const reads: Array<Position | typeof START> = [];
  let offset = 0;
  for (let n = 1; n <= ledgerEvents; n++) {
    for (let other = 0; other < n % 3; other++) log.push(resolved(`99999999-0000-4000-8000-${String(offset).padStart(12, '0')}`, 'OtherApp', (offset += 97)));
    const position = (offset += 131);
    log.push(resolved(ID(n), 'Recorded', position, n));
    index.add(ID(n), { commit: BigInt(position), prepare: BigInt(position) });
  }
  const client = {
    readAll: ({ fromPosition, maxCount }: { fromPosition: Position | typeof START; maxCount: number }) => {
      reads.push(fromPosition);
      const start = fromPosition === START ? 0 : log.findIndex((e) => inclusive ? compare(e.event!.position, fromPosition) >= 0 : compare(e.event!.position, fromPosition) > 0);
      return (async function* () { yield* log.slice(start, start + maxCount); })();
    },
  } as unknown as EventStoreDBClient;
  return { reader: new AllReader(client, index), reads, log };
}

function resolved(id: string, type: string, position: number, n?: number): AllStreamResolvedEvent {
  return {
    event: {
      id, type, streamId: `s-${n ?? 'other'}`, revision: 0n, isJson: true, data: { n: n ?? null }, metadata: {},
      created: new Date('2026-01-01T00:00:00.000Z'), position: { commit: BigInt(position), prepare: BigInt(position) },
    },
  } as AllStreamResolvedEvent;
}

describe('AllReader', () => {
  it('gives the ledger positions asked for, skipping other events, reading from the first one\'s $all position', async () => {
    const { reader, reads } = allStream(50, true);
    const events = await reader.range(7, 12);
    expect(events.map((e) => [e.position, e.id, e.data])).toEqual([7, 8, 9, 10, 11, 12].map((n) => [n, ID(n), { n }]));
    expect(reads).toHaveLength(1);
    expect((await reader.range(1, 1))[0]?.id).toBe(ID(1));
  });

  it('reads on where a page ended when other events took its room', async () => {
    const { reader, reads } = allStream(2500, true);
    const events = await reader.range(1, 2500);
    expect(events.map((e) => e.position)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(reads.length).toBeGreaterThan(3);
  });

  it('on a server whose reads start after their position, learns it from the first read and starts at the event before', async () => {
    const { reader, reads } = allStream(20, false);
    expect((await reader.range(5, 6)).map((e) => e.position)).toEqual([5, 6]);
    expect((await reader.range(1, 2)).map((e) => e.position)).toEqual([1, 2]);
    expect(reads.slice(-1)).toEqual([START]);
  });

  it('refuses a position beyond the index', async () => {
    const { reader } = allStream(3, true);
    await expect(reader.range(3, 4)).rejects.toThrow('ledger position 4 is beyond the index (last 3)');
  });
});
