import { ledgerFilter } from './ledger-filter';

const position = { commit: 10n, prepare: 10n };

describe('ledgerFilter', () => {
  it('by default takes every non-system event: the server excludes $ types', () => {
    const filter = ledgerFilter();
    expect(filter.accepts('ProcessingRecorded')).toBe(true);
    expect(filter.accepts('$metadata')).toBe(false);
    expect(filter.accepts('$>')).toBe(false);
    const server = filter.server(() => undefined);
    expect(server).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
  });

  it('with event types takes exactly those, on the server as here', () => {
    const filter = ledgerFilter(['ProcessingRecorded', 'Tree.Head+v2']);
    expect(filter.accepts('ProcessingRecorded')).toBe(true);
    expect(filter.accepts('ProcessingRecordedV2')).toBe(false);
    expect(filter.accepts('TreeXHead+v2')).toBe(false);
    const { regex } = filter.server(() => undefined) as { regex: string };
    expect(regex).toBe('^(?:ProcessingRecorded|Tree\\.Head\\+v2)$');
    const server = new RegExp(regex);
    expect(['ProcessingRecorded', 'Tree.Head+v2', 'ProcessingRecordedV2', 'TreeXHead+v2', 'xProcessingRecorded'].map((t) => server.test(t)))
      .toEqual([true, true, false, false, false]);
  });

  it('passes the server\'s checkpoints on', async () => {
    const seen: unknown[] = [];
    const server = ledgerFilter(['A']).server((p) => seen.push(p));
    await server.checkpointReached?.(undefined as never, position);
    expect(seen).toEqual([position]);
  });

  it('refuses a list that would take nothing or system events', () => {
    expect(() => ledgerFilter([])).toThrow('eventTypes: an empty list would leave the ledger no events');
    expect(() => ledgerFilter(['A', '$stats'])).toThrow('eventTypes: "$stats" is not a ledger event type');
    expect(() => ledgerFilter(['A', ''])).toThrow('eventTypes: "" is not a ledger event type');
  });
});
