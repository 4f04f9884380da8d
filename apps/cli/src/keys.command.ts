import { userInfo } from 'node:os';
import { ApiKeys, type ApiKey } from '../../ledger/src/auth/api-keys';
import { GRANTS, type Grant } from '../../ledger/src/auth/api-key.events';
import { ConsolePasswordError } from '../../ledger/src/auth/console-password';
import { checkNewKey, checkRevokeReason } from '../../ledger/src/auth/keys.controller';
import { ROLES, type Role } from '../../ledger/src/auth/roles';
import type { LedgerConfig } from '../../ledger/src/config/ledger-config';
import { createApp } from '../../ledger/src/http/create-app';
import { lookAlikeReason } from '../../ledger/src/http/look-alike-codes';
import { CODE, TEXT } from '../../ledger/src/http/text-patterns';
import { LedgerError } from '../../ledger/src/ledger-errors';
import { requireEventStore } from './existing-ledger';

export class KeysUsageError extends Error {}

export interface KeyOptions {
  readonly role: string;
  readonly name: string;
  readonly unit?: string;
  readonly system?: string;
  readonly grants: readonly string[];
}

/** The keys of an existing ledger: only `keys create` may make one (the README's first step on a new machine). */
async function withExistingKeys<T>(config: LedgerConfig, work: (keys: ApiKeys) => Promise<T>): Promise<T> {
  requireEventStore(config);
  return withKeys(config, work);
}

async function withKeys<T>(config: LedgerConfig, work: (keys: ApiKeys) => Promise<T>): Promise<T> {
  // Safe beside a running server: it appends to the administrative stream, which the server re-reads.
  const app = await createApp({ ...config, runProjections: false, logLevel: 'error' });
  try {
    return await work(app.get(ApiKeys));
  } finally {
    await app.close();
  }
}

const operator = () => `cli:${userInfo().username}`;

export function describeKey(k: ApiKey): string {
  const bound = k.system ? ` system=${k.system}` : '';
  const grants = k.grants.length > 0 ? ` grants=${k.grants.join(',')}` : '';
  return `${k.keyId}  ${k.role.padEnd(8)} ${k.name} (${k.unit})${bound}${grants}  created ${k.createdAt} by ${k.createdBy}` +
    (k.revokedAt ? `  REVOKED ${k.revokedAt}` : '');
}

/** `derbes keys create`: prints the token once, as the last line (main prints it unmasked); only its hash is kept. */
export async function createKey(config: LedgerConfig, options: KeyOptions): Promise<string[]> {
  if (!ROLES.includes(options.role as Role)) throw new KeysUsageError(`--role must be one of ${ROLES.join(', ')}`);
  const bad = options.grants.find((g) => !GRANTS.includes(g as Grant));
  if (bad) throw new KeysUsageError(`--grant ${bad}: grants are ${GRANTS.join(', ')}`);
  // First: a decomposed é is no code either, but the reason says why it looks like one.
  for (const [flag, value] of [['--name', options.name], ['--unit', options.unit]] as const) {
    const lookAlike = value === undefined ? null : lookAlikeReason(value);
    if (lookAlike) throw new KeysUsageError(`${flag}: ${lookAlike}`);
  }
  if (!CODE.test(options.name) || options.name.length > 100) throw new KeysUsageError('--name must be a code of at most 100 characters: letters, digits and . _ : @ / -');
  if (options.unit !== undefined && (!CODE.test(options.unit) || options.unit.length > 200)) throw new KeysUsageError('--unit must be a code of at most 200 characters: letters, digits and . _ : @ / -');
  const role = options.role as Role;
  const grants = options.grants as Grant[];
  try {
    checkNewKey({ name: options.name, unit: options.unit, role, system: options.system, grants });
  } catch (error) {
    if (error instanceof LedgerError) throw new KeysUsageError(`--${error.errors[0]?.field ?? 'role'}: ${error.errors[0]?.reason ?? error.message}`);
    throw error;
  }
  return withKeys(config, async (keys) => {
    const { token, key } = await keys.create({ name: options.name, role, unit: options.unit ?? role, system: options.system ?? null, grants }, operator());
    return [describeKey(key), '', `token (shown only now; send it as "Authorization: Bearer <token>"):`, token];
  });
}

export async function listKeys(config: LedgerConfig): Promise<string[]> {
  return withExistingKeys(config, async (keys) => (await keys.list()).map(describeKey));
}

export async function revokeKey(config: LedgerConfig, keyId: string, reason: string): Promise<string[]> {
  if (!TEXT.test(reason)) throw new KeysUsageError('--reason must not contain control characters');
  try {
    checkRevokeReason(reason);
  } catch (error) {
    if (error instanceof LedgerError) throw new KeysUsageError(`--reason: ${error.errors[0]?.reason ?? error.message}`);
    throw error;
  }
  return withExistingKeys(config, async (keys) => {
    if (!(await keys.revoke(keyId, operator(), reason))) throw new KeysUsageError(`no live key ${keyId}`);
    return [describeKey(keys.get(keyId) as ApiKey)];
  });
}

/**
 * `derbes keys password NAME|KEYID` (the password on stdin): sets the console password of a live official's or
 * auditor's key, stored as a scrypt hash in the administrative stream; sessions opened with an older one end.
 */
export async function setConsolePassword(config: LedgerConfig, nameOrId: string, password: string): Promise<string[]> {
  return withExistingKeys(config, async (keys) => {
    const live = (await keys.list()).filter((k) => !k.revokedAt && (k.keyId === nameOrId || k.name === nameOrId));
    if (live.length === 0) throw new KeysUsageError(`no live key named ${nameOrId}`);
    if (live.length > 1) throw new KeysUsageError(`${live.length} live keys are named ${nameOrId}: give the key id (derbes keys list)`);
    const key = live[0] as ApiKey;
    try {
      await keys.setPassword(key.keyId, password, operator());
    } catch (error) {
      if (error instanceof ConsolePasswordError) throw new KeysUsageError(error.message);
      throw error;
    }
    return [`console password set for ${describeKey(key)}`, 'sign in at /console/sign-in with the key name and this password'];
  });
}
