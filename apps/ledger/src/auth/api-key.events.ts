import type { Role } from './roles';

/** The administrative stream: every key ever created and every revocation, in order. */
export const API_KEYS_STREAM = 'admin-api-keys';

/** A grant beyond the role: `subject-data` lets an auditor read per-person data. */
export const GRANTS = ['subject-data'] as const;
export type Grant = (typeof GRANTS)[number];

export interface ApiKeyCreatedData {
  readonly keyId: string;
  /** Who holds it: shown as the actor of what it does (e.g. hr-director). */
  readonly name: string;
  readonly role: Role;
  /** The holder's unit, recorded with what it reads. */
  readonly unit: string;
  /** For an emitter: the one source system it records as. */
  readonly system: string | null;
  readonly grants: readonly Grant[];
  /** SHA-256 (hex) of the secret part; the secret itself is shown once and never stored. */
  readonly secretHash: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface ApiKeyRevokedData {
  readonly keyId: string;
  readonly revokedAt: string;
  readonly revokedBy: string;
  readonly reason: string;
}

/** A console password for an official's or auditor's key: set, or set again (the last one counts). */
export interface ApiKeyPasswordSetData {
  readonly keyId: string;
  /** `scrypt$N$r$p$<salt>$<hash>` (see console-password.ts); never the password itself. */
  readonly passwordHash: string;
  readonly setAt: string;
  readonly setBy: string;
}

export type ApiKeyEvent =
  | { readonly type: 'ApiKeyCreated'; readonly data: ApiKeyCreatedData }
  | { readonly type: 'ApiKeyRevoked'; readonly data: ApiKeyRevokedData }
  | { readonly type: 'ApiKeyPasswordSet'; readonly data: ApiKeyPasswordSetData };

export const API_KEY_SCHEMA_VERSION = 1;
