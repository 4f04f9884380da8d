import { ANY, SqliteEventStore, type EventData } from '@derbes/event-store';

/** The event appended in the store benchmarks and inserted by the raw ceiling: the same JSON both ways. */
export function sampleEvent(i: number, streams: number): { streamId: string; event: EventData } {
  const subjectId = (i % streams).toString(16).padStart(64, '0');
  return {
    streamId: `subject-${subjectId}`,
    event: {
      id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      type: 'ProcessingRecorded',
      data: {
        recordId: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
        subjectId,
        operation: 'access',
        categories: [{ number: 1, slug: 'full-name' }, { number: 28, slug: 'medical-results' }],
        purpose: { code: 'P07', slug: 'official-investigations', clause: 5 },
        register: { id: 'mineco-328-O', version: 1, order: '328-Ө' },
        legalBasis: [{ code: 'L1', title: 'Қазақстан Республикасының Еңбек кодексі' }],
        actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' },
        system: 'hr-portal',
        occurredAt: '2026-11-20T09:30:00.000Z',
        source: null, recipient: null, crossBorder: false, transferGround: null,
        note: 'жеке іс бойынша жұмыс',
        violations: [],
      },
      metadata: { schemaVersion: 1, recordedAt: '2026-11-25T12:00:00.000Z', correlationId: 'bench', requestHash: 'f'.repeat(64) },
    },
  };
}

/** Appends per second, one event per append, awaiting each before the next (one commit per append). */
export async function sequentialAppends(file: string, seconds: number, streams: number): Promise<number> {
  const store = SqliteEventStore.open(file);
  let n = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const { streamId, event } = sampleEvent(n++, streams);
    await store.appendToStream(streamId, [event], ANY);
  }
  await store.close();
  return n / seconds;
}

/** Appends per second, one event per append, `inFlight` at a time: concurrent appends share commits (group commit). */
export async function concurrentAppends(file: string, seconds: number, streams: number, inFlight: number): Promise<number> {
  const store = SqliteEventStore.open(file);
  let n = 0;
  const end = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < end) {
      const { streamId, event } = sampleEvent(n++, streams);
      await store.appendToStream(streamId, [event], ANY);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  await store.close();
  return n / seconds;
}

/** Events per second appended as batches of `size` (one appendMany, one transaction, per batch). */
export async function batchedAppends(file: string, seconds: number, streams: number, size: number): Promise<number> {
  const store = SqliteEventStore.open(file);
  let n = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const operations = [];
    for (let k = 0; k < size; k++) {
      const { streamId, event } = sampleEvent(n++, streams);
      operations.push({ streamId, events: [event], expectedRevision: ANY });
    }
    await store.appendMany(operations);
  }
  await store.close();
  return n / seconds;
}
