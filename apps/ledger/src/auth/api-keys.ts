import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ANY, EVENT_STORE, type EventStore } from '@derbes/event-store';
import { codeContainsIin } from '@derbes/ledger';
import { Clock } from '../clock';
import { API_KEYS_STREAM, API_KEY_SCHEMA_VERSION, type ApiKeyCreatedData, type ApiKeyEvent, type Grant } from './api-key.events';
import { CONSOLE_ROLES, ConsolePasswordError, NO_PASSWORD_HASH, hashPassword, passwordMatches, passwordProblem } from './console-password';
import type { Role } from './roles';

/** A key as the ledger knows it (never its secret). */
export interface ApiKey extends Omit<ApiKeyCreatedData, 'secretHash'> {
  readonly revokedAt: string | null;
}

export interface NewApiKey {
  readonly name: string;
  readonly role: Role;
  readonly unit: string;
  readonly system: string | null;
  readonly grants: readonly Grant[];
}

/** A key signed in to the console, and which of its passwords it signed in with. */
export interface ConsoleSignIn {
  readonly key: ApiKey;
  /** The revision of the password's event: a password set again ends the sessions opened with the old one. */
  readonly passwordRevision: number;
}

/** `dk_<12 hex key id>_<43 base64url secret>`: the id finds the key, the secret proves it. */
const TOKEN = /^dk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
/** How stale the keys may be: a key created or revoked by another process (the CLI) counts after at most this. */
const REFRESH_MS = 1000;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The API keys, kept as events of the administrative stream (API_KEYS_STREAM) so that creating and revoking one is
 * recorded like everything else. The secret is random (256 bits), shown once, and stored only as its SHA-256.
 */
@Injectable()
export class ApiKeys implements OnModuleInit {
  private readonly keys = new Map<string, ApiKey & { readonly secretHash: Buffer }>();
  /** Console passwords by key id: the last hash set, and the revision of its event. */
  private readonly passwords = new Map<string, { readonly hash: string; readonly revision: number }>();
  private nextRevision = 0;
  private refreshedAt = 0;
  private refreshing: Promise<void> | null = null;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, private readonly clock: Clock) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
  }

  /** Creates a key; the returned token is the only time its secret exists outside the holder's hands. */
  async create(key: NewApiKey, createdBy: string): Promise<{ token: string; key: ApiKey }> {
    const keyId = newKeyId();
    const secret = randomBytes(32).toString('base64url');
    const data: ApiKeyCreatedData = {
      keyId, name: key.name, role: key.role, unit: key.unit, system: key.system, grants: [...key.grants],
      secretHash: sha256(secret).toString('hex'), createdAt: this.clock.now().toISOString(), createdBy,
    };
    await this.append({ type: 'ApiKeyCreated', data });
    await this.refresh(true);
    return { token: `dk_${keyId}_${secret}`, key: this.get(keyId) as ApiKey };
  }

  /** Revokes a key; false when it is unknown or already revoked. */
  async revoke(keyId: string, revokedBy: string, reason: string): Promise<boolean> {
    await this.refresh(true);
    const key = this.keys.get(keyId);
    if (!key || key.revokedAt) return false;
    await this.append({ type: 'ApiKeyRevoked', data: { keyId, revokedAt: this.clock.now().toISOString(), revokedBy, reason } });
    await this.refresh(true);
    return true;
  }

  async list(): Promise<ApiKey[]> {
    await this.refresh(true);
    return [...this.keys.values()].map(({ secretHash: _secret, ...key }) => key);
  }

  get(keyId: string): ApiKey | undefined {
    const key = this.keys.get(keyId);
    if (!key) return undefined;
    const { secretHash: _secret, ...rest } = key;
    return rest;
  }

  /** The live key a bearer token proves, or null (unknown, wrong secret, revoked). */
  async authenticate(token: string): Promise<ApiKey | null> {
    const m = TOKEN.exec(token);
    if (!m) return null;
    await this.refresh();
    const key = this.keys.get(m[1] as string);
    if (!key || !timingSafeEqual(key.secretHash, sha256(m[2] as string)) || key.revokedAt) return null;
    return this.get(key.keyId) ?? null;
  }

  /**
   * Sets the console password of a live official's or auditor's key (stored as a scrypt hash in the administrative
   * stream); the sessions opened with the old one end. Throws naming what is wrong.
   */
  async setPassword(keyId: string, password: string, setBy: string): Promise<void> {
    await this.refresh(true);
    const key = this.keys.get(keyId);
    if (!key || key.revokedAt) throw new ConsolePasswordError(`no live key ${keyId}`);
    if (!CONSOLE_ROLES.includes(key.role)) throw new ConsolePasswordError(`a key with role ${key.role} cannot sign in to the console (only ${CONSOLE_ROLES.join(', ')})`);
    const problem = passwordProblem(password);
    if (problem) throw new ConsolePasswordError(`the password ${problem}`);
    const passwordHash = await hashPassword(password);
    await this.append({ type: 'ApiKeyPasswordSet', data: { keyId, passwordHash, setAt: this.clock.now().toISOString(), setBy } });
    await this.refresh(true);
  }

  /**
   * The live official's or auditor's key of this name whose console password this is, or null, whatever the reason
   * (no such name, another role, revoked, no password, wrong password), so that the answer tells nothing more.
   */
  async signIn(name: string, password: string): Promise<ConsoleSignIn | null> {
    await this.refresh();
    const candidates = [...this.keys.values()].filter((k) => k.name === name && !k.revokedAt && CONSOLE_ROLES.includes(k.role) && this.passwords.has(k.keyId));
    if (candidates.length === 0) {
      await passwordMatches(password, NO_PASSWORD_HASH);
      return null;
    }
    for (const candidate of candidates) {
      const stored = this.passwords.get(candidate.keyId) as { hash: string; revision: number };
      if (await passwordMatches(password, stored.hash)) return { key: this.get(candidate.keyId) as ApiKey, passwordRevision: stored.revision };
    }
    return null;
  }

  /** The key of a console session while it is live and its password is the one signed in with; else null. */
  async stillSignedIn(keyId: string, passwordRevision: number): Promise<ApiKey | null> {
    await this.refresh();
    const key = this.keys.get(keyId);
    if (!key || key.revokedAt || this.passwords.get(keyId)?.revision !== passwordRevision) return null;
    return this.get(keyId) ?? null;
  }

  private async append(event: ApiKeyEvent): Promise<void> {
    await this.store.appendToStream(API_KEYS_STREAM, [{
      id: randomUUID(), type: event.type, data: event.data as never,
      metadata: { schemaVersion: API_KEY_SCHEMA_VERSION, recordedAt: this.clock.now().toISOString(), correlationId: `keys-${event.data.keyId}` },
    }], ANY);
  }

  /** Reads the stream's new events; at most once a second unless forced, and one read at a time. */
  private async refresh(force = false): Promise<void> {
    if (!force && Date.now() - this.refreshedAt < REFRESH_MS) return;
    while (this.refreshing) await this.refreshing;
    if (!force && Date.now() - this.refreshedAt < REFRESH_MS) return;
    this.refreshing = (async () => {
      const events = await this.store.readStream(API_KEYS_STREAM, { fromRevision: this.nextRevision });
      for (const stored of events) {
        this.nextRevision = stored.revision + 1;
        if (stored.type === 'ApiKeyCreated') {
          const d = stored.data as unknown as ApiKeyCreatedData;
          this.keys.set(d.keyId, { ...d, revokedAt: null, secretHash: Buffer.from(d.secretHash, 'hex') });
        } else if (stored.type === 'ApiKeyRevoked') {
          const keyId = String(stored.data.keyId);
          const key = this.keys.get(keyId);
          if (key) this.keys.set(keyId, { ...key, revokedAt: String(stored.data.revokedAt) });
        } else if (stored.type === 'ApiKeyPasswordSet') {
          this.passwords.set(String(stored.data.keyId), { hash: String(stored.data.passwordHash), revision: stored.revision });
        }
      }
      this.refreshedAt = Date.now();
    })();
    try {
      await this.refreshing;
    } finally {
      this.refreshing = null;
    }
  }
}

/**
 * A key id (12 hexadecimal digits) that holds no IIN: about one in 114,000 would be twelve decimal digits passing
 * the IIN checks, which every masked line (the CLI's output, the server's error lines) would then show masked, and a
 * scan of the logs for IINs would find. Drawn again until it does not. `draw` is for tests.
 */
export function newKeyId(draw: () => Buffer = () => randomBytes(6)): string {
  for (;;) {
    const keyId = draw().toString('hex');
    if (!codeContainsIin(keyId)) return keyId;
  }
}
