import type { JsonObject, RecordedEvent } from '@derbes/event-store';
import type { ReadModelTables } from '../projection';
import { openReadModelDatabase } from '../read-model-database';
import { subject } from '../recorded-event.fixture';
import { requestQueueProjection } from './request-queue.projection';
import { openRequests, queuedRequest } from './request-queue.queries';

const calendar = { id: 'kz-working-days', version: '1', fingerprint: 'f'.repeat(64) };

function stored(type: string, schemaVersion: number, position: number, data: object): RecordedEvent {
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`, type, streamId: `subject-${subject('a')}`, revision: position - 1,
    position, data: data as JsonObject, metadata: { schemaVersion, recordedAt: '2026-11-20T12:00:00.000Z', correlationId: `c${position}` },
    created: '2026-11-20T12:00:00.000Z',
  };
}

function received(requestId: string, schemaVersion: number, position: number, deadline: object): RecordedEvent {
  return stored('SubjectRequestReceived', schemaVersion, position, {
    requestId, subjectId: subject('a'), subjectMask: '79********28', kind: 'information', channel: 'in-person',
    receivedAt: '2026-11-20T04:00:00.000Z', registeredBy: { id: 'o', role: 'official', unit: 'personnel-management' },
    categories: [], detail: null, deadline: { workingDays: 3, coverage: 'verified', calendar, ...deadline },
  });
}

function queue(): ReadModelTables {
  const tables = { db: openReadModelDatabase(':memory:'), table: (n: string) => `rq_g1_${n}` };
  requestQueueProjection.setup(tables);
  return tables;
}

describe('request queue: the first day each deadline was counted from', () => {
  it('keeps the rule a request was received with, and reads events from before it was recorded as counted after receipt', () => {
    const tables = queue();
    // Fri 20 Nov 2026: v2 has no firstDay (every deadline then was counted from the day after receipt).
    requestQueueProjection.apply(tables, received('q-old', 2, 1, { date: '2026-11-25' }));
    requestQueueProjection.apply(tables, received('q-new', 3, 2, { date: '2026-11-24', firstDay: 'receipt' }));
    expect(openRequests(tables).map((r) => [r.requestId, r.firstDay, r.deadline])).toEqual([
      ['q-new', 'receipt', '2026-11-24'], ['q-old', 'after-receipt', '2026-11-25'],
    ]);
  });

  it('takes the re-timed deadline with its rule; a v1 re-timing was counted after receipt', () => {
    const tables = queue();
    requestQueueProjection.apply(tables, received('q-1', 3, 1, { date: '2026-11-24', firstDay: 'receipt' }));
    const moved = { date: '2026-11-25', workingDays: 3, coverage: 'verified', calendar: { ...calendar, fingerprint: 'e'.repeat(64) } };
    requestQueueProjection.apply(tables, stored('SubjectRequestRetimed', 2, 2, {
      requestId: 'q-1', subjectId: subject('a'), retimedAt: '2026-11-21T00:00:00.000Z', reason: 'calendar corrected',
      previous: { date: '2026-11-24', workingDays: 3, firstDay: 'receipt', coverage: 'verified', calendar }, deadline: { ...moved, firstDay: 'receipt' },
    }));
    expect(openRequests(tables)).toEqual([expect.objectContaining({ requestId: 'q-1', firstDay: 'receipt', deadline: '2026-11-25', retimed: 1 })]);
    requestQueueProjection.apply(tables, received('q-2', 2, 3, { date: '2026-11-25' }));
    requestQueueProjection.apply(tables, stored('SubjectRequestRetimed', 1, 4, {
      requestId: 'q-2', subjectId: subject('a'), retimedAt: '2026-11-21T00:00:00.000Z', reason: 'calendar corrected',
      previous: { date: '2026-11-25', workingDays: 3, coverage: 'verified', calendar }, deadline: { ...moved, date: '2026-11-26' },
    }));
    expect(openRequests(tables).find((r) => r.requestId === 'q-2')).toMatchObject({ firstDay: 'after-receipt', deadline: '2026-11-26' });
  });
});

describe('request queue: a version 1 generation, which answers while version 2 is rebuilt after an upgrade', () => {
  // Its rows have no first_day; every one was received when the code counted from the day after receipt. The deadline
  // retimer reads it at start-up (it has reached the log's end), and would re-count with no rule at all.
  it('reads its requests as counted after receipt', () => {
    const tables = queue();
    requestQueueProjection.apply(tables, received('q-v1', 2, 1, { date: '2026-11-25' }));
    tables.db.exec(`ALTER TABLE "${tables.table('requests')}" DROP COLUMN first_day`);
    expect(openRequests(tables).map((r) => [r.requestId, r.firstDay])).toEqual([['q-v1', 'after-receipt']]);
    expect(queuedRequest(tables, 'q-v1')?.firstDay).toBe('after-receipt');
  });
});
