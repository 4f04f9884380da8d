import type { JsonObject, RecordedEvent } from '@derbes/event-store';
import { PROCESSING_RECORDED_SCHEMA_VERSION, type ProcessingRecordedData } from '@derbes/ledger';

/** A subject pseudonym for tests: 64 hex characters from a short tag. */
export const subject = (tag: string): string => Buffer.from(tag).toString('hex').padEnd(64, '0').slice(0, 64);

let position = 0;

/** Test data: a stored ProcessingRecorded event at the next global position, with the example as defaults. */
export function recorded(overrides: Partial<Omit<ProcessingRecordedData, 'categories'>> & { categories?: number[] } = {}): RecordedEvent {
  position++;
  const { categories = [1, 2, 28], ...rest } = overrides;
  const data: ProcessingRecordedData = {
    recordId: `4f7c0c1e-8a59-4d7e-9d0e-${position.toString(16).padStart(12, '0')}`,
    subjectId: subject('a'),
    operation: 'collect',
    categories: categories.map((number) => ({ number, slug: `category-${number}` })),
    purpose: { code: 'P01', slug: 'staffing', clause: 1 },
    register: { id: 'mineco-328-O', version: 1, order: '328-Ө' },
    legalBasis: ['L1'],
    actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' },
    system: 'hr-portal',
    occurredAt: '2026-11-20T09:30:00.000Z',
    source: null,
    recipient: null,
    crossBorder: false,
    transferGround: null,
    note: null,
    violations: [],
    embargoUntil: null,
    subjectMask: null,
    requestId: null,
    sourceSequence: null,
    ...rest,
  };
  return {
    id: data.recordId,
    type: 'ProcessingRecorded',
    streamId: `subject-${data.subjectId}`,
    revision: 0,
    position,
    data: data as unknown as JsonObject,
    metadata: { schemaVersion: PROCESSING_RECORDED_SCHEMA_VERSION, recordedAt: '2026-11-25T12:00:00.000Z', correlationId: `c${position}`, requestHash: 'x'.repeat(64) },
    created: '2026-11-25T12:00:00.000Z',
  };
}
