import { createHash, generateKeyPairSync } from 'node:crypto';
import { keyIdOf, signTreeHead } from './tree-head';
import { TREE_HEAD_SCHEMA_VERSION, TREE_HEAD_SIGNED, treeHeadOf } from './tree-head-event';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const head = signTreeHead({ treeSize: 7, rootHash: createHash('sha256').update('root').digest() }, new Date('2026-11-20T09:30:00Z'), { keyId: keyIdOf(publicKey), privateKey });
const event = (data: object) => ({ type: TREE_HEAD_SIGNED, data, metadata: { schemaVersion: TREE_HEAD_SCHEMA_VERSION } });

describe('treeHeadOf (a TreeHeadSigned event of the log)', () => {
  it('reads the five members the ledger writes', () => {
    expect(treeHeadOf(event({ ...head }))).toEqual(head);
  });

  // Its five signed members still verify: only the member the ledger never writes shows the head was altered.
  it('refuses a head with any other member, naming it', () => {
    expect(() => treeHeadOf(event({ ...head, note: 'added' }))).toThrow('TreeHeadSigned: "note" is not a member of a tree head');
  });

  it('refuses a missing or malformed member, another type and another schema version', () => {
    const { signature: _, ...unsigned } = head;
    expect(() => treeHeadOf(event(unsigned))).toThrow('TreeHeadSigned: signature is malformed');
    expect(() => treeHeadOf(event({ ...head, treeSize: '7' }))).toThrow('TreeHeadSigned: treeSize is malformed');
    expect(() => treeHeadOf({ ...event(head), type: 'TreeHeadSaid' })).toThrow('TreeHeadSaid is not a TreeHeadSigned event');
    expect(() => treeHeadOf({ ...event(head), metadata: { schemaVersion: 2 } })).toThrow('TreeHeadSigned schema version 2: this build reads 1');
  });
});
