import { createHash } from 'node:crypto';
import { chainHash, eventLeafHash, type CanonicalEvent } from './canonical-event';
import { canonicalJson, type JsonValue } from '@derbes/canonical-json';
import { consistencyProof, merkleRoot } from './merkle';
import { canonicalJsonFromText, hashEvent, hashStoredEvent, storedLeafHash } from './log-verifier-hashing';
import { StreamingTree } from './log-verifier-tree';

/** A deterministic random JSON value with the characters and numbers canonical JSON cares about. */
function randomValue(next: () => number, depth: number): JsonValue {
  const strings = ['a', 'Қазақ', 'x"y', 'back\\slash', 'tab\t', '\u0001', '😀', '\ud800', '/', '\u007f', '', '10', '9', 'b', 'aa'];
  const numbers = [0, -0, 1, -1.5, 0.1, 1e21, 5e-7, 123456789, 2 ** 53 - 1];
  const r = next();
  if (depth > 3 || r < 0.3) return strings[Math.floor(next() * strings.length)]!;
  if (r < 0.45) return numbers[Math.floor(next() * numbers.length)]!;
  if (r < 0.5) return [true, false, null][Math.floor(next() * 3)]!;
  if (r < 0.65) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const object: Record<string, JsonValue> = {};
  for (let i = Math.floor(next() * 6); i > 0; i--) object[strings[Math.floor(next() * strings.length)]!] = randomValue(next, depth + 1);
  return object;
}

function rng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('canonicalJsonFromText', () => {
  it('gives canonicalJson(JSON.parse(text)) for text JSON.stringify wrote, or undefined', () => {
    const next = rng(7);
    let handled = 0;
    for (let i = 0; i < 3000; i++) {
      const value = randomValue(next, 0);
      const text = JSON.stringify(value);
      const fast = canonicalJsonFromText(text);
      if (fast !== undefined) handled++;
      if (fast !== undefined) expect(fast).toBe(canonicalJson(value));
    }
    expect(handled).toBeGreaterThan(1500); // the comparison is not vacuous
    expect(canonicalJsonFromText('{"b":[1,{"d":2,"c":"é"}],"a":null}')).toBe('{"a":null,"b":[1,{"c":"é","d":2}]}');
  });

  it('leaves to the parser what it does not handle: whitespace, duplicates, escaped keys, other numbers, invalid JSON', () => {
    for (const text of ['{"a":"x\\u0041"}', '{"a":"\u0001"}', '{ "a":1}', '{"a":1,"a":2}', '{"\\u0061":1}', '{"a":1.0}', '{"a":-0}', '{"a":1E5}', '{"a":01}', '{"a":1', '{"a":1}x', '{"a":tru}', '{"a":"\ud800"}x']) {
      expect(canonicalJsonFromText(text)).toBeUndefined();
    }
  });
});

/** `text` as UTF-8 bytes inside a larger buffer, as a page's blob of data holds it. */
function utf8(text: string): { bytes: Buffer; start: number; end: number } {
  const bytes = Buffer.from(`Ө{${text}}"`);
  return { bytes, start: 3, end: bytes.length - 2 };
}

describe('hashStoredEvent', () => {
  const event: CanonicalEvent = {
    id: 'e1', type: 'ProcessingRecorded', streamId: `subject-${'a'.repeat(64)}`, revision: 3, position: 42,
    data: { z: 1, a: { y: 'Қ\n', b: [1, 2] } }, metadata: { schemaVersion: 1, previousHash: 'f'.repeat(64) }, created: '2026-11-20T09:30:00.123Z',
  };
  const row = { ...event, data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata) };

  it('hashes the stored text as hashEvent hashes the parsed event', () => {
    expect(hashStoredEvent(row)).toEqual(hashEvent(event));
    expect(hashStoredEvent(row).leafHash).toEqual(eventLeafHash(event));
    expect(hashStoredEvent(row).chainHash).toBe(chainHash(event));
    expect(hashStoredEvent({ ...row, data: '{ "z": 1, "a": {"b": [1,2], "y": "Қ\\n"}}' }).leafHash).toEqual(eventLeafHash(event));
    expect(hashStoredEvent({ ...row, streamId: 'api-keys' }).chainHash).toBeNull();
  });

  it('hashes canonical stored text (as the store writes it) as it is, to the same hashes, for 2,000 random events', () => {
    expect(hashStoredEvent({ ...row, data: canonicalJson(event.data), metadata: canonicalJson(event.metadata) })).toEqual(hashEvent(event));
    const next = rng(11);
    for (let i = 0; i < 2000; i++) {
      const data = { ...(randomValue(next, 1) as object), n: i } as Record<string, JsonValue>;
      // previousHash as the ledger writes it, and as a tampered or foreign event might carry it (or not at all).
      const links: JsonValue[] = [null, 'a'.repeat(64), 5, 'x"y\\z', { previousHash: 'nested' }, 'Қ'];
      const metadata: Record<string, JsonValue> = { schemaVersion: 1, extra: randomValue(next, 2) };
      if (i % 7 !== 6) metadata.previousHash = links[i % links.length]!;
      const random: CanonicalEvent = { ...event, data, metadata, position: i + 1, streamId: i % 5 === 0 ? 'api-keys' : event.streamId };
      const expected = hashEvent(random);
      expect(hashStoredEvent({ ...random, data: canonicalJson(data), metadata: canonicalJson(metadata) })).toEqual(expected);
      expect(hashStoredEvent({ ...random, data: canonicalJson(data), metadata: canonicalJson(metadata) }, true)).toEqual(expected);
      expect(hashStoredEvent({ ...random, data: JSON.stringify(data), metadata: JSON.stringify(metadata) })).toEqual(expected);
      expect(hashStoredEvent({ ...random, data: utf8(canonicalJson(data)), metadata: canonicalJson(metadata) }, true)).toEqual(expected);
      expect(hashStoredEvent({ ...random, data: utf8(JSON.stringify(data)), metadata: JSON.stringify(metadata) })).toEqual(expected);
    }
  });

  it('hashes data given as UTF-8 bytes as it hashes the same text given as a string', () => {
    const texts = [canonicalJson(event.data), '{"z":1,"a":{"b":[1,2],"y":"Қ\\n"}}', '{ "z": 1, "a": {"b": [1,2], "y": "Қ\\n"}}', '[1]', 'null', '{"a":', '', ' {"a":1}'];
    for (const text of texts) {
      for (const assumeCanonical of [false, true]) {
        expect(hashStoredEvent({ ...row, data: utf8(text) }, assumeCanonical)).toEqual(hashStoredEvent({ ...row, data: text }, assumeCanonical));
        // Metadata that is not an object makes the event malformed, its leaf hashed over the data's text.
        for (const metadata of ['[1]', '{"a":']) {
          expect(hashStoredEvent({ ...row, data: utf8(text), metadata }, assumeCanonical)).toEqual(hashStoredEvent({ ...row, data: text, metadata }, assumeCanonical));
        }
      }
    }
    // The comparison is not vacuous: assumed canonical, reordered text hashes otherwise than the event.
    expect(hashStoredEvent({ ...row, data: utf8(texts[1]!) }, true).leafHash).not.toEqual(eventLeafHash(event));
    expect(hashStoredEvent({ ...row, data: utf8(texts[1]!) }).leafHash).toEqual(eventLeafHash(event));
  });

  it('assuming the text canonical, hashes it as stored: the same hashes for canonical text, others for text that is not', () => {
    const canonical = { ...row, data: canonicalJson(event.data), metadata: canonicalJson(event.metadata) };
    expect(hashStoredEvent(canonical, true)).toEqual(hashStoredEvent(canonical));
    const reordered = { ...row, data: '{"z":1,"a":{"b":[1,2],"y":"Қ\\n"}}' };
    expect(hashStoredEvent(reordered).leafHash).toEqual(eventLeafHash(event));
    expect(hashStoredEvent(reordered, true).leafHash).not.toEqual(eventLeafHash(event));
    expect(hashStoredEvent(reordered, true).chainHash).not.toBe(chainHash(event));
    // What is not a JSON object is still found out.
    expect(hashStoredEvent({ ...row, data: '[1]' }, true).malformed).toMatch(/not a JSON object/);
  });

  it('assuming the text canonical, reads previousHash as parsing the metadata would', () => {
    const hex = 'b'.repeat(64);
    const metadatas: Array<Record<string, JsonValue>> = [
      { correlationId: 'c1', previousHash: hex, recordedAt: '2026-11-20T09:30:00.000Z', requestHash: `hmac:${hex}`, schemaVersion: 5 },
      { correlationId: 'c1', previousHash: null, schemaVersion: 5 },
      { previousHash: hex },
      { schemaVersion: 5 },
      { a: { previousHash: hex }, schemaVersion: 5 },
      { a: { previousHash: hex }, previousHash: null },
      { note: 'says "previousHash":null inside', schemaVersion: 5 },
      { note: 'previousHash', previousHash: 'with \\ backslash' },
      { list: [1, 'x'], previousHash: 7 },
      { previousHash: true },
      { previousHash: [hex] },
      { previousHash: '' },
      { previousHashes: hex },
    ];
    for (const metadata of metadatas) {
      const canonical = { ...row, data: canonicalJson(event.data), metadata: canonicalJson(metadata) };
      const expected = Object.prototype.hasOwnProperty.call(metadata, 'previousHash') ? metadata.previousHash : undefined;
      expect(hashStoredEvent(canonical, true).previousHash).toEqual(expected);
      expect(hashStoredEvent(canonical, true)).toEqual(hashStoredEvent(canonical));
    }
    expect(hashStoredEvent({ ...row, metadata: '[1]' }, true).malformed).toMatch(/metadata: not a JSON object/);
  });

  it('marks an event whose data is not a JSON object as malformed and still gives it a leaf', () => {
    for (const data of ['{"a":', '[1]', 'null']) {
      const hashed = hashStoredEvent({ ...row, data });
      expect(hashed.malformed).toMatch(/./);
      expect(hashed.leafHash).toHaveLength(32);
    }
  });
});

describe('hashStoredEvent, on a member name given twice', () => {
  const row = {
    id: 'e1', type: 'ProcessingRecorded', streamId: `subject-${'a'.repeat(64)}`, revision: 0, position: 7,
    data: '{"actor":{"id":"a1"},"purpose":"P1"}', metadata: '{"previousHash":null,"schemaVersion":1}', created: '2026-11-20T09:30:00.123Z',
  };

  it('marks the event malformed, whichever path the text takes, and never hashes what JSON.parse kept of it', () => {
    // Ordered (isCanonicalJson's path), reordered (canonicalJsonFromText's), spaced and escaped (the parser's).
    for (const data of ['{"actor":{"id":"EVIL"},"actor":{"id":"a1"},"purpose":"P1"}', '{"purpose":"P1","actor":{"id":"EVIL"},"actor":{"id":"a1"}}',
      '{"actor":{"id":"EVIL"}, "actor":{"id":"a1"},"purpose":"P1"}', '{"\u0061ctor":{"id":"EVIL"},"actor":{"id":"a1"},"purpose":"P1"}']) {
      const hashed = hashStoredEvent({ ...row, data });
      expect(hashed.malformed).toBe('data: the member name "actor" appears twice in an object');
      expect(hashed.leafHash).not.toEqual(hashStoredEvent(row).leafHash);
    }
    expect(hashStoredEvent({ ...row, metadata: '{"previousHash":"EVIL", "previousHash":null,"schemaVersion":1}' }).malformed)
      .toBe('metadata: the member name "previousHash" appears twice in an object');
    expect(hashStoredEvent(row).malformed).toBeUndefined();
  });
});

describe('storedLeafHash', () => {
  const event: CanonicalEvent = {
    id: 'e1', type: 'ProcessingRecorded', streamId: 'subject-1', revision: 0, position: 1,
    data: {}, metadata: {}, created: '2026-11-20T09:30:00.123Z',
  };

  it('gives eventLeafHash of the parsed event for canonical stored text, for 2,000 random events', () => {
    const next = rng(13);
    let hashed = 0;
    for (let i = 0; i < 2000; i++) {
      const data = { ...(randomValue(next, 1) as object), n: i } as Record<string, JsonValue>;
      const metadata = { schemaVersion: 1, extra: randomValue(next, 2) } as Record<string, JsonValue>;
      const random: CanonicalEvent = { ...event, id: `e-${i}-é"`, data, metadata, position: i + 1, revision: i };
      const leaf = storedLeafHash({ ...random, data: canonicalJson(data), metadata: canonicalJson(metadata) });
      // Undefined only where isCanonicalJson does not vouch for canonical text (escaped surrogates, keys with escapes).
      if (leaf !== undefined) hashed++;
      expect(leaf ?? eventLeafHash(random)).toEqual(eventLeafHash(random));
    }
    expect(hashed).toBeGreaterThan(1000);
  });

  it('declines text that is not canonical JSON objects, which the caller then parses', () => {
    const metadata = canonicalJson({ schemaVersion: 1 });
    for (const data of ['{"b":1,"a":2}', '{ "a":1}', '[1]', 'null', '{"a":', '{"a":"\\u0041"}']) {
      expect(storedLeafHash({ ...event, data, metadata })).toBeUndefined();
    }
    expect(storedLeafHash({ ...event, data: '{}', metadata: '{"z":1,"a":1}' })).toBeUndefined();
    expect(storedLeafHash({ ...event, data: '{}', metadata: '{}' })).toEqual(eventLeafHash(event));
  });
});

describe('StreamingTree', () => {
  const leaves = Array.from({ length: 70 }, (_, i) => createHash('sha256').update(`leaf ${i}`).digest());

  it('gives the roots and the consistency proofs of the reference at every pair of sizes up to 70', () => {
    for (let n = 1; n <= 70; n += n < 20 ? 1 : 7) {
      const tree = new StreamingTree();
      for (let m = 1; m < n; m++) tree.want(m, n);
      leaves.slice(0, n).forEach((leaf) => tree.append(leaf));
      expect(tree.root()).toEqual(merkleRoot(leaves.slice(0, n)));
      for (let m = 1; m < n; m++) expect(tree.consistencyProof(m)).toEqual(consistencyProof(m, leaves.slice(0, n)));
    }
  });

  it('takes leaves side by side in one buffer, and a root taken once stays as it was while leaves come', () => {
    const packed = Buffer.concat(leaves);
    const tree = new StreamingTree();
    const roots: Buffer[] = [];
    for (let i = 0; i < leaves.length; i++) {
      tree.append(packed, i * 32);
      roots.push(tree.root());
    }
    roots.forEach((root, i) => expect(root).toEqual(merkleRoot(leaves.slice(0, i + 1))));
  });
});
