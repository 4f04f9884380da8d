import { generateKeyPairSync } from 'node:crypto';
import { chainHash, eventLeafHash, type CanonicalEvent } from './canonical-event';
import type { JsonObject, JsonValue } from '@derbes/canonical-json';
import { merkleRoot } from './merkle';
import { verifyLog, type LoggedHead, type LogVerifierInput } from './log-verifier';
import { hashEvent, type HashedEvent } from './log-verifier-hashing';
import { keyIdOf, signTreeHead, type SignedTreeHead } from './tree-head';
import { TREE_HEADS_STREAM, TREE_HEAD_SIGNED } from './tree-head-event';

function signer() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
  return { keyId: keyIdOf(publicKey), privateKey, publicKeyPem };
}
const KEY = signer();
const OTHER = signer();
const AT = new Date('2026-11-20T09:30:00.000Z');

/**
 * A log of `count` events: records in 5 subjects' chained streams (the first two events of subject 0 unchained, as
 * before the chain), an events of another stream every 7th, and a signed head appended after each of `headsAfter`.
 */
function makeLog(count: number, headsAfter: readonly number[]): CanonicalEvent[] {
  const events: CanonicalEvent[] = [];
  const revisions = new Map<string, number>();
  const last = new Map<string, string | null>();
  const append = (streamId: string, type: string, data: JsonObject, metadata: Record<string, unknown>) => {
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    const event: CanonicalEvent = {
      id: `00000000-0000-4000-8000-${String(events.length + 1).padStart(12, '0')}`, type, streamId, revision,
      position: events.length + 1, data, metadata: metadata as JsonObject,
      created: new Date(AT.getTime() + events.length * 1000).toISOString(),
    };
    events.push(event);
    return event;
  };
  for (let i = 0; events.length < count; i++) {
    if (i % 7 === 6) {
      append('api-keys', 'ApiKeyCreated', { name: `key ${i}` }, { schemaVersion: 1 });
    } else {
      const streamId = `subject-${String(i % 5).repeat(64)}`;
      const unchained = i % 5 === 0 && (revisions.get(streamId) ?? 0) < 2;
      const metadata: Record<string, unknown> = { schemaVersion: 1, correlationId: `c${i}` };
      if (!unchained) metadata.previousHash = last.get(streamId) ?? null;
      const e = append(streamId, 'ProcessingRecorded', { operation: 'collect', categories: [1, i % 30], note: `n ${i}` }, metadata);
      if (!unchained) last.set(streamId, chainHash(e));
    }
    if (headsAfter.includes(events.length)) {
      const size = events.length;
      const head = signTreeHead({ treeSize: size, rootHash: merkleRoot(events.map(eventLeafHash)) }, AT, KEY);
      append(TREE_HEADS_STREAM, TREE_HEAD_SIGNED, head as unknown as JsonObject, { schemaVersion: 1 });
    }
  }
  return events;
}

function headsOf(events: readonly CanonicalEvent[]): LoggedHead[] {
  return events.filter((e) => e.streamId === TREE_HEADS_STREAM).map((e) => ({ position: e.position, head: e.data as unknown as SignedTreeHead }));
}

async function* pages(events: readonly HashedEvent[], size = 10): AsyncIterable<HashedEvent[]> {
  for (let i = 0; i < events.length; i += size) yield events.slice(i, i + size);
}

function verify(events: readonly CanonicalEvent[], extra: Partial<LogVerifierInput> = {}, hashed = events.map(hashEvent)) {
  return verifyLog({ events: pages(hashed), heads: headsOf(events), publicKeys: [KEY], ...extra });
}

/** The event with `data` changed, as if the row had been edited (its position and everything else kept). */
const altered = (e: CanonicalEvent): CanonicalEvent => ({ ...e, data: { ...e.data, note: 'edited' } });

describe('verifyLog', () => {
  const log = makeLog(120, [20, 50, 90]);

  it('passes a clean log and names its latest head, counting streams and subjects', async () => {
    const progress: number[] = [];
    const report = await verify(log, { onProgress: (n) => progress.push(n), streamRevisions: new Map([['api-keys', 15]]) });
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ ok: true, events: 120, lastPosition: 120, subjects: 5, streams: 7, headsChecked: 3 });
    expect(report.latestHead).toMatchObject({ treeSize: 90, position: 91 });
    expect(report.rootHash).toBe(merkleRoot(log.map(eventLeafHash)).toString('hex'));
    expect(progress.at(-1)).toBe(120);
  });

  it('names a changed event: the head after it brackets it, the server\'s stored leaves name it, the chain breaks after it', async () => {
    const tampered = log.map((e) => (e.position === 33 ? altered(e) : e));
    const stored = log.map(eventLeafHash);
    const report = await verify(tampered, { storedLeaves: (first, count) => stored.slice(first, first + count), storedTreeSize: stored.length });
    expect(report.ok).toBe(false);
    expect(report.findings[0]).toMatchObject({ kind: 'root-mismatch', position: 33, treeSize: 50 });
    expect(report.findings[0]!.message).toContain('position 33 differs');
    expect(report.findings.map((f) => f.kind)).toEqual(expect.arrayContaining(['chain-break', 'heads-inconsistent']));
    const chain = report.findings.find((f) => f.kind === 'chain-break')!;
    expect(chain).toMatchObject({ code: 'previous-hash-mismatch' });
    expect(chain.position).toBeGreaterThan(33);

    expect(chain.message).toContain("this event's link was altered, or the event at position 33 was");

    // Without the server's leaves: the chain names it (at the next event of the subject), the head brackets it.
    const bracketOnly = await verify(tampered);
    expect(bracketOnly.findings[0]).toMatchObject({ kind: 'chain-break', position: chain.position });
    const root = bracketOnly.findings.find((f) => f.kind === 'root-mismatch')!;
    expect(root).toMatchObject({ position: 21, range: [21, 50], treeSize: 50 });
    expect(root.message).toContain('between positions 21 and 50 (the head of size 20 still agrees)');
  });

  it('names an event changed after the last head by the server\'s stored leaves alone', async () => {
    const tampered = log.map((e) => (e.position === 100 ? altered(e) : e));
    const stored = log.map(eventLeafHash);
    const report = await verify(tampered, { storedLeaves: (first, count) => stored.slice(first, first + count), storedTreeSize: stored.length });
    expect(report.findings[0]).toMatchObject({ kind: 'stored-leaf-mismatch', position: 100 });
  });

  it('names a dropped event as a gap in positions', async () => {
    const report = await verify(log.filter((e) => e.position !== 40));
    expect(report.findings[0]).toMatchObject({ kind: 'position-gap', position: 40 });
    expect(report.findings[0]!.message).toBe('position 40 is missing: the log goes from 39 to 41 (an event was removed)');
  });

  it('names two swapped events by the first of them', async () => {
    // Rows 30 and 44 swap positions: each keeps its content but takes the other's place in the log.
    const swapped = log.map((e) => (e.position === 30 ? { ...log[43]!, position: 30 } : e.position === 44 ? { ...log[29]!, position: 44 } : e));
    const stored = log.map(eventLeafHash);
    const report = await verify(swapped, { storedLeaves: (first, count) => stored.slice(first, first + count), storedTreeSize: stored.length });
    // The later event now at 30 comes before its stream's earlier ones; the server's leaves name 30 too.
    expect(report.findings[0]).toMatchObject({ kind: 'chain-break', code: 'revision-gap', position: 30 });
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: 'root-mismatch', position: 30, treeSize: 50 }));
  });

  it('names a truncated tail by a head given from outside, the server\'s tree and the store\'s stream revisions', async () => {
    const given: LoggedHead = { position: null, head: signTreeHead({ treeSize: 120, rootHash: merkleRoot(log.map(eventLeafHash)) }, AT, KEY) };
    const cut = log.slice(0, 100);
    const report = await verify(cut, {
      heads: [...headsOf(cut), given], storedTreeSize: 120, storedLeaves: () => [],
      streamRevisions: new Map([[log[110]!.streamId, log.filter((e) => e.streamId === log[110]!.streamId).length - 1]]),
    });
    expect(report.findings.map((f) => [f.kind, f.position])).toEqual([['truncated', 101], ['truncated', 101], ['truncated', 101]]);
    expect(report.findings.map((f) => f.message).join('\n')).toMatch(/the log holds 100 events, but the head given .* signs 120: the last 20 were removed/);
  });

  it('names a forged head, a head by an unknown key, a malformed one, and heads going backwards', async () => {
    const forged = { position: 121, head: { ...signTreeHead({ treeSize: 100, rootHash: 'ab'.repeat(32) }, AT, KEY), rootHash: 'cd'.repeat(32) } };
    const unknown = { position: 122, head: signTreeHead({ treeSize: 100, rootHash: 'ab'.repeat(32) }, AT, OTHER) };
    const malformed = { position: 123, malformed: 'TreeHeadSigned: rootHash is malformed' };
    const back = { position: 124, head: signTreeHead({ treeSize: 10, rootHash: merkleRoot(log.slice(0, 10).map(eventLeafHash)) }, AT, KEY) };
    const report = await verify(log, { heads: [...headsOf(log), forged, unknown, malformed, back] });
    expect(report.findings.map((f) => [f.kind, f.position])).toEqual([
      ['head-signature', 121], ['head-unknown-key', 122], ['head-malformed', 123], ['head-size-order', 124],
    ]);
    expect(report.findings[1]!.message).toContain(`signed by key ${OTHER.keyId}, which is not among the ledger's public keys (${KEY.keyId})`);
  });

  it('names a head signed well with a wrong root, and one that signs events after itself', async () => {
    const wrong = { position: 121, head: signTreeHead({ treeSize: 110, rootHash: 'ab'.repeat(32) }, AT, KEY) };
    const ahead = { position: 60, head: signTreeHead({ treeSize: 60, rootHash: merkleRoot(log.slice(0, 60).map(eventLeafHash)) }, AT, KEY) };
    const report = await verify(log, { heads: [...headsOf(log).filter((h) => h.position! < 60), ahead, ...headsOf(log).filter((h) => h.position! > 60), wrong] });
    expect(report.findings.map((f) => [f.kind, f.position])).toEqual([
      ['head-ahead-of-position', 60], ['root-mismatch', 91], ['heads-inconsistent', 121],
    ]);
    expect(report.findings[1]!.message).toContain('between positions 91 and 110 (the head of size 90 still agrees)');
  });

  it('names chain breaks by verifyChain\'s codes, and a stream out of order', async () => {
    const subject = log[1]!.streamId;
    const second = log.filter((e) => e.streamId === subject)[3]!;
    const unlinked = log.map((e) => (e.position === second.position ? { ...e, metadata: { ...e.metadata, previousHash: null } } : e));
    const report = await verify(unlinked, { heads: [] });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'chain-break', code: 'previous-hash-mismatch', position: second.position })]);

    const firstChained = log.filter((e) => e.streamId === log[0]!.streamId)[2]!;
    const badFirst = log.map((e) => (e.position === firstChained.position ? { ...e, metadata: { ...e.metadata, previousHash: 'ab'.repeat(32) } } : e));
    expect((await verify(badFirst, { heads: [] })).findings[0]).toMatchObject({ kind: 'chain-break', code: 'first-link-not-null' });

    const third = log.filter((e) => e.streamId === subject)[2]!;
    const withLink = (previousHash: JsonValue) => log.map((e) => (e.position === third.position ? { ...e, metadata: { ...e.metadata, previousHash } } : e));
    for (const link of ['AB'.repeat(32), 'ab'.repeat(31), 7, { hash: 'ab' }]) {
      expect((await verify(withLink(link), { heads: [] })).findings).toEqual([
        expect.objectContaining({ kind: 'chain-break', code: 'malformed-previous-hash', position: third.position }),
      ]);
    }
    const wrong = 'cd'.repeat(32);
    const mismatch = (await verify(withLink(wrong), { heads: [] })).findings[0]!;
    expect(mismatch).toMatchObject({ kind: 'chain-break', code: 'previous-hash-mismatch', position: third.position });
    const before = log.filter((e) => e.streamId === subject)[1]!;
    expect(mismatch.message).toContain(`previousHash ${wrong.slice(0, 16)}... is not the chain hash of revision 1 (${chainHash(before).slice(0, 16)}...)`);
    expect(mismatch.message).toContain(`this event's link was altered, or the event at position ${before.position} was`);
    const { previousHash: _dropped, ...unchained } = third.metadata as Record<string, unknown>;
    const dropped = log.map((e) => (e.position === third.position ? { ...e, metadata: unchained as JsonObject } : e));
    expect((await verify(dropped, { heads: [] })).findings[0]).toMatchObject({ kind: 'chain-break', code: 'unchained-after-chained', position: third.position });

    const keys = log.filter((e) => e.streamId === 'api-keys');
    const reordered = log.map((e) => (e.position === keys[1]!.position ? { ...e, revision: 5 } : e));
    expect((await verify(reordered, { heads: [] })).findings[0]).toMatchObject({ kind: 'revision-gap', position: keys[1]!.position });
  });

  it('names an event that is not JSON', async () => {
    const hashed = log.map(hashEvent).map((h) => (h.position === 7 ? { ...h, malformed: 'data: not a JSON object' } : h));
    const report = await verify(log, { heads: [] }, hashed);
    expect(report.findings[0]).toMatchObject({ kind: 'malformed-event', position: 7 });
  });

  describe('a stream replayed, relinked or malformed', () => {
    const subject = log[1]!.streamId;
    const ofSubject = log.filter((e) => e.streamId === subject);
    const relink = (e: CanonicalEvent, previousHash: JsonValue) => log.map((x) => (x.position === e.position ? { ...x, metadata: { ...x.metadata, previousHash } } : x));

    it('names an event that repeats an earlier revision (a replay) where it is, not at the next event', async () => {
      // A lower revision is as wrong as a higher one: only the one expected next is in order.
      const keys = log.filter((e) => e.streamId === 'api-keys');
      const replayed = log.map((e) => (e.position === keys[2]!.position ? { ...e, revision: 0 } : e));
      expect((await verify(replayed, { heads: [] })).findings).toEqual([
        expect.objectContaining({ kind: 'revision-gap', code: 'revision-gap', position: keys[2]!.position }),
      ]);
      const repeated = log.map((e) => (e.position === ofSubject[4]!.position ? { ...e, revision: 3 } : e));
      expect((await verify(repeated, { heads: [] })).findings).toEqual([
        expect.objectContaining({ kind: 'chain-break', code: 'revision-gap', position: ofSubject[4]!.position }),
      ]);
    });

    it('compares every byte of a link: one differing only in its last byte breaks the chain', async () => {
      const right = chainHash(ofSubject[1]!);
      const lastByteOff = right.slice(0, 62) + (right.slice(62) === '00' ? '01' : '00');
      expect((await verify(relink(ofSubject[2]!, lastByteOff), { heads: [] })).findings).toEqual([
        expect.objectContaining({ kind: 'chain-break', code: 'previous-hash-mismatch', position: ofSubject[2]!.position }),
      ]);
    });

    it('refuses 64 zeros as the first link: only null starts a chain', async () => {
      const zeros = '0'.repeat(64);
      const report = await verify(relink(ofSubject[0]!, zeros), { heads: [] });
      expect(report.findings).toEqual([expect.objectContaining({ kind: 'chain-break', code: 'first-link-not-null', position: ofSubject[0]!.position })]);
      expect(report.findings[0]!.message).toContain(`carries previousHash ${zeros}, expected null`);
    });

    it('names a malformed subject event once and follows its stream no further', async () => {
      // As hashStoredEvent gives it: no link read and no chain hash. The next event's link is not checked against anything.
      const bad = ofSubject[3]!;
      const unreadable = log.map(hashEvent).map((h) => (h.position === bad.position ? { ...h, previousHash: undefined, chainHash: null, malformed: 'data: not a JSON object' } : h));
      expect((await verify(log, { heads: [] }, unreadable)).findings).toEqual([expect.objectContaining({ kind: 'malformed-event', position: bad.position })]);

      // Malformed with a chain hash, and a later event of the stream relinked: still only the malformed event is named.
      const later = relink(ofSubject[5]!, 'cd'.repeat(32));
      const hashed = later.map(hashEvent).map((h) => (h.position === bad.position ? { ...h, malformed: 'metadata: not a JSON object' } : h));
      expect((await verify(later, { heads: [] }, hashed)).findings).toEqual([expect.objectContaining({ kind: 'malformed-event', position: bad.position })]);
    });
  });

  it('names a well-formed subject event given without a chain hash, rather than stop following its chain in silence', async () => {
    const subjectEvents = log.filter((e) => e.streamId.startsWith('subject-') && (e.metadata as { previousHash?: unknown }).previousHash !== undefined);
    const bare = subjectEvents[3]!;
    const hashed = log.map(hashEvent).map((h) => (h.position === bare.position ? { ...h, chainHash: null } : h));
    const report = await verify(log, { heads: [] }, hashed);
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'chain-break', code: 'no-chain-hash', position: bare.position })]);
  });

  it('names positions going back as out of order', async () => {
    const i = log.findIndex((e) => e.position === 40);
    const disordered = [...log.slice(0, i), log[i + 1]!, log[i]!, ...log.slice(i + 2)];
    const { findings } = await verify(disordered, { heads: [] });
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'position-gap', position: 40 }));
    expect(findings).toContainEqual({ kind: 'position-disorder', position: 40, message: 'position 40 comes after 41: the log is out of order' });
  });

  it('names the removal of only the last event by a given head, the server\'s tree and the stream\'s revision', async () => {
    const given: LoggedHead = { position: null, head: signTreeHead({ treeSize: 120, rootHash: merkleRoot(log.map(eventLeafHash)) }, AT, KEY) };
    const lastEvent = log[119]!;
    const lastRevision = log.filter((e) => e.streamId === lastEvent.streamId).length - 1;
    const cut = log.slice(0, 119);
    const heads = [...headsOf(cut), given];
    const byHead = await verify(cut, { heads });
    expect(byHead.findings).toEqual([expect.objectContaining({ kind: 'truncated', position: 120, treeSize: 120 })]);
    expect(byHead.findings[0]!.message).toMatch(/the log holds 119 events, but the head given .* signs 120: the last 1 were removed/);

    const byTree = await verify(cut, { storedTreeSize: 120, storedLeaves: () => [] });
    expect(byTree.findings).toEqual([{ kind: 'truncated', position: 120,
      message: 'the server\'s tree holds 120 events, the log only 119: events after position 119 were removed' }]);

    const byStream = await verify(cut, { streamRevisions: new Map([[lastEvent.streamId, lastRevision]]) });
    expect(byStream.findings).toEqual([{ kind: 'truncated', position: 120,
      message: `1 stream ends before the revision the store records for it: ${lastEvent.streamId} (revision ${lastRevision - 1} of ${lastRevision}): their last events were removed` }]);
  });

  it('does not name a stream as cut when it broke before: its break is named once', async () => {
    // A subject's middle event removed: the gap and the chain break name it; the stream's short count is not a truncation.
    const subject = log[1]!.streamId;
    const ofSubject = log.filter((e) => e.streamId === subject);
    const removed = log.filter((e) => e.position !== ofSubject[3]!.position);
    const { findings } = await verify(removed, { heads: [], streamRevisions: new Map([[subject, ofSubject.length - 1]]) });
    expect(findings.map((f) => f.kind)).toEqual(['position-gap', 'chain-break']);
  });

  it('names a head one smaller than an earlier head, and lets one of the same size pass', async () => {
    const sizeOf = (n: number) => signTreeHead({ treeSize: n, rootHash: merkleRoot(log.slice(0, n).map(eventLeafHash)) }, AT, KEY);
    const smaller = await verify(log, { heads: [...headsOf(log), { position: 121, head: sizeOf(89) }] });
    expect(smaller.findings).toEqual([expect.objectContaining({ kind: 'head-size-order', position: 121, treeSize: 89 })]);
    const same = await verify(log, { heads: [...headsOf(log), { position: 121, head: sizeOf(90) }] });
    expect(same.findings).toEqual([]);
  });
});
