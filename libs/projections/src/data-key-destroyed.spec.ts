import type { JsonObject, RecordedEvent } from '@derbes/event-store';
import { actorActivityProjection } from './actor-activity/actor-activity.projection';
import { processingSummaryProjection } from './processing-summary/processing-summary.projection';
import type { Projection, ReadModelTables } from './projection';
import { openReadModelDatabase } from './read-model-database';
import { subject } from './recorded-event.fixture';
import { requestQueueProjection } from './request-queue/request-queue.projection';
import { subjectHistoryProjection } from './subject-history/subject-history.projection';
import { subjectInventoryProjection } from './subject-inventory/subject-inventory.projection';
import { transfersProjection } from './transfers/transfers.projection';
import { violationsProjection } from './violations/violations.projection';

const PROJECTIONS: readonly Projection[] = [
  subjectHistoryProjection,
  subjectInventoryProjection,
  processingSummaryProjection,
  violationsProjection,
  transfersProjection,
  actorActivityProjection({ isSensitive: () => true, utcOffsetMinutes: 300 }),
  requestQueueProjection,
];

const keyDestroyed: RecordedEvent = {
  id: '00000000-0000-4000-8000-00000000d001',
  type: 'SubjectDataKeyDestroyed',
  streamId: `subject-${subject('a')}`,
  revision: 3,
  position: 4,
  data: {
    subjectId: subject('a'), destroyedAt: '2026-11-25T12:00:00.000Z', reason: 'storage period ended',
    by: { id: 'hr-director', role: 'official', unit: 'personnel-management' },
  } as unknown as JsonObject,
  metadata: { schemaVersion: 1, recordedAt: '2026-11-25T12:00:00.000Z', correlationId: 'c-shred' },
  created: '2026-11-25T12:00:00.000Z',
};

function rowsIn(tables: ReadModelTables): number {
  const names = tables.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
  return names.reduce((n, name) => n + (tables.db.prepare(`SELECT COUNT(*) FROM "${name}"`).pluck().get() as number), 0);
}

describe('SubjectDataKeyDestroyed', () => {
  it.each(PROJECTIONS.map((p) => [p.name, p] as const))('is read and ignored by %s', (_name, projection) => {
    const tables = { db: openReadModelDatabase(':memory:'), table: (n: string) => `x_g1_${n}` };
    projection.setup(tables);
    expect(() => projection.apply(tables, keyDestroyed)).not.toThrow();
    expect(rowsIn(tables)).toBe(0);
    // A version this build cannot read is refused, never skipped.
    expect(() => projection.apply(tables, { ...keyDestroyed, metadata: { ...keyDestroyed.metadata, schemaVersion: 2 } })).toThrow(/newer/);
  });
});
