import type { RecordedEvent } from '@derbes/event-store';
import * as integrity from '@derbes/integrity';

describe('@derbes/integrity', () => {
  it('takes the event store\'s RecordedEvent as it is', () => {
    const event: RecordedEvent = {
      id: 'e', type: 't', streamId: 's', revision: 0, position: 1, data: {}, metadata: { previousHash: null }, created: '2026-01-01T00:00:00.000Z',
    };
    const root = integrity.merkleRoot([integrity.eventLeafHash(event)]);
    expect(root).toEqual(integrity.leafHash(integrity.canonicalEventBytes(event)));
    expect(integrity.verifyChain([event])).toMatchObject({ ok: true, lastHash: integrity.chainHash(event) });
  });
});
