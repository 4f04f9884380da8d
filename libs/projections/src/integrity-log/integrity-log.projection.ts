import type Database from 'better-sqlite3';

import { storedTextOf, type RecordedEvent } from '@derbes/event-store';
import { MerkleLog, TREE_HEAD_SIGNED, TREE_HEADS_STREAM, eventLeafHash, storedLeafHash, treeHeadOf, type CanonicalEvent } from '@derbes/integrity';
import type { Projection, ReadModelTables } from '../projection';
import { cachedStatement } from '../statement-cache';

export const INTEGRITY_LOG = 'integrity-log';

/**
 * The ledger's Merkle tree (RFC 9162) over the whole log, kept as a read model: every event, in global order, is a
 * leaf (leaf i is the event at position i + 1), stored incrementally by MerkleLog. It also keeps the signed tree
 * heads found in the log, for the integrity endpoints. Like every read model it is a cache: a rebuild recomputes
 * it from the events, and `derbes verify` recomputes it without trusting it.
 */
export const integrityLogProjection: Projection = {
  name: INTEGRITY_LOG,
  // 2: the tree in tiles of 16 nodes (MerkleLog), not a row per node; a generation of version 1 serves until rebuilt.
  version: 2,
  setup(tables) {
    merkleLogOf(tables);
    tables.db.exec(`
      CREATE TABLE "${tables.table('tree_heads')}" (
        tree_size INTEGER NOT NULL,
        position INTEGER NOT NULL PRIMARY KEY, -- where the head itself is in the log
        root_hash TEXT NOT NULL,
        timestamp TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX "${tables.table('tree_heads')}_by_size" ON "${tables.table('tree_heads')}"(tree_size, position);
    `);
  },
  apply(tables, event) {
    this.applyAll!(tables, [event]);
  },
  applyAll(tables, events) {
    const log = merkleLogOf(tables);
    const size = log.size();
    events.forEach((event, i) => {
      if (event.position !== size + 1 + i) {
        throw new Error(`the log is not gap-free: position ${event.position} follows ${size + i}`);
      }
    });
    log.append(events.map(leafHash));
    for (const event of events) {
      if (event.streamId !== TREE_HEADS_STREAM || event.type !== TREE_HEAD_SIGNED) continue;
      const head = treeHeadOf(event);
      cachedStatement(tables, `INSERT INTO "${tables.table('tree_heads')}" (tree_size, position, root_hash, timestamp, key_id, signature)
        VALUES (@treeSize, @position, @rootHash, @timestamp, @keyId, @signature)`).run({ ...head, position: event.position });
    }
  },
};

/**
 * The event's leaf hash: from the text the store read it from when that text is canonical (as the store writes it),
 * which is the same hash without writing the parsed objects again; else from the parsed event.
 */
function leafHash(event: RecordedEvent): Buffer {
  const text = storedTextOf(event);
  return (text && storedLeafHash({ ...event, data: text.data, metadata: text.metadata }))
    ?? eventLeafHash(event as unknown as CanonicalEvent);
}

/** The tree of these tables: one MerkleLog per connection and generation, since it keeps the tree's right edge in memory. */
const logs = new WeakMap<Database.Database, Map<string, MerkleLog>>();

export function merkleLogOf(tables: ReadModelTables): MerkleLog {
  let byPrefix = logs.get(tables.db);
  if (!byPrefix) logs.set(tables.db, (byPrefix = new Map()));
  const prefix = tables.table('');
  let log = byPrefix.get(prefix);
  if (!log) byPrefix.set(prefix, (log = new MerkleLog(tables.db, { prefix })));
  return log;
}

