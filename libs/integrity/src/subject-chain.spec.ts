import { chainHash, type ChainedEvent } from './canonical-event';
import { verifyChain } from './subject-chain';

const STREAM = 'subject-' + 'ab'.repeat(32);

/** A stream of `unchained` events without the field, then `chained` linked ones, as a writer would make them. */
function stream(unchained: number, chained: number): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  let previousHash: string | null = null;
  for (let revision = 0; revision < unchained + chained; revision++) {
    const base = { id: `e-${revision}`, type: 'ProcessingRecorded', streamId: STREAM, revision, data: { n: revision } };
    if (revision < unchained) {
      events.push({ ...base, metadata: { schemaVersion: 1 } });
    } else {
      const event: ChainedEvent = { ...base, metadata: { schemaVersion: 1, previousHash } };
      previousHash = chainHash(event);
      events.push(event);
    }
  }
  return events;
}

const withMetadata = (event: ChainedEvent, metadata: ChainedEvent['metadata']): ChainedEvent => ({ ...event, metadata });

describe('verifyChain', () => {
  it('accepts a chained stream and gives the hash its next event must carry', () => {
    const events = stream(0, 5);
    expect(verifyChain(events)).toEqual({ ok: true, lastHash: chainHash(events[4]!), unchained: 0 });
  });

  it('accepts an unchained prefix before the first chained event, which carries null', () => {
    const events = stream(3, 4);
    expect(events[3]!.metadata.previousHash).toBeNull();
    expect(verifyChain(events)).toEqual({ ok: true, lastHash: chainHash(events[6]!), unchained: 3 });
    expect(verifyChain(stream(2, 0))).toEqual({ ok: true, lastHash: null, unchained: 2 });
    expect(verifyChain([])).toEqual({ ok: true, lastHash: null, unchained: 0 });
  });

  it('names a changed event by the link after it', () => {
    const events = stream(1, 5);
    events[2] = { ...events[2]!, data: { n: 'changed' } };
    expect(verifyChain(events)).toMatchObject({ ok: false, revision: 3, code: 'previous-hash-mismatch' });
  });

  it('names a removed event as a revision gap, and a removed and renumbered one by its link', () => {
    const events = stream(0, 5);
    expect(verifyChain([...events.slice(0, 2), ...events.slice(3)])).toMatchObject({ ok: false, revision: 3, code: 'revision-gap' });
    const renumbered = [...events.slice(0, 2), ...events.slice(3).map((e) => ({ ...e, revision: e.revision - 1 }))];
    expect(verifyChain(renumbered)).toMatchObject({ ok: false, revision: 2, code: 'previous-hash-mismatch' });
  });

  it('refuses an event without the field after chained ones, a first link other than null, and malformed links', () => {
    const events = stream(0, 4);
    const { previousHash: _dropped, ...rest } = events[2]!.metadata;
    expect(verifyChain([...events.slice(0, 2), withMetadata(events[2]!, rest), events[3]!]))
      .toMatchObject({ ok: false, revision: 2, code: 'unchained-after-chained' });
    expect(verifyChain([withMetadata(events[0]!, { previousHash: 'ab'.repeat(32) })]))
      .toMatchObject({ ok: false, revision: 0, code: 'first-link-not-null' });
    expect(verifyChain([events[0]!, withMetadata(events[1]!, { previousHash: 'AB'.repeat(32) })]))
      .toMatchObject({ ok: false, revision: 1, code: 'malformed-previous-hash' });
    expect(verifyChain([events[0]!, withMetadata(events[1]!, { previousHash: 7 })]))
      .toMatchObject({ ok: false, revision: 1, code: 'malformed-previous-hash' });
    expect(verifyChain([events[0]!, withMetadata(events[1]!, { previousHash: null })]))
      .toMatchObject({ ok: false, revision: 1, code: 'previous-hash-mismatch' });
  });

  it('refuses events of another stream and a stream not starting at revision 0', () => {
    const events = stream(0, 3);
    expect(verifyChain([events[0]!, { ...events[1]!, streamId: 'subject-other' }])).toMatchObject({ ok: false, revision: 1, code: 'other-stream' });
    expect(verifyChain(events.slice(1))).toMatchObject({ ok: false, revision: 1, code: 'revision-gap' });
  });
});
