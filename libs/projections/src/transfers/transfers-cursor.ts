/** Where a page of transfers ends: the last item's (occurredAt, position). */
export interface TransfersCursorKey {
  readonly occurredAt: string;
  readonly position: number;
}

const CURSOR = /^t1\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,15})$/;

/** The opaque cursor after an item: base64url of its (occurredAt, position). */
export function encodeTransfersCursor(key: TransfersCursorKey): string {
  return Buffer.from(`t1|${key.occurredAt}|${key.position}`, 'utf8').toString('base64url');
}

/** The key a transfers cursor continues after, or null when it is not one this module made. */
export function decodeTransfersCursor(cursor: string): TransfersCursorKey | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const m = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? { occurredAt: m[1] as string, position: Number(m[2]) } : null;
}
