import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ANY, EVENT_STORE, unavailableOnStorageFault, type EventStore } from '@derbes/event-store';
import {
  SIGNING_KEYS_DIR,
  TREE_HEAD_SCHEMA_VERSION, TREE_HEAD_SIGNED, TREE_HEADS_STREAM, loadOrCreateSigningKeys, readSigningKeys, signTreeHead, signingKeyFileNames, type PublicKeyInfo,
  type SigningKeys, type TreeHeadSigner,
} from '@derbes/integrity';
import {
  INTEGRITY_LOG, ProjectionRunner, consistencyProof, inclusionProof, latestTreeHead, leafHashAt, treeHeadOfSize, treeRoot,
  treeSize, type ReadModelTables, type StoredTreeHead,
} from '@derbes/projections';
import { Clock } from '../clock';
import { LEDGER_CONFIG } from '../config/config.tokens';
import type { LedgerConfig } from '../config/ledger-config';
import { LedgerError } from '../ledger-errors';
import { readModel } from '../reports/read-model';

/** How long signing waits for the tree to reach the end of the log. */
const CATCH_UP_WAIT_MS = 10_000;
/** How often a replica that does not sign looks for the signer's next head. */
const HEAD_POLL_MS = 50;

/** Why a replica that is not the signer refuses to sign or to serve keys: it has none, and says where they are. */
const NOT_THE_SIGNER = 'this replica does not sign tree heads (DERBES_TREE_HEAD_SIGNER=off) and holds no signing key: ' +
  'the replica configured with DERBES_TREE_HEAD_SIGNER=on signs them and serves their public keys';

export interface InclusionAnswer {
  readonly eventId: string;
  readonly position: number;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: string;
  readonly rootHash: string;
  readonly proof: string[];
}

export interface ConsistencyAnswer {
  readonly from: number;
  readonly to: number;
  readonly fromRoot: string;
  readonly toRoot: string;
  readonly proof: string[];
}

/**
 * The verifiable log: signed tree heads (on an interval in the process that keeps the read models, and on demand),
 * and proofs from the integrity-log read model. Only the signer signs (DERBES_TREE_HEAD_SIGNER): replicas over one
 * store serve the heads it appended to the log, and their proofs, from their own read models. The signing keys are
 * in `<dataDir>/integrity-keys/` (versioned; their public halves are served so that anyone can check a head). A head
 * is appended to the log it signs, as a TreeHeadSigned event: a later head covers the earlier ones.
 */
@Injectable()
export class IntegrityLog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('integrity');
  private keys: SigningKeys | undefined;
  /** The key files as they were when `keys` were read (keyFilesState). */
  private keyFiles = '';
  /** Signing one head at a time: two at once would sign the same size twice. */
  private signing: Promise<unknown> = Promise.resolve();
  /** The log position of the last head this process signed: the heads it serves wait for the read model to hold it. */
  private signedAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly projections: ProjectionRunner,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.treeHeadIntervalSeconds;
    if (!this.config.treeHeadSigner) {
      if (this.config.runProjections) this.logger.log('tree heads are signed by another replica (DERBES_TREE_HEAD_SIGNER=off)');
      return;
    }
    if (!this.config.runProjections || seconds === null) return;
    this.timer = setInterval(() => {
      this.sign().catch((error: unknown) => this.logger.error(`signing a tree head failed: ${error instanceof Error ? error.message : String(error)}`));
    }, seconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Whether this replica signs tree heads (DERBES_TREE_HEAD_SIGNER); the others only serve the signer's. */
  get signs(): boolean {
    return this.config.treeHeadSigner;
  }

  /**
   * The key that signs access reports: the current tree-head key, whose public half GET /v1/integrity/keys serves.
   * Null on a replica that does not sign (it holds no key): its reports go unsigned, and verify-report says so.
   */
  reportSigner(): TreeHeadSigner | null {
    return this.config.treeHeadSigner ? this.signingKeys().current : null;
  }

  /** The public keys that verify the heads, every version; a replica that does not sign has none to give. */
  publicKeys(): readonly PublicKeyInfo[] {
    if (!this.config.treeHeadSigner) throw new LedgerError('forbidden', NOT_THE_SIGNER);
    return this.signingKeys().publicKeys;
  }

  /**
   * Signs the tree as it stands once it has caught up with the log, and appends the head to the log; when nothing
   * but the last head was appended since it, returns that one instead (`created: false`), so that an idle ledger
   * does not grow by a head per interval.
   */
  sign(): Promise<{ readonly head: StoredTreeHead; readonly created: boolean }> {
    if (!this.config.treeHeadSigner) return Promise.reject(new LedgerError('forbidden', NOT_THE_SIGNER));
    const run = this.signing.then(() => this.signNow());
    this.signing = run.catch(() => undefined);
    return run;
  }

  /**
   * The last signed head, once the read model has applied `position` and the last head this process signed (so that
   * a head just signed here is served at once).
   */
  async latest(position?: number): Promise<StoredTreeHead> {
    const head = await readModel(this.projections, INTEGRITY_LOG, this.after(position), latestTreeHead);
    if (!head) throw new LedgerError('tree_head_not_found', 'no tree head has been signed yet: POST /v1/integrity/tree-heads signs one');
    return head;
  }

  /**
   * The latest head once one covers `position` (signed by another replica, or on this one's interval), waiting up to
   * `waitMs` for it; null if none came.
   */
  async headCovering(position: number, waitMs: number): Promise<StoredTreeHead | null> {
    const until = Date.now() + waitMs;
    for (;;) {
      const head = await this.latest().catch(ignoreMissing);
      if (head && head.treeSize >= position) return head;
      if (Date.now() >= until) return null;
      await new Promise((resolve) => setTimeout(resolve, HEAD_POLL_MS));
    }
  }

  /** The head of exactly `size` events, once the read model holds the last head this process signed. */
  async ofSize(size: number): Promise<StoredTreeHead> {
    const head = await readModel(this.projections, INTEGRITY_LOG, this.after(undefined), (tables) => treeHeadOfSize(tables, size));
    if (!head) throw new LedgerError('tree_head_not_found', `no tree head was signed at size ${size}`);
    return head;
  }

  /**
   * Inclusion proofs of the events at `positions` in the tree of `size` events, read together (one read of the tree):
   * for a report, whose stream gives the positions.
   */
  async inclusionProofs(positions: readonly number[], size: number): Promise<Map<number, string[]>> {
    const beyond = positions.find((position) => position > size);
    if (beyond !== undefined) throw new Error(`position ${beyond} is not in a tree of ${size} events`);
    return this.treeOf(size, 'treeSize', (tables) => new Map(positions.map((position) => [position, inclusionProof(tables, position, size)])));
  }

  async inclusion(eventId: string, size: number): Promise<InclusionAnswer> {
    const event = await this.store.readEventById(eventId);
    if (!event) throw new LedgerError('event_not_found', `no event ${eventId} in the log`);
    if (event.position > size) {
      throw LedgerError.invalid([{ field: 'treeSize', reason: `the event is at position ${event.position}: a tree of ${size} events does not hold it` }]);
    }
    return this.treeOf(size, 'treeSize', (tables) => ({
      eventId, position: event.position, leafIndex: event.position - 1, treeSize: size,
      leafHash: leafHashAt(tables, event.position), rootHash: treeRoot(tables, size), proof: inclusionProof(tables, event.position, size),
    }));
  }

  async consistency(from: number, to: number): Promise<ConsistencyAnswer> {
    if (from > to) throw LedgerError.invalid([{ field: 'from', reason: `must not exceed to (${to})` }]);
    return this.treeOf(to, 'to', (tables) => ({
      from, to, fromRoot: treeRoot(tables, from), toRoot: treeRoot(tables, to), proof: consistencyProof(tables, from, to),
    }));
  }

  /** `query` on the tree once it holds `size` events; a size beyond the log is the client's mistake, in `field`. */
  private async treeOf<T>(size: number, field: 'treeSize' | 'to', query: (tables: ReadModelTables) => T): Promise<T> {
    const last = await this.store.lastPosition();
    if (size > last) throw LedgerError.invalid([{ field, reason: `the log holds ${last} events, not ${size}` }]);
    return readModel(this.projections, INTEGRITY_LOG, size, query);
  }

  /** The position a head is read at: the caller's, or the last head this process signed when that is later. */
  private after(position: number | undefined): number | undefined {
    return this.signedAt > (position ?? 0) ? this.signedAt : position;
  }

  private async signNow(): Promise<{ head: StoredTreeHead; created: boolean }> {
    const last = await this.store.lastPosition();
    if (!(await this.projections.waitFor(INTEGRITY_LOG, last, CATCH_UP_WAIT_MS))) {
      throw new LedgerError('projection_behind', `the integrity log has not reached position ${last} yet; retry`);
    }
    const tables = this.projections.tables(INTEGRITY_LOG);
    const size = treeSize(tables);
    const previous = latestTreeHead(tables);
    // Nothing new since the last head but the head itself (its own leaf, right after what it signed): that head still
    // says all there is to say. Not when events came between what it signed and its own event: they need a head.
    if (previous && (previous.treeSize === size || (previous.position === size && previous.treeSize === size - 1))) {
      return { head: previous, created: false };
    }
    // The head is appended right after: that event is the tree's next leaf, covered by the next head. The key first
    // (the first head makes it), then the time: a head stamped before its own key's createdAt looks backdated.
    const signer = this.signingKeys().current;
    const head = signTreeHead({ treeSize: size, rootHash: treeRoot(tables, size) }, this.clock.now(), signer);
    const result = await this.store.appendToStream(TREE_HEADS_STREAM, [{
      id: randomUUID(),
      type: TREE_HEAD_SIGNED,
      data: { ...head },
      metadata: { schemaVersion: TREE_HEAD_SCHEMA_VERSION },
    }], ANY);
    this.signedAt = result.events[0]!.position;
    return { head: { ...head, position: this.signedAt }, created: true };
  }

  /**
   * The signing keys, read again whenever a key file was added, removed or changed (its name or ctime): `derbes
   * signing-keys rotate` adds a version beside a running server, which then signs with it and serves it, without a
   * restart. A reading that fails (a key file of another owner, or readable by others) or finds none (the directory
   * moved away) keeps the keys read before, and says so once: it never makes a key then, nor stops the signing.
   */
  private signingKeys(): SigningKeys {
    const dir = join(this.config.dataDir, SIGNING_KEYS_DIR);
    if (!this.keys) {
      // Seen before reading, here as below: a version added while reading is seen, and read, at the next call.
      const seen = keyFilesState(dir);
      try {
        this.keys = loadOrCreateSigningKeys(dir, { now: this.clock.now() });
      } catch (error) {
        // The first head makes the first key: a disk that cannot take it (full) is a 503 to retry, as for the log.
        throw unavailableOnStorageFault(error, `the signing key could not be written in ${dir}`);
      }
      this.keyFiles = seen;
      return this.keys;
    }
    const state = keyFilesState(dir);
    if (state !== this.keyFiles) {
      this.keyFiles = state;
      try {
        const read = readSigningKeys(dir);
        if (read) this.keys = read;
        else this.logger.error(`no signing key in ${dir} any more: still signing with version ${this.keys.current.version} (key id ${this.keys.current.keyId}), read before`);
      } catch (error) {
        this.logger.error(`the signing keys in ${dir} changed and cannot be read (${error instanceof Error ? error.message : String(error)}): still signing with version ${this.keys.current.version} (key id ${this.keys.current.keyId})`);
      }
    }
    return this.keys;
  }
}

/**
 * The key files' names with the time each last changed (content, owner or mode): different after any rotation or fix.
 * A directory that cannot be listed (another owner's, or a file in its place) gives its error as the state: a change
 * like any other, which the reading then names, the keys read before kept.
 */
function keyFilesState(dir: string): string {
  try {
    return signingKeyFileNames(dir).map((name) => `${name}@${statSync(join(dir, name), { throwIfNoEntry: false })?.ctimeMs ?? '-'}`).join(' ');
  } catch (error) {
    return `unreadable: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
}

/** No head yet, or a read model still building or behind the last head signed here: as good as no head covering the position. */
function ignoreMissing(error: unknown): null {
  if (error instanceof LedgerError && ['tree_head_not_found', 'projection_building', 'projection_behind'].includes(error.code)) return null;
  throw error;
}
