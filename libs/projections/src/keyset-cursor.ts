/** Where a newest-first page ends: the last item's (occurredAt, position), and a sequence within the event if any. */
export interface KeysetCursorKey {
  readonly occurredAt: string;
  readonly position: number;
  readonly seq?: number;
}

const INSTANT = '(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z)';

/**
 * Opaque page cursors of the read models: base64url of `tag|occurredAt|position[|seq]`. The tag names the listing,
 * so that a cursor of one listing is refused by another.
 */
export class KeysetCursor {
  private readonly pattern: RegExp;

  constructor(private readonly tag: string, private readonly withSeq = false) {
    this.pattern = new RegExp(`^${tag}\\|${INSTANT}\\|(\\d{1,15})${withSeq ? '\\|(\\d{1,6})' : ''}$`);
  }

  encode(key: KeysetCursorKey): string {
    const seq = this.withSeq ? `|${key.seq ?? 0}` : '';
    return Buffer.from(`${this.tag}|${key.occurredAt}|${key.position}${seq}`, 'utf8').toString('base64url');
  }

  /** The key a cursor continues after, or null when it is not one this listing made. */
  decode(cursor: string): KeysetCursorKey | null {
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
    const m = this.pattern.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!m) return null;
    return { occurredAt: m[1] as string, position: Number(m[2]), ...(this.withSeq ? { seq: Number(m[3]) } : {}) };
  }
}
