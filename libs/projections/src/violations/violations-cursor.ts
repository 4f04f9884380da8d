import { KeysetCursor, type KeysetCursorKey } from '../keyset-cursor';

/** Where a page of the violations report ends: the last reason's (occurredAt, position, seq). */
export type ViolationsCursorKey = KeysetCursorKey & { readonly seq: number };

const cursor = new KeysetCursor('v1', true);

/** The opaque cursor after a reason. */
export const encodeViolationsCursor = (key: ViolationsCursorKey): string => cursor.encode(key);

/** The key a cursor continues after, or null when it is not one of the violations report's. */
export const decodeViolationsCursor = (text: string): ViolationsCursorKey | null => cursor.decode(text) as ViolationsCursorKey | null;
