/** Where a page of the violations report ends: the last reason's (occurredAt, position, seq). */
export interface ViolationsCursorKey {
  readonly occurredAt: string;
  readonly position: number;
  readonly seq: number;
}

const CURSOR = /^v1\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,15})\|(\d{1,6})$/;

/** The opaque cursor after a reason: base64url of its (occurredAt, position, seq). */
export function encodeViolationsCursor(key: ViolationsCursorKey): string {
  return Buffer.from(`v1|${key.occurredAt}|${key.position}|${key.seq}`, 'utf8').toString('base64url');
}

/** The key a cursor continues after, or null when it is not one this module made. */
export function decodeViolationsCursor(cursor: string): ViolationsCursorKey | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const m = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? { occurredAt: m[1] as string, position: Number(m[2]), seq: Number(m[3]) } : null;
}
