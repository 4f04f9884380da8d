import { compare, LedgerIndex } from './ledger-index';

const at = (commit: number, prepare = commit) => ({ commit: BigInt(commit), prepare: BigInt(prepare) });
const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('LedgerIndex', () => {
  it('numbers the ledger\'s events of $all 1, 2, 3... whatever their $all positions, and maps both ways', () => {
    const index = new LedgerIndex();
    expect(index.lastPosition).toBe(0);
    expect(index.add(ID(1), at(120))).toBe(1);
    expect(index.add(ID(2), at(900, 850))).toBe(2);
    expect(index.add(ID(3), at(900, 880))).toBe(3);
    expect(index.add(ID(4), at(5_000_000_000_000))).toBe(4);
    expect(index.lastPosition).toBe(4);
    expect([1, 2, 3, 4].map((p) => index.allPositionOf(p))).toEqual([at(120), at(900, 850), at(900, 880), at(5_000_000_000_000)]);
    expect([at(120), at(900, 850), at(900, 880), at(5_000_000_000_000)].map((p) => index.positionOf(p))).toEqual([1, 2, 3, 4]);
    expect(index.positionOfId(ID(3))).toBe(3);
  });

  it('knows no position for what it did not number', () => {
    const index = new LedgerIndex();
    index.add(ID(1), at(100));
    index.add(ID(2), at(300));
    expect(index.positionOf(at(200))).toBeUndefined(); // another application's event between the two
    expect(index.positionOf(at(300, 299))).toBeUndefined();
    expect(index.allPositionOf(0)).toBeUndefined();
    expect(index.allPositionOf(3)).toBeUndefined();
    expect(index.allPositionOf(1.5)).toBeUndefined();
    expect(index.positionOfId(ID(9))).toBeUndefined();
  });

  it('finds ids in any case, as EventStoreDB gives them back in lower case', () => {
    const index = new LedgerIndex();
    index.add('6F1C2F0E-AAAA-4000-8000-00000000000B', at(10));
    expect(index.positionOfId('6f1c2f0e-aaaa-4000-8000-00000000000b')).toBe(1);
    expect(index.positionOfId('6F1C2F0E-AAAA-4000-8000-00000000000B')).toBe(1);
  });

  it('ignores events delivered again by a resubscription after the last one numbered, and numbers on without a gap', () => {
    const index = new LedgerIndex();
    index.add(ID(1), at(100));
    index.add(ID(2), at(200));
    // The subscription failed; the new one starts after lastTaken, and a server may still repeat the boundary.
    expect(index.lastTaken).toEqual(at(200));
    expect(index.add(ID(2), at(200))).toBeUndefined();
    expect(index.add(ID(1), at(100))).toBeUndefined();
    expect(index.add(ID(3), at(300))).toBe(3);
    expect(index.lastPosition).toBe(3);
    expect(index.positionOf(at(300))).toBe(3);
  });

  it('numbers an id stored twice at both places, and finds the first by id', () => {
    const index = new LedgerIndex();
    index.add(ID(1), at(100));
    index.add(ID(1), at(200));
    expect(index.lastPosition).toBe(2);
    expect(index.positionOfId(ID(1))).toBe(1);
    expect(index.positionOf(at(200))).toBe(2);
  });

  it('tells what has been taken and how far $all has been searched (filter checkpoints)', () => {
    const index = new LedgerIndex();
    expect(index.hasSearched(at(1))).toBe(false);
    index.add(ID(1), at(100));
    expect(index.hasTaken(at(100))).toBe(true);
    expect(index.hasTaken(at(101))).toBe(false);
    index.searched(at(500));
    expect(index.hasSearched(at(500))).toBe(true);
    expect(index.hasSearched(at(501))).toBe(false);
    expect(index.hasTaken(at(400))).toBe(false); // a checkpoint is not an event: resubscription still starts after 100
    expect(index.lastTaken).toEqual(at(100));
    index.searched(at(300)); // an older checkpoint changes nothing
    expect(index.hasSearched(at(450))).toBe(true);
  });

  it('refuses a position beyond what doubles hold exactly', () => {
    const index = new LedgerIndex();
    expect(() => index.add(ID(1), { commit: 2n ** 53n, prepare: 2n ** 53n })).toThrow(RangeError);
  });

  it('wakes waiters when it changes and times them out otherwise', async () => {
    const index = new LedgerIndex();
    const reached = index.waitFor(() => index.lastPosition >= 2, 1000);
    const late = index.waitFor(() => index.lastPosition >= 5, 50);
    index.add(ID(1), at(1));
    index.add(ID(2), at(2));
    await expect(reached).resolves.toBe(true);
    await expect(late).resolves.toBe(false);
    const changes: number[] = [];
    const off = index.onChange(() => changes.push(index.lastPosition));
    index.add(ID(3), at(3));
    off();
    index.add(ID(4), at(4));
    expect(changes).toEqual([3]);
  });
});

describe('compare', () => {
  it('orders $all positions by commit, then prepare', () => {
    expect(compare(at(1, 1), at(2, 0))).toBe(-1);
    expect(compare(at(2, 5), at(2, 3))).toBe(1);
    expect(compare(at(2, 3), at(2, 3))).toBe(0);
  });
});
