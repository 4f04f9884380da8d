import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Role } from './roles';

/** The roles that may sign in to the console: the people who read histories and reports, not systems or admins. */
export const CONSOLE_ROLES: readonly Role[] = ['official', 'auditor'];

/** A console password that cannot be set: the key, its role or the password itself. */
export class ConsolePasswordError extends Error {
  override readonly name = 'ConsolePasswordError';
}

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/** scrypt's cost: 2^15 blocks of 8 (32 MiB, about 0.1 s here), within the range OWASP gives for interactive sign-in. */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const STORED = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** Why a password is refused, or null. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  // The sign-in form's field cannot hold a line break: such a password could never be typed there.
  if (/[\r\n]/.test(password)) return 'must be one line';
  return null;
}

/** `scrypt$N$r$p$<salt>$<hash>` with a random 16-byte salt: what the ledger stores instead of the password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether the password is the one hashed; false for a malformed hash. Takes the same time whether it matches or not. */
export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const m = STORED.exec(stored);
  if (!m) return false;
  const expected = Buffer.from(m[5] as string, 'base64url');
  const key = await derive(password, Buffer.from(m[4] as string, 'base64url'), { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A hash no password matches, checked when a sign-in names no key with a password, so that answering takes as long
 * as for a wrong password and the time does not tell which names exist.
 */
export const NO_PASSWORD_HASH = `scrypt$${COST.N}$${COST.r}$${COST.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_BYTES).toString('base64url')}`;
