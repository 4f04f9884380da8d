import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@derbes/event-store';

/**
 * Where a projection keeps its tables: one SQLite database shared by all projections, each generation of a
 * projection with its own tables, so that a rebuild fills new tables while queries still read the old ones.
 */
export interface ReadModelTables {
  readonly db: Database.Database;
  /** The physical name of one of this projection's tables in this generation, e.g. `subject_history_g3_entries`. */
  table(name: string): string;
}

/**
 * A named, versioned handler of events that keeps a read model. Bumping `version` makes the runner rebuild it
 * from the start of the log into fresh tables, and swap them in once caught up.
 */
export interface Projection {
  /** Kebab-case, stable: names its tables and its checkpoint. */
  readonly name: string;
  readonly version: number;
  /**
   * What the rows depend on besides the events and the code (a UTC offset for local days, which categories are
   * sensitive), as text. A generation built with other settings is rebuilt as for a new version, the old one
   * answering meanwhile, so that no read model counts some events one way and the rest another.
   */
  readonly settings?: string;
  /** Creates this generation's tables (always fresh: the runner never calls it on existing tables). */
  setup(tables: ReadModelTables): void;
  /**
   * Creates the secondary indexes, if the projection keeps them apart from `setup`: the runner calls it once the
   * new generation has caught up with the log, in the transaction that makes it the one queries read. Filling
   * tables first and indexing them after is much cheaper than keeping every index in order row by row.
   */
  indexes?(tables: ReadModelTables): void;
  /**
   * Applies one event. Runs inside the runner's transaction, which also moves the checkpoint: an event is
   * applied exactly once, or not at all if the process dies. Events of other kinds are ignored here.
   */
  apply(tables: ReadModelTables, event: RecordedEvent): void;
  /**
   * Applies a batch of events in log order, when the projection does better with many at once (one multi-row
   * write instead of one per event); the runner then calls it instead of `apply`, in the same transaction.
   */
  applyAll?(tables: ReadModelTables, events: readonly RecordedEvent[]): void;
}
