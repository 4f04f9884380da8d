import { KeysetCursor, type KeysetCursorKey } from '../keyset-cursor';

/** Where a page of transfers ends: the last item's (occurredAt, position). */
export type TransfersCursorKey = KeysetCursorKey;

const cursor = new KeysetCursor('t1');

/** The opaque cursor after an item. */
export const encodeTransfersCursor = (key: TransfersCursorKey): string => cursor.encode(key);

/** The key a transfers cursor continues after, or null when it is not one of the transfers listing's. */
export const decodeTransfersCursor = (text: string): TransfersCursorKey | null => cursor.decode(text);
