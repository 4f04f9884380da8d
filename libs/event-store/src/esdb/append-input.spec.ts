import type { RecordedEvent } from '../event-store.port';
import { prepare, storedId, streamRuns, toClientRevision } from './append-input';
import { ledgerFilter } from './ledger-filter';
import { LedgerIndex } from './ledger-index';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('toClientRevision', () => {
  it('maps the port\'s expectations to the client\'s: numbers as bigints, -1 as no stream', () => {
    expect([toClientRevision('any'), toClientRevision('no_stream'), toClientRevision('stream_exists'), toClientRevision(7), toClientRevision(-1)])
      .toEqual(['any', 'no_stream', 'stream_exists', 7n, 'no_stream']);
  });
});

describe('storedId', () => {
  it('finds an id the index has numbered, in any case, or one repeated in the append', () => {
    const index = new LedgerIndex();
    index.add(ID(1), { commit: 10n, prepare: 10n });
    expect(storedId([ID(2), ID(3)], index)).toBeUndefined();
    expect(storedId([ID(2), ID(1).toUpperCase()], index)).toBe(ID(1).toUpperCase());
    expect(storedId([ID(2), ID(3), ID(2)], index)).toBe(ID(2));
  });
});

describe('streamRuns', () => {
  const at = (streamId: string, revision: number) => ({ streamId, revision }) as RecordedEvent;

  it('groups consecutive events of one stream with consecutive revisions into one append', () => {
    expect(streamRuns([at('a', 0), at('a', 1), at('b', 0), at('a', 2), at('a', 3), at('a', 5)]))
      .toEqual([{ start: 0, end: 2 }, { start: 2, end: 3 }, { start: 3, end: 5 }, { start: 5, end: 6 }]);
    expect(streamRuns([])).toEqual([]);
  });
});

describe('prepare', () => {
  const filter = ledgerFilter(['Recorded']);
  const event = { id: ID(1), type: 'Recorded', data: { a: 1 }, metadata: {} };

  it('gives the client\'s events of a valid operation', () => {
    expect(prepare({ streamId: 's', events: [event], expectedRevision: 'any' }, filter))
      .toEqual([{ id: ID(1), contentType: 'application/json', type: 'Recorded', data: { a: 1 }, metadata: {} }]);
  });

  it.each([
    [{ streamId: '' }, 'streamId must be a non-empty string'],
    [{ streamId: '$all' }, 'stream $all: names starting with $ are EventStoreDB\'s system streams'],
    [{ expectedRevision: 'latest' }, 'stream s: invalid expected revision latest'],
    [{ expectedRevision: 1.5 }, 'stream s: invalid expected revision 1.5'],
    [{ events: [{ ...event, type: 'Other' }] }, 'stream s: event 0: type Other is not one of the ledger\'s (the event types Recorded)'],
  ])('refuses %j', (change, message) => {
    expect(() => prepare({ streamId: 's', events: [event], expectedRevision: 'any', ...change } as never, filter)).toThrow(new TypeError(message));
  });
});
