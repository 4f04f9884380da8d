import type { RecordedEvent } from './event-store.port';

/** An event's data and metadata as the store holds them: JSON text. */
export interface StoredText {
  readonly data: string;
  readonly metadata: string;
}

// A non-enumerable symbol property: invisible to JSON, spreads, Object.keys, structured clones and jest's toEqual,
// and about 0.1 µs an event, where a WeakMap from events to texts cost 1.5-2 µs (most of it in garbage collection).
const STORED_TEXT = Symbol('derbes.storedText');

/**
 * The JSON text a store read `event`'s data and metadata from, if it keeps events as text and read this event from
 * its log (the SQLite store does, for the global log that projections follow); undefined otherwise. A reader that
 * hashes events (the Merkle tree) can hash this text instead of writing the parsed objects again: when the text is
 * canonical JSON (as the store writes it), it is exactly what canonical JSON of the parsed objects gives. The
 * objects must not have been changed since they were read.
 */
export function storedTextOf(event: RecordedEvent): StoredText | undefined {
  return (event as { [STORED_TEXT]?: StoredText })[STORED_TEXT];
}

/** Attaches the text `event` was parsed from, for `storedTextOf` (stores call this). */
export function rememberStoredText(event: RecordedEvent, text: StoredText): RecordedEvent {
  Object.defineProperty(event, STORED_TEXT, { value: text });
  return event;
}
