import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { isStorageFault, type EventStore, type RecordedEvent } from '@derbes/event-store';
import { copyTable, dropGeneration, generationTables, tablePrefix, type GenerationRow } from './generation';
import { LogReader, MAX_BATCH } from './log-reader';
import { removeDatabaseFiles } from './read-model-database';
import type { Projection, ReadModelTables } from './projection';
import { WalCheckpoints } from './wal-checkpoints';

/** What /health and `derbes projections status` show of one projection. */
export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  /**
   * The generation queries read, or null while the first one is still being built. `current`: made by this version
   * with these settings; else it is rebuilt when the read models are next kept (or is being rebuilt).
   */
  readonly active: { readonly generation: number; readonly version: number; readonly position: number; readonly current: boolean } | null;
  /**
   * A generation being rebuilt from the start of the log, if any. `aside`: a side build fills it on another thread
   * (its position there; `generation` the number it will have here once copied in).
   */
  readonly building: { readonly generation: number; readonly position: number; readonly aside?: true } | null;
  /** Position of the last event in the log when this status was taken. */
  readonly logPosition: number;
  /** Events the active generation has yet to apply. */
  readonly lag: number;
  /** Why the projection stopped, if it did (an event it could not apply). */
  readonly error: string | null;
}

export class ProjectionNotReadyError extends Error {
  override readonly name = 'ProjectionNotReadyError';
}

interface Follower {
  readonly slot: Slot;
  row: GenerationRow;
  readonly tables: ReadModelTables;
  /** False for an old version's generation during a rebuild: its code is gone, it only keeps serving. */
  readonly follows: boolean;
  /** The reader feeding it while it follows the log. */
  reader?: LogReader<Follower>;
}

interface Slot {
  readonly projection: Projection;
  active?: Follower;
  building?: Follower;
  error: string | null;
  readonly waiters: Set<() => void>;
  rebuilt?: () => void;
  /** True while its first generation is being built aside (SideBuild). */
  aside?: boolean;
}

/**
 * Builds some projections' generations on another thread, in a file of their own, while the runner builds the others:
 * a rebuild of every read model then uses both cores. SQLite lets one connection at a time write to a file, so the
 * second thread cannot write into the read-model file itself; it fills a scratch file, which the runner copies into
 * its own and follows on from (see buildAside). Nothing of that file counts until it is copied, in one transaction
 * with the generation's row: a crash before leaves no trace but the scratch file, which the next build replaces.
 */
export interface SideBuild {
  /** The projections it builds. */
  readonly names: ReadonlySet<string>;
  /** A file it may fill (replaced at each build). */
  readonly file: string;
  /** A log shorter than this is built on one thread: starting another would take longer than it saves. */
  readonly minEvents?: number;
  /**
   * Builds `names` (those of its projections that need a build now) from the start of the log into `file` (a
   * ProjectionRunner of their own there) and resolves once each is active in it; the thread is done with the file
   * then. Gives up when `signal` aborts.
   */
  build(file: string, names: readonly string[], signal: AbortSignal): Promise<void>;
}

export interface ProjectionRunnerOptions {
  /** The clock of the checkpoints' `updated_at`. */
  readonly now?: () => Date;
  /** How long to wait before retrying after the read-model file refused a write (full or read-only disk); 1 s. */
  readonly retryDelayMs?: number;
  /** Events per batch during a catch-up: MAX_BATCH_ON_OWN_THREAD on a thread that answers no requests. */
  readonly maxBatch?: number;
  /**
   * Once started, checkpoint the read-model file's WAL on a thread of its own (WalCheckpoints), so that applying
   * never waits for a checkpoint: for a runner that keeps read models on a file, for as long as it runs.
   */
  readonly checkpointsOnThread?: boolean;
  /** Builds some projections aside on another thread when they are built from scratch at start (SideBuild). */
  readonly sideBuild?: SideBuild;
}

/** One follower's part of a batch, and how applying it went. */
interface Share {
  readonly follower: Follower;
  readonly events: readonly RecordedEvent[];
  error?: unknown;
}

/**
 * Runs projections on catch-up subscriptions to the global log. Followers at the same position share one reader, so
 * the log is read and parsed once for all of them, and each batch is applied in one transaction in which every
 * projection works in its own savepoint together with its checkpoint: a projection that fails rolls back its own
 * part only and stops (or pauses, on a storage fault), while the others go on. A rebuild fills a new generation of
 * tables from position 0 while queries keep reading the active one, and swaps when it has caught up.
 */
export class ProjectionRunner {
  private readonly slots = new Map<string, Slot>();
  private readonly readers = new Set<LogReader<Follower>>();
  private stopped = false;
  /** Set by attach(): another process keeps the read models, so their state is read from the database each time. */
  private attached = false;
  private moveCheckpoint?: Database.Statement<[number, string, string, number]>;

  private readonly now: () => Date;
  private readonly retryDelayMs: number;
  private readonly maxBatch: number;
  private readonly checkpointsOnThread: boolean;
  private readonly sideBuild?: SideBuild;
  private readonly stopping = new AbortController();
  /** Slots rebuild() was asked for in this turn, to be built aside together (buildAsideSoon). */
  private asideSoon: Slot[] = [];
  private checkpoints?: WalCheckpoints;

  constructor(
    private readonly store: EventStore,
    private readonly db: Database.Database,
    projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.maxBatch = options.maxBatch ?? MAX_BATCH;
    this.checkpointsOnThread = options.checkpointsOnThread ?? false;
    this.sideBuild = options.sideBuild;
    for (const projection of projections) {
      this.slots.set(projection.name, { projection, error: null, waiters: new Set() });
    }
  }

  /** Resumes every projection from its checkpoint, or starts building those with a new version or settings (or none yet). */
  start(): void {
    if (this.checkpointsOnThread) this.checkpoints ??= WalCheckpoints.start(this.db);
    const aside: Slot[] = [];
    for (const slot of this.slots.values()) {
      const rows = this.generations(slot.projection.name);
      const active = rows.find((r) => r.state === 'active');
      for (const row of rows.filter((r) => r.state === 'building')) this.discard(row);
      if (active) {
        slot.active = this.follower(slot, active, builtBy(active, slot.projection));
        if (slot.active.follows) this.follow(slot.active);
      }
      if (active && builtBy(active, slot.projection)) continue;
      if (this.sideBuild?.names.has(slot.projection.name)) aside.push(slot);
      else this.beginBuild(slot, rows);
    }
    if (aside.length > 0) this.buildAside(aside);
  }

  /**
   * Reads the read models that another process keeps (`derbes projections run`, or a server), without following
   * the log itself: queries, positions, waits and status read the current generation from the database each time.
   */
  attach(): void {
    this.attached = true;
    for (const slot of this.slots.values()) this.refresh(slot);
  }

  /**
   * Rebuilds a projection from the start of the log; resolves once the new generation has been swapped in. Those the
   * side build takes, asked for in the same turn (`derbes projections rebuild` asks for all at once), are built
   * aside together, as at start.
   */
  rebuild(name: string): Promise<void> {
    const slot = this.slot(name);
    if (!slot.building && !slot.aside) {
      if (this.sideBuild?.names.has(name)) this.buildAsideSoon(slot);
      else this.beginBuild(slot, this.generations(name));
    }
    return new Promise((resolve) => {
      const previous = slot.rebuilt;
      slot.rebuilt = () => {
        previous?.();
        resolve();
      };
    });
  }

  /** The tables queries read; throws ProjectionNotReadyError while the first generation is being built. */
  tables(name: string): ReadModelTables {
    const active = this.slot(name).active;
    if (!active) throw new ProjectionNotReadyError(`the ${name} read model is being built`);
    return active.tables;
  }

  /** How far the active generation has applied the log (0 before it exists). */
  position(name: string): number {
    return this.slot(name).active?.row.position ?? 0;
  }

  /**
   * Runs `query` on the active generation's tables in one read transaction, with the position that generation has
   * applied: the query's statements and the position see one committed state (one WAL snapshot), though the
   * keeper, on another thread or in another process, commits batches meanwhile. Throws ProjectionNotReadyError
   * while the first generation is being built.
   */
  read<T>(name: string, query: (tables: ReadModelTables, position: number) => T): T {
    // The generation's row is read first, inside the transaction: the snapshot begins with it.
    return this.db.transaction(() => query(this.tables(name), this.position(name)))();
  }

  /** The position of the log's last event, as the store has it now. */
  logEnd(): Promise<number> {
    return this.store.lastPosition();
  }

  /** Resolves true once an active generation has applied `position`, or false after `timeoutMs`. */
  waitFor(name: string, position: number, timeoutMs: number): Promise<boolean> {
    const slot = this.slot(name);
    const reached = () => slot.active !== undefined && slot.active.row.position >= position;
    if (reached()) return Promise.resolve(true);
    if (this.attached) return this.poll(slot, reached, timeoutMs);
    return new Promise((resolve) => {
      const check = () => {
        if (!reached()) return;
        clearTimeout(timer);
        slot.waiters.delete(check);
        resolve(true);
      };
      const timer = setTimeout(() => {
        slot.waiters.delete(check);
        resolve(false);
      }, timeoutMs);
      slot.waiters.add(check);
    });
  }

  async status(): Promise<ProjectionStatus[]> {
    const logPosition = await this.store.lastPosition();
    if (this.attached) for (const slot of this.slots.values()) this.refresh(slot);
    // Attached, the build is the keeping process's (the projections thread's): its row says where it stands, or the
    // side build's file, for a projection built aside that has no current generation here.
    const buildingOf = (slot: Slot): ProjectionStatus['building'] => {
      const row = this.attached ? this.generations(slot.projection.name).filter((r) => r.state === 'building').at(-1) : slot.building?.row;
      if (row) return { generation: row.generation, position: row.position };
      const current = slot.active !== undefined && builtBy(slot.active.row, slot.projection);
      return (this.attached ? !current : slot.aside === true) ? this.buildingAside(slot.projection.name) : null;
    };
    return [...this.slots.values()].map((slot) => ({
      name: slot.projection.name,
      version: slot.projection.version,
      active: slot.active
        ? { generation: slot.active.row.generation, version: slot.active.row.version, position: slot.active.row.position, current: builtBy(slot.active.row, slot.projection) }
        : null,
      building: buildingOf(slot),
      logPosition,
      lag: logPosition - (slot.active?.row.position ?? 0),
      error: slot.error,
    }));
  }

  /**
   * Where the side build stands with a projection, from its file (read-only; it may not be there yet, or not have
   * begun that projection: position 0); null when there is no side build or no file of it.
   */
  private buildingAside(name: string): ProjectionStatus['building'] {
    const file = this.sideBuild?.file;
    if (file === undefined || !existsSync(file)) return this.attached || file === undefined ? null : { generation: this.nextGeneration(name), position: 0, aside: true };
    let side: Database.Database | undefined;
    let position = 0;
    try {
      side = new Database(file, { readonly: true, fileMustExist: true });
      position = side.prepare<[string], number>('SELECT max(position) FROM projection_generations WHERE name = ?').pluck().get(name) ?? 0;
    } catch {
      // Not made yet (no table), or being replaced: it has not begun.
    } finally {
      side?.close();
    }
    return { generation: this.nextGeneration(name), position, aside: true };
  }

  private nextGeneration(name: string): number {
    return this.generations(name).reduce((max, r) => Math.max(max, r.generation), 0) + 1;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    const readers = [...this.readers];
    this.readers.clear();
    for (const reader of readers) await reader.end();
    await this.checkpoints?.stop();
    this.checkpoints = undefined;
  }

  private slot(name: string): Slot {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`no projection named ${name}`);
    if (this.attached) this.refresh(slot);
    return slot;
  }

  /** Re-reads the active generation that the keeping process last committed. */
  private refresh(slot: Slot): void {
    const row = this.generations(slot.projection.name).find((r) => r.state === 'active');
    if (!row) slot.active = undefined;
    else if (slot.active?.row.generation === row.generation) slot.active.row = row;
    else slot.active = this.follower(slot, row, false);
  }

  /** Another process moves the checkpoint: look again every 20 ms. */
  private poll(slot: Slot, reached: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        this.refresh(slot);
        if (reached() || Date.now() >= deadline) {
          clearInterval(timer);
          resolve(reached());
        }
      }, 20);
    });
  }

  private generations(name: string): GenerationRow[] {
    return this.db
      .prepare<[string], GenerationRow>('SELECT name, generation, version, settings, position, state FROM projection_generations WHERE name = ? ORDER BY generation')
      .all(name);
  }

  private follower(slot: Slot, row: GenerationRow, follows: boolean): Follower {
    return { slot, row, tables: generationTables(this.db, row.name, row.generation), follows };
  }

  private beginBuild(slot: Slot, rows: readonly GenerationRow[]): void {
    const generation = rows.reduce((max, r) => Math.max(max, r.generation), 0) + 1;
    const row: GenerationRow = {
      name: slot.projection.name, generation, version: slot.projection.version, settings: slot.projection.settings ?? '', position: 0, state: 'building',
    };
    const building = this.follower(slot, row, true);
    this.db.transaction(() => {
      dropGeneration(this.db, row.name, generation);
      slot.projection.setup(building.tables);
      this.db
        .prepare('INSERT INTO projection_generations(name, generation, version, settings, position, state, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)')
        .run(row.name, generation, row.version, row.settings, 'building', this.now().toISOString());
    })();
    slot.building = building;
    this.follow(building);
    // An empty (or short) log may have nothing to deliver: check whether there is anything to catch up at all.
    this.settle(slot, this.afterApply(building));
  }

  private discard(row: GenerationRow): void {
    this.db.transaction(() => {
      dropGeneration(this.db, row.name, row.generation);
      this.db.prepare('DELETE FROM projection_generations WHERE name = ? AND generation = ?').run(row.name, row.generation);
    })();
  }

  /** Gathers the slots asked for in this turn, then builds them aside together. */
  private buildAsideSoon(slot: Slot): void {
    slot.aside = true;
    this.asideSoon.push(slot);
    if (this.asideSoon.length > 1) return;
    queueMicrotask(() => {
      const slots = this.asideSoon;
      this.asideSoon = [];
      this.buildAside(slots);
    });
  }

  /**
   * Has the side build fill its file, then copies each projection's tables from it into a new generation here, with
   * the position it reached, in one transaction; the generation then follows the log on from there and is swapped in
   * once caught up, as any other. A side build that fails leaves the projections to be built here instead.
   */
  private buildAside(slots: readonly Slot[]): void {
    const side = this.sideBuild as SideBuild;
    for (const slot of slots) slot.aside = true;
    const adopt = () => {
      this.db.prepare('ATTACH DATABASE ? AS aside').run(side.file);
      try {
        for (const slot of slots) this.adopt(slot);
      } finally {
        this.db.exec('DETACH DATABASE aside');
        removeDatabaseFiles(side.file);
      }
    };
    const end = side.minEvents === undefined ? Promise.resolve(Infinity) : this.store.lastPosition();
    end.then((position) => {
      if (position < (side.minEvents ?? 0)) throw new Error('a short log');
      return side.build(side.file, slots.map((s) => s.projection.name), this.stopping.signal);
    }).then(() => {
      if (!this.stopped) adopt();
    }).catch(() => {
      // A short log, or whatever went wrong aside (the thread could not start, its file is full): building here
      // still works, on one thread.
      if (this.stopped) return;
      for (const slot of slots.filter((s) => s.aside)) {
        slot.aside = false;
        this.beginBuild(slot, this.generations(slot.projection.name));
      }
    });
  }

  /** Copies one projection's generation from the side build's file (attached as `aside`) into a new one here. */
  private adopt(slot: Slot): void {
    const { name } = slot.projection;
    const built = this.db
      .prepare<[string], GenerationRow>("SELECT name, generation, version, settings, position, state FROM aside.projection_generations WHERE name = ? AND state = 'active'")
      .get(name);
    if (!built || !builtBy(built, slot.projection)) throw new Error(`the side build left no current generation of ${name}`);
    const generation = this.generations(name).reduce((max, r) => Math.max(max, r.generation), 0) + 1;
    const row: GenerationRow = { ...built, generation, state: 'building' };
    const building = this.follower(slot, row, true);
    const from = tablePrefix(name, built.generation);
    const tables = this.db
      .prepare<[number, string], string>("SELECT name FROM aside.sqlite_master WHERE type = 'table' AND substr(name, 1, ?) = ?")
      .pluck()
      .all(from.length, from);
    this.db.transaction(() => {
      dropGeneration(this.db, name, generation);
      slot.projection.setup(building.tables);
      for (const table of tables) {
        copyTable(this.db, 'aside', table, building.tables.table(table.slice(from.length)));
      }
      this.db
        .prepare('INSERT INTO projection_generations(name, generation, version, settings, position, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(name, generation, row.version, row.settings, row.position, 'building', this.now().toISOString());
    })();
    slot.aside = false;
    slot.building = building;
    this.follow(building);
    this.settle(slot, this.afterApply(building));
  }

  /**
   * Feeds the follower from its checkpoint: through a reader that stands exactly there (another follower's), or a
   * reader of its own, which merges with another once they meet (see deliver).
   */
  private follow(follower: Follower): void {
    const position = follower.row.position;
    let reader = [...this.readers].find((r) => r.yielded === position);
    if (!reader) {
      reader = new LogReader<Follower>(this.store, position, (r, batch) => this.deliver(r, batch), (r, error) => this.readerFailed(r, error), this.maxBatch);
      this.readers.add(reader);
    }
    reader.followers.add(follower);
    follower.reader = reader;
  }

  private unfollow(follower: Follower): void {
    const reader = follower.reader;
    if (!reader) return;
    follower.reader = undefined;
    reader.followers.delete(follower);
    if (reader.followers.size > 0) return;
    this.readers.delete(reader);
    void reader.end();
  }

  /** Reading the log failed (not applying it): every follower of the reader stops, visibly. */
  private readerFailed(reader: LogReader<Follower>, error: unknown): void {
    if (this.stopped) return;
    for (const follower of [...reader.followers]) {
      follower.slot.error = `stopped: ${error instanceof Error ? error.message : String(error)}`;
      this.unfollow(follower);
    }
  }

  private deliver(reader: LogReader<Follower>, batch: readonly RecordedEvent[]): void {
    if (this.stopped) return;
    const shares: Share[] = [];
    for (const follower of reader.followers) {
      // A follower that joined ahead of the reader skips what it has applied.
      const from = follower.row.position;
      const events = (batch[0] as RecordedEvent).position > from ? batch : batch.filter((e) => e.position > from);
      if (events.length > 0) shares.push({ follower, events });
    }
    this.applyShares(shares);
    for (const share of shares) {
      const { follower, events, error } = share;
      if (error !== undefined) {
        this.failed(follower, error, (events[0] as RecordedEvent).position);
        continue;
      }
      if (follower.slot.error?.startsWith('paused')) follower.slot.error = null;
      this.settle(follower.slot, this.afterApply(follower));
    }
    this.merge(reader);
  }

  /**
   * Applies each follower's events and moves its checkpoint in a savepoint of its own, all in one transaction: one
   * commit for every projection. Marks the shares that failed; on success moves the followers' positions.
   */
  private applyShares(shares: Share[]): void {
    const at = this.now().toISOString();
    this.moveCheckpoint ??= this.db.prepare('UPDATE projection_generations SET position = ?, updated_at = ? WHERE name = ? AND generation = ?');
    const checkpoint = this.moveCheckpoint;
    try {
      this.db.transaction(() => {
        for (const share of shares) {
          const { follower, events } = share;
          const { projection } = follower.slot;
          try {
            this.db.transaction(() => {
              if (projection.applyAll) projection.applyAll(follower.tables, events);
              else for (const event of events) projection.apply(follower.tables, event);
              checkpoint.run((events[events.length - 1] as RecordedEvent).position, at, follower.row.name, follower.row.generation);
            })();
          } catch (error) {
            // SQLite itself may have rolled back the whole transaction (a full disk, an I/O error): nothing of the
            // batch is kept, for anyone.
            if (!this.db.inTransaction) throw error;
            share.error = error;
          }
        }
      })();
    } catch (error) {
      for (const share of shares) share.error ??= error;
      return;
    }
    for (const share of shares) {
      if (share.error !== undefined) continue;
      const last = share.events[share.events.length - 1] as RecordedEvent;
      share.follower.row = { ...share.follower.row, position: last.position };
    }
  }

  /** A projection that failed stops (visibly); on a storage fault it pauses and follows on from its checkpoint later. */
  private failed(follower: Follower, error: unknown, position: number): void {
    const { slot } = follower;
    const message = error instanceof Error ? error.message : String(error);
    this.unfollow(follower);
    if (isStorageFault(error)) {
      // Its part rolled back with its checkpoint: once the disk takes writes again, follow on from there.
      slot.error = `paused before position ${position}: ${message}; retrying`;
      setTimeout(() => this.resume(follower), this.retryDelayMs).unref();
    } else {
      slot.error = `stopped before position ${position}: ${message}`;
    }
  }

  /** Another reader that stands where this one does, with nothing pending, hands its followers over and ends. */
  private merge(reader: LogReader<Follower>): void {
    if (!this.readers.has(reader) || !reader.idle) return;
    for (const other of this.readers) {
      if (other === reader || other.yielded !== reader.yielded || !other.idle) continue;
      for (const follower of other.followers) {
        follower.reader = reader;
        reader.followers.add(follower);
      }
      other.followers.clear();
      this.readers.delete(other);
      void other.end();
    }
  }

  /** Follows on after a storage fault, unless the runner stopped or a rebuild replaced this follower meanwhile. */
  private resume(follower: Follower): void {
    const { slot } = follower;
    if (this.stopped || (slot.active !== follower && slot.building !== follower)) return;
    this.follow(follower);
  }

  /** Background work must not fail silently (nor crash the process): a failure stops the projection, visibly. */
  private settle(slot: Slot, work: Promise<void>): void {
    work.catch((error: unknown) => {
      if (this.stopped) return;
      slot.error = `stopped: ${error instanceof Error ? error.message : String(error)}`;
    });
  }

  private async afterApply(follower: Follower): Promise<void> {
    const { slot } = follower;
    if (follower === slot.active) {
      for (const waiter of [...slot.waiters]) waiter();
      return;
    }
    if (follower !== slot.building || follower.row.position < (await this.store.lastPosition())) return;
    // Another batch's check may have swapped it in meanwhile.
    if (follower !== slot.building) return;
    // Caught up: the new generation gets its deferred indexes and becomes the one queries read; the old one goes.
    const previous = slot.active;
    this.db.transaction(() => {
      slot.projection.indexes?.(follower.tables);
      if (previous) {
        dropGeneration(this.db, previous.row.name, previous.row.generation);
        this.db.prepare('DELETE FROM projection_generations WHERE name = ? AND generation = ?').run(previous.row.name, previous.row.generation);
      }
      this.db.prepare("UPDATE projection_generations SET state = 'active' WHERE name = ? AND generation = ?").run(follower.row.name, follower.row.generation);
    })();
    if (previous) this.unfollow(previous);
    follower.row = { ...follower.row, state: 'active' };
    slot.active = follower;
    slot.building = undefined;
    for (const waiter of [...slot.waiters]) waiter();
    const rebuilt = slot.rebuilt;
    slot.rebuilt = undefined;
    rebuilt?.();
  }
}

/** Whether a generation was built by this projection as it is now: its version, with its settings. */
function builtBy(row: GenerationRow, projection: Projection): boolean {
  return row.version === projection.version && row.settings === (projection.settings ?? '');
}
