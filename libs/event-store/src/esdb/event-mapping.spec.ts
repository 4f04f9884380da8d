import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import { CREATED_KEY, fromEsdbEvent, toEsdbEvent, toImportedEsdbEvent } from './event-mapping';

const ID = '6f1c2f0e-1d2b-4c3a-9e8f-0a1b2c3d4e5f';

/** An event as the client gives it back from a read (convertGrpcRecord's shape). */
function recorded(overrides: Partial<Record<keyof EsdbRecordedEvent, unknown>> = {}): EsdbRecordedEvent {
  return {
    streamId: 'subject-abc', id: ID, isJson: true, revision: 4n, type: 'ProcessingRecorded',
    created: new Date('2026-03-04T05:06:07.089Z'), data: { category: 'health' }, metadata: { correlationId: 'c-1' },
    position: { commit: 1200n, prepare: 1200n }, ...overrides,
  } as EsdbRecordedEvent;
}

describe('toEsdbEvent', () => {
  it('makes a JSON event with the same id, type, data and metadata', () => {
    expect(toEsdbEvent('s', 0, { id: ID, type: 'T', data: { a: 1 }, metadata: { m: 'x' } }))
      .toEqual({ id: ID, contentType: 'application/json', type: 'T', data: { a: 1 }, metadata: { m: 'x' } });
  });

  it.each([
    [{ id: 'r-1' }, 'stream s: event 2: id must be a UUID (EventStoreDB keeps event ids as GUIDs), got "r-1"'],
    [{ type: '' }, 'stream s: event 2: type must be a non-empty string'],
    [{ data: [1] }, 'stream s: event 2: data and metadata must be JSON objects'],
    [{ metadata: null }, 'stream s: event 2: data and metadata must be JSON objects'],
    [{ metadata: { [CREATED_KEY]: '2020-01-01T00:00:00.000Z' } }, 'stream s: event 2: metadata key $derbes.created is reserved for imported events'],
  ])('refuses %j: %s', (change, message) => {
    const event = { id: ID, type: 'T', data: {}, metadata: {}, ...change } as never;
    expect(() => toEsdbEvent('s', 2, event)).toThrow(new TypeError(message));
  });
});

describe('imported events', () => {
  const source = {
    id: ID, type: 'ProcessingRecorded', streamId: 'subject-abc', revision: 4, position: 17,
    data: { category: 'health' }, metadata: { correlationId: 'c-1' }, created: '2021-07-08T09:10:11.123Z',
  };

  it('carry their commit time in the metadata, under the reserved key', () => {
    expect(toImportedEsdbEvent(source)).toEqual({
      id: ID, contentType: 'application/json', type: 'ProcessingRecorded', data: { category: 'health' },
      metadata: { correlationId: 'c-1', [CREATED_KEY]: '2021-07-08T09:10:11.123Z' },
    });
  });

  it('read back as they were in the source: created from the metadata, which no longer shows the key', () => {
    const stored = toImportedEsdbEvent(source);
    const read = fromEsdbEvent(recorded({ metadata: stored.metadata, created: new Date('2026-11-25T00:00:00.000Z') }), 17);
    expect(read).toEqual(source);
  });

  it('must have an ISO time as created', () => {
    expect(() => toImportedEsdbEvent({ ...source, created: 'yesterday' })).toThrow(`event ${ID}: created must be an ISO 8601 time, got yesterday`);
  });
});

describe('fromEsdbEvent', () => {
  it('gives the port\'s event at the ledger position, with EventStoreDB\'s commit time as created', () => {
    expect(fromEsdbEvent(recorded(), 42)).toEqual({
      id: ID, type: 'ProcessingRecorded', streamId: 'subject-abc', revision: 4, position: 42,
      data: { category: 'health' }, metadata: { correlationId: 'c-1' }, created: '2026-03-04T05:06:07.089Z',
    });
  });

  it('reads absent metadata as {}', () => {
    expect(fromEsdbEvent(recorded({ metadata: undefined }), 1).metadata).toEqual({});
  });

  it('refuses what the ledger cannot have written: binary data or metadata', () => {
    expect(() => fromEsdbEvent(recorded({ isJson: false, data: new Uint8Array([1]) }), 1)).toThrow(`event ${ID} in stream subject-abc is not a JSON object event`);
    expect(() => fromEsdbEvent(recorded({ metadata: new Uint8Array([1]) }), 1)).toThrow('its metadata is not a JSON object');
  });
});
