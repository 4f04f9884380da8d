import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventData, RecordedEvent } from '../event-store.port';

export const CLOCK = new Date('2025-03-01T10:00:00.000Z');
export const now = (): Date => CLOCK;

let counter = 0;
/** An event with a fresh id unless one is given. */
export function event(id = `e-${++counter}`, data: EventData['data'] = { n: counter }): EventData {
  return { id, type: 'Happened', data, metadata: { correlationId: 'c-1' } };
}

/** Registers a temp directory for the spec file; returns a function giving a fresh path in a missing subfolder. */
export function useTempFiles(): () => string {
  let dir = '';
  let files = 0;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'sqlite-event-store-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return () => join(dir, `nested-${++files}`, 'events.db');
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => { throw new Error('expected a rejection'); }, (error: unknown) => error);
}

export async function take(iterator: AsyncIterator<RecordedEvent>, count: number): Promise<RecordedEvent[]> {
  const taken: RecordedEvent[] = [];
  while (taken.length < count) {
    const next = await iterator.next();
    if (next.done === true) throw new Error(`iteration ended after ${taken.length} events`);
    taken.push(next.value);
  }
  return taken;
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
