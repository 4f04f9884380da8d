import { createHash } from 'node:crypto';
import { HashedColumnsWriter, Link, columnsOf, type HashedColumns } from './hashed-columns';
import type { HashedEvent } from './log-verifier-hashing';
import { verifyLog } from './log-verifier';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Four events of two subjects' streams and one other, each subject chained: the second links to the first. */
function events(): HashedEvent[] {
  const chainA = digest('chain a0').toString('hex');
  return [
    { position: 1, streamId: 'subject-a', revision: 0, previousHash: null, leafHash: digest('leaf 1'), chainHash: chainA },
    { position: 2, streamId: 'api-keys', revision: 0, previousHash: undefined, leafHash: digest('leaf 2'), chainHash: null },
    { position: 3, streamId: 'subject-b', revision: 0, previousHash: null, leafHash: digest('leaf 3'), chainHash: digest('chain b0').toString('hex') },
    { position: 4, streamId: 'subject-a', revision: 1, previousHash: chainA, leafHash: digest('leaf 4'), chainHash: digest('chain a1').toString('hex') },
  ];
}

describe('HashedColumns', () => {
  it('keeps each event\'s link by its kind, and its hashes as bytes side by side', () => {
    const given = [...events(), { position: 5, streamId: 'subject-b', revision: 1, previousHash: 'AB'.repeat(32), leafHash: digest('leaf 5'), chainHash: null, malformed: 'metadata: not a JSON object' }];
    const keys = new Map<string, number>();
    const page = columnsOf(given, keys);
    expect(page.count).toBe(5);
    expect([...page.linkKinds]).toEqual([Link.Null, Link.Absent, Link.Null, Link.Hash, Link.Other]);
    expect(Buffer.from(page.links.subarray(3 * 32, 4 * 32)).toString('hex')).toBe(given[3]!.previousHash);
    expect([...page.chained]).toEqual([1, 0, 1, 1, 0]);
    expect(Buffer.from(page.chains.subarray(3 * 32, 4 * 32)).toString('hex')).toBe(given[3]!.chainHash);
    given.forEach((e, i) => expect(Buffer.from(page.leaves.subarray(i * 32, i * 32 + 32))).toEqual(e.leafHash));
    expect(page.names).toEqual([[0, 'subject-a'], [1, 'api-keys'], [2, 'subject-b']]);
    expect([...page.streams]).toEqual([0, 1, 2, 0, 2]);
    expect(page.malformed).toEqual([[4, 'metadata: not a JSON object']]);
    // A later page names only streams it is the first to give.
    expect(columnsOf([{ ...given[0]!, position: 6, revision: 2 }, { ...given[0]!, streamId: 'subject-c', position: 7 }], keys).names).toEqual([[3, 'subject-c']]);
  });

  it('refuses an event past the page it was made for', () => {
    const writer = new HashedColumnsWriter(1);
    const leaf = digest('x').toString('latin1');
    writer.add(1, 0, 0, undefined, leaf, null);
    expect(() => writer.add(2, 0, 1, undefined, leaf, null)).toThrow('more than 1 events');
  });

  it('is verified as the same events one by one, whatever numbers the pages give their streams', async () => {
    const byEvents = await verifyLog({ events: (async function* () { yield events(); })(), heads: [], publicKeys: [] });
    // Stream numbers as a changed streams table could give them: huge, negative, not whole.
    const numbers = new Map([['subject-a', 2 ** 40], ['api-keys', -3], ['subject-b', 1.5]]);
    const writer = new HashedColumnsWriter(4);
    for (const [name, key] of numbers) writer.name(key, name);
    for (const e of events()) {
      writer.add(e.position, numbers.get(e.streamId)!, e.revision, e.previousHash, Buffer.from(e.leafHash).toString('latin1'),
        e.chainHash === null ? null : Buffer.from(e.chainHash, 'hex').toString('latin1'));
    }
    const page: HashedColumns = writer.finish();
    const byColumns = await verifyLog({ events: (async function* () { yield page; })(), heads: [], publicKeys: [] });
    expect(byColumns).toEqual(byEvents);
    expect(byColumns).toMatchObject({ ok: true, events: 4, streams: 3, subjects: 2 });

    const unnamed = new HashedColumnsWriter(1);
    unnamed.add(1, 9, 0, undefined, digest('x').toString('latin1'), null);
    await expect(verifyLog({ events: (async function* () { yield unnamed.finish(); })(), heads: [], publicKeys: [] })).rejects.toThrow('stream 9 was given no name');
  });
});
