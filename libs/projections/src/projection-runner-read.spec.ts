import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { SqliteEventStore } from '@derbes/event-store';
import { ACTOR_ACTIVITY, actorActivityProjection } from './actor-activity/actor-activity.projection';
import { actorActivitySummaries } from './actor-activity/actor-activity.queries';
import { generationTables } from './generation';
import { PROCESSING_SUMMARY, processingSummaryProjection } from './processing-summary/processing-summary.projection';
import { processingSummary } from './processing-summary/processing-summary.queries';
import type { ReadModelTables } from './projection';
import { ProjectionRunner } from './projection-runner';
import { openReadModelDatabase } from './read-model-database';
import { recorded } from './recorded-event.fixture';
import { VIOLATIONS, violationsProjection } from './violations/violations.projection';
import { violationsPage } from './violations/violations.queries';

const projections = [processingSummaryProjection, violationsProjection, actorActivityProjection({ isSensitive: () => false, utcOffsetMinutes: 300 })];
const YEAR = { from: '2026-01-01T00:00:00+05:00', to: '2026-12-31T23:59:59.999+05:00' };
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * The request side reads the read models through a connection of its own while the keeper (the projections thread,
 * or `derbes projections run`) commits batches through another. Here the keeper commits a record before every
 * statement a query runs, after the read has begun.
 */
describe('ProjectionRunner.read, while the keeper commits between the statements of a query', () => {
  let store: SqliteEventStore;
  let keeper: Database.Database;
  let reader: ProjectionRunner;
  let committed: number;

  beforeEach(() => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-read-'));
    store = SqliteEventStore.open(join(dir, 'events.db'));
    keeper = openReadModelDatabase(join(dir, 'read-models.db'));
    for (const projection of projections) {
      projection.setup(generationTables(keeper, projection.name, 1));
      keeper.prepare("INSERT INTO projection_generations(name, generation, version, position, state, updated_at) VALUES (?, 1, ?, 0, 'active', '2026-11-25T12:00:00.000Z')").run(projection.name, projection.version);
    }
    reader = new ProjectionRunner(store, openReadModelDatabase(join(dir, 'read-models.db')), projections);
    reader.attach();
    committed = 0;
    for (let i = 0; i < 3; i++) commit();
  });
  afterEach(async () => {
    await store.close();
  });

  /** One record with one violation, applied by every projection with its checkpoint in one commit, as the runner does. */
  function commit(): void {
    const event = { ...recorded({ violations: [{ code: 'category-not-in-register', category: 1, detail: 'x' }] }), position: ++committed };
    keeper.transaction(() => {
      for (const projection of projections) projection.apply(generationTables(keeper, projection.name, 1), event);
      keeper.prepare('UPDATE projection_generations SET position = ?').run(event.position);
    })();
  }

  /** A query's statements are prepared on their first use, right before they run: the keeper commits there. */
  function committingBeforeEachStatement(tables: ReadModelTables): void {
    const prepare = tables.db.prepare.bind(tables.db);
    jest.spyOn(tables.db, 'prepare').mockImplementation((sql) => {
      commit();
      return prepare(sql);
    });
  }

  /** Each report's two figures that must agree, as the reports showed them disagreeing. */
  it.each<[string, string, (tables: ReadModelTables) => [number, number]]>([
    ['summary: the rows and totals.records', PROCESSING_SUMMARY, (t) => {
      const summary = processingSummary(t, { ...YEAR, groupBy: ['operation'] });
      return [sum(summary.rows.map((r) => r.records)), summary.totals.records];
    }],
    ['violations: the items and counts.reasons', VIOLATIONS, (t) => {
      const page = violationsPage(t, {}, null, 500);
      return [page.items.length, page.counts.reasons];
    }],
    ['actor activity: records and recordsByOperation', ACTOR_ACTIVITY, (t) => {
      const [actor] = actorActivitySummaries(t, { from: '2026-01-01', to: '2026-12-31' });
      return [actor!.records, sum(Object.values(actor!.recordsByOperation))];
    }],
  ])('%s agree, and with the position reported', (_report, name, figures) => {
    const answer = reader.read(name, (tables, position) => {
      committingBeforeEachStatement(tables);
      return { figures: figures(tables), position };
    });
    jest.restoreAllMocks();
    expect(committed).toBeGreaterThanOrEqual(5);
    expect(answer).toEqual({ figures: [3, 3], position: 3 });
    // What was committed meanwhile is there for the next read.
    expect(reader.read(name, (tables, position) => ({ figures: figures(tables), position }))).toEqual({ figures: [committed, committed], position: committed });
  });

  it('outside one read transaction, the same commits split an answer (what the reports showed)', () => {
    const tables = reader.tables(PROCESSING_SUMMARY);
    committingBeforeEachStatement(tables);
    const summary = processingSummary(tables, { ...YEAR, groupBy: ['operation'] });
    jest.restoreAllMocks();
    expect(sum(summary.rows.map((r) => r.records))).not.toBe(summary.totals.records);
  });
});
