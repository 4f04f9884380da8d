import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock';

/** Signed out after this long without a request. */
export const IDLE_MS = 30 * 60_000;
/** Signed out this long after signing in, however active. */
export const MAX_AGE_MS = 12 * 3600_000;
/**
 * Sessions kept at most, of each kind; the least recently used go first (a flood of sign-in forms cannot exhaust
 * memory). The sessions of sign-in forms and the signed-in ones are kept apart, so that anonymous requests for the
 * sign-in page, however many, never push out a signed-in official.
 */
export const MAX_SESSIONS = 20_000;

export interface ConsoleSession {
  /** 256 random bits, base64url: the cookie's value. */
  readonly id: string;
  /** The synchronizer token every form of this session carries. */
  readonly csrf: string;
  /** Null for the session of a sign-in form, which only carries its token. */
  readonly signedIn: { readonly keyId: string; readonly passwordRevision: number } | null;
  readonly createdAt: number;
  lastSeenAt: number;
}

const token = () => randomBytes(32).toString('base64url');

/**
 * The console's sessions, kept in this process's memory (a restart signs everyone out). A new id is issued at
 * sign-in, so that an id planted before it is worth nothing after.
 */
@Injectable()
export class ConsoleSessions {
  /** The sessions of sign-in forms, and the signed-in ones: each in least recently used order. */
  private readonly forms = new Map<string, ConsoleSession>();
  private readonly signedIn = new Map<string, ConsoleSession>();

  constructor(private readonly clock: Clock) {}

  /** A session for a sign-in form. */
  open(): ConsoleSession {
    return this.keep({ id: token(), csrf: token(), signedIn: null, createdAt: this.now(), lastSeenAt: this.now() });
  }

  /** Replaces `previous` (if any) by a signed-in session with a new id and token. */
  signIn(previous: ConsoleSession | null, keyId: string, passwordRevision: number): ConsoleSession {
    if (previous) this.end(previous.id);
    return this.keep({ id: token(), csrf: token(), signedIn: { keyId, passwordRevision }, createdAt: this.now(), lastSeenAt: this.now() });
  }

  /** The live session of this id, now marked as seen; null when unknown or expired (and then forgotten). */
  find(id: string | undefined): ConsoleSession | null {
    if (id === undefined) return null;
    const session = this.signedIn.get(id) ?? this.forms.get(id);
    if (!session) return null;
    const now = this.now();
    if (now - session.lastSeenAt > IDLE_MS || now - session.createdAt > MAX_AGE_MS) {
      this.end(id);
      return null;
    }
    session.lastSeenAt = now;
    // Re-inserted, so that the map's order is least recently used first.
    const pool = this.poolOf(session);
    pool.delete(id);
    pool.set(id, session);
    return session;
  }

  end(id: string): void {
    this.forms.delete(id);
    this.signedIn.delete(id);
  }

  private keep(session: ConsoleSession): ConsoleSession {
    const pool = this.poolOf(session);
    pool.set(session.id, session);
    while (pool.size > MAX_SESSIONS) pool.delete(pool.keys().next().value as string);
    return session;
  }

  private poolOf(session: ConsoleSession): Map<string, ConsoleSession> {
    return session.signedIn ? this.signedIn : this.forms;
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

/** Whether a form's token is its session's, compared in constant time. */
export function csrfMatches(session: ConsoleSession | null, given: unknown): boolean {
  if (!session || typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(session.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}
