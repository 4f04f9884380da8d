/** Where a page of a subject's history ends: the last entry's (occurredAt, position). */
export interface SubjectHistoryCursorKey {
  readonly occurredAt: string;
  readonly position: number;
}

const CURSOR = /^h1\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,15})$/;

/** The opaque cursor after an entry: base64url of its (occurredAt, position). */
export function encodeHistoryCursor(key: SubjectHistoryCursorKey): string {
  return Buffer.from(`h1|${key.occurredAt}|${key.position}`, 'utf8').toString('base64url');
}

/** The key a cursor continues after, or null when it is not one this module made. */
export function decodeHistoryCursor(cursor: string): SubjectHistoryCursorKey | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const m = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? { occurredAt: m[1] as string, position: Number(m[2]) } : null;
}
