import { KeysetCursor, type KeysetCursorKey } from '../keyset-cursor';

/** Where a page of a subject's history ends: the last entry's (occurredAt, position). */
export type SubjectHistoryCursorKey = KeysetCursorKey;

const cursor = new KeysetCursor('h1');

/** The opaque cursor after an entry. */
export const encodeHistoryCursor = (key: SubjectHistoryCursorKey): string => cursor.encode(key);

/** The key a cursor continues after, or null when it is not one of the history's. */
export const decodeHistoryCursor = (text: string): SubjectHistoryCursorKey | null => cursor.decode(text);
