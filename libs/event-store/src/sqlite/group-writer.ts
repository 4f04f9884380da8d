import type Database from 'better-sqlite3';
import type { AppendResult, ExpectedRevision } from '../event-store.port';
import { DuplicateEventIdError, ImportMismatchError, WrongExpectedVersionError } from '../errors';
import { checkExpectedRevision } from '../expected-revision';
import { type EventStatements, type StreamRow, isDuplicateEventId, prepareEventStatements } from './event-statements';
import { type ImportRequest, applyImport } from './event-import';

/**
 * One append to one stream, checked and serialized before it is queued: plain strings and numbers only, so that it
 * can be handed to the writer thread as it is.
 */
export interface PreparedOperation {
  readonly streamId: string;
  readonly expectedRevision: ExpectedRevision;
  readonly ids: readonly string[];
  readonly types: readonly string[];
  /** JSON of event i's data at 2i and of its metadata at 2i+1. */
  readonly payloads: readonly string[];
}

/** One caller's append: appendToStream (one operation) or appendMany (all of them, or none). */
export interface AppendRequest {
  readonly operations: readonly PreparedOperation[];
  readonly many: boolean;
}

/** One caller's request: an append, or an import (importEvents), which goes through the same writer so it never races one. */
export type WriteRequest = AppendRequest | ImportRequest;

/** Requests committed together in one transaction (group commit), all stamped with one commit time. */
export interface WriteGroup {
  readonly created: string;
  readonly requests: readonly WriteRequest[];
}

/** A failure of one request only, as data (it may cross a thread): the others of its group still commit. */
export type RequestFailure =
  | { readonly kind: 'wrong-expected-version'; readonly streamId: string; readonly expected: string | number; readonly actual: number | 'no_stream' }
  | { readonly kind: 'duplicate-event-id'; readonly eventId: string }
  | { readonly kind: 'import-mismatch'; readonly eventId: string; readonly expectedPosition: number; readonly actualPosition: number };

export type WriteOutcome =
  /** An import's value is null. */
  | { readonly ok: true; readonly value: AppendResult | AppendResult[] | null }
  | { readonly ok: false; readonly failure: RequestFailure };

/** The error of a request, from its failure. */
export function requestError(failure: RequestFailure): Error {
  switch (failure.kind) {
    case 'duplicate-event-id': return new DuplicateEventIdError(failure.eventId);
    case 'wrong-expected-version': return new WrongExpectedVersionError(failure.streamId, failure.expected, failure.actual);
    case 'import-mismatch': return new ImportMismatchError(failure.eventId, failure.expectedPosition, failure.actualPosition);
    default: {
      const never: never = failure;
      throw new Error(`unknown request failure ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Writes groups of appends (and imports) to one connection: each group in one IMMEDIATE transaction (one fsync), each
 * request in a savepoint of its own so that its conflict, duplicate id or misplaced import rolls back its writes only. Any other error fails the
 * whole group and is thrown. Runs on the thread that owns the connection: the request thread for an in-memory
 * store, the writer thread for a file.
 */
export class GroupWriter {
  private readonly statements: EventStatements;
  private readonly runGroup: (group: WriteGroup) => WriteOutcome[];

  constructor(private readonly db: Database.Database) {
    this.statements = prepareEventStatements(db);
    // Nested db.transaction calls become SAVEPOINT ... RELEASE / ROLLBACK TO in better-sqlite3.
    const inSavepoint = db.transaction((request: AppendRequest, created: string) => this.apply(request, created));
    const importInSavepoint = db.transaction((request: ImportRequest) => applyImport(this.statements, request.imported));
    // IMMEDIATE takes the write lock up front: a deferred transaction that read first could fail with
    // SQLITE_BUSY_SNAPSHOT (which busy_timeout does not retry) if another connection committed in between.
    this.runGroup = db.transaction((group: WriteGroup): WriteOutcome[] => group.requests.map((request) => {
      try {
        if ('imported' in request) {
          importInSavepoint(request);
          return { ok: true, value: null };
        }
        // One event undoes itself on failure (see applyOperation), so it needs no savepoint: two statements saved,
        // about a tenth of a small append's cost.
        const single = !request.many && request.operations.length === 1 && request.operations[0]!.ids.length <= 1;
        return { ok: true, value: single ? this.apply(request, group.created) : inSavepoint(request, group.created) };
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) {
          return { ok: false, failure: { kind: 'wrong-expected-version', streamId: error.streamId, expected: error.expected, actual: error.actual } };
        }
        if (error instanceof DuplicateEventIdError) return { ok: false, failure: { kind: 'duplicate-event-id', eventId: error.eventId } };
        if (error instanceof ImportMismatchError) {
          return { ok: false, failure: { kind: 'import-mismatch', eventId: error.eventId, expectedPosition: error.expectedPosition, actualPosition: error.actualPosition } };
        }
        throw error;
      }
    })).immediate;
  }

  /** Commits the group; throws (and leaves nothing of it) when the commit or a statement fails for the whole group. */
  write(group: WriteGroup): WriteOutcome[] {
    try {
      return this.runGroup(group);
    } catch (error) {
      this.rollbackLeftovers();
      throw error;
    }
  }

  private apply(request: AppendRequest, created: string): AppendResult | AppendResult[] {
    if (!request.many) return this.applyOperation(request.operations[0]!, created, undefined);
    // Streams this request already moved: the query would see them too, the map only saves it.
    const heads = new Map<string, StreamRow>();
    return request.operations.map((operation) => this.applyOperation(operation, created, heads));
  }

  private applyOperation(operation: PreparedOperation, created: string, heads: Map<string, StreamRow> | undefined): AppendResult {
    const { streamId, ids, types, payloads } = operation;
    const known = heads?.get(streamId) ?? this.statements.stream.get(streamId);
    let revision = known?.revision ?? -1;
    checkExpectedRevision(streamId, operation.expectedRevision, revision);
    if (ids.length === 0) return { nextExpectedRevision: revision, events: [] };
    const key = known?.id ?? Number(this.statements.createStream.run(streamId).lastInsertRowid);
    const appended = new Array<AppendResult['events'][number]>(ids.length);
    for (let i = 0; i < ids.length; i++) {
      revision += 1;
      let position: number | bigint;
      try {
        position = this.statements.insert.run(ids[i]!, key, revision, types[i]!, payloads[2 * i]!, payloads[2 * i + 1]!, created).lastInsertRowid;
      } catch (error) {
        // A savepoint undoes the request's earlier writes; a single-event append has none but a new stream row.
        if (i === 0 && known === undefined) this.statements.dropStream.run(key);
        if (isDuplicateEventId(error)) throw new DuplicateEventIdError(ids[i]!);
        throw error;
      }
      appended[i] = { id: ids[i]!, revision, position: Number(position) };
    }
    this.statements.setRevision.run(revision, key);
    heads?.set(streamId, { id: key, revision });
    return { nextExpectedRevision: revision, events: appended };
  }

  /** better-sqlite3 rolls back a failed transaction itself, unless the ROLLBACK failed too; then we try once more. */
  private rollbackLeftovers(): void {
    if (!this.db.inTransaction) return;
    try {
      this.db.exec('ROLLBACK');
    } catch {
      // The connection is unusable for writes until SQLite recovers; later appends will report that themselves.
    }
  }
}
