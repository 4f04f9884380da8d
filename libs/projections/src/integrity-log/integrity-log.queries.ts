import type { SignedTreeHead } from '@derbes/integrity';
import type { ReadModelTables } from '../projection';
import { cachedStatement } from '../statement-cache';
import { merkleLogOf } from './integrity-log.projection';

/** A signed tree head as the read model keeps it, with where it is in the log. */
export interface StoredTreeHead extends SignedTreeHead {
  readonly position: number;
}

/** How many events the tree holds (the events applied so far). */
export function treeSize(tables: ReadModelTables): number {
  return merkleLogOf(tables).size();
}

/** The root hash (hex) of the tree of the first `size` events. Throws RangeError beyond the tree. */
export function treeRoot(tables: ReadModelTables, size: number): string {
  return merkleLogOf(tables).root(size).toString('hex');
}

/** The leaf hash (hex) of the event at `position`. */
export function leafHashAt(tables: ReadModelTables, position: number): string {
  return merkleLogOf(tables).leafHash(position - 1).toString('hex');
}

/** RFC 9162 inclusion proof of the event at `position` in the tree of `size` events, hex hashes. */
export function inclusionProof(tables: ReadModelTables, position: number, size: number): string[] {
  return merkleLogOf(tables).inclusionProof(position - 1, size).map((h) => h.toString('hex'));
}

/** RFC 9162 consistency proof between the trees of `from` and `to` events, hex hashes. */
export function consistencyProof(tables: ReadModelTables, from: number, to: number): string[] {
  return merkleLogOf(tables).consistencyProof(from, to).map((h) => h.toString('hex'));
}

interface HeadRow {
  readonly tree_size: number;
  readonly position: number;
  readonly root_hash: string;
  readonly timestamp: string;
  readonly key_id: string;
  readonly signature: string;
}

const COLUMNS = 'tree_size, position, root_hash, timestamp, key_id, signature';

function toHead(row: HeadRow | undefined): StoredTreeHead | null {
  return row ? { treeSize: row.tree_size, rootHash: row.root_hash, timestamp: row.timestamp, keyId: row.key_id, signature: row.signature, position: row.position } : null;
}

/** The last signed tree head appended to the log, or null before the first. */
export function latestTreeHead(tables: ReadModelTables): StoredTreeHead | null {
  return toHead(cachedStatement(tables, `SELECT ${COLUMNS} FROM "${tables.table('tree_heads')}" ORDER BY position DESC LIMIT 1`).get({}) as HeadRow | undefined);
}

/** The first signed tree head of exactly this size, or null. */
export function treeHeadOfSize(tables: ReadModelTables, size: number): StoredTreeHead | null {
  return toHead(cachedStatement(tables, `SELECT ${COLUMNS} FROM "${tables.table('tree_heads')}" WHERE tree_size = @size ORDER BY position LIMIT 1`).get({ size }) as HeadRow | undefined);
}
