import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '@nestjs/common';
import { fsyncPath, writeDurably } from './durable-files';

/** The pseudonym key and where it came from, for the start to say which key does not match the log. */
export interface PseudonymKey {
  readonly key: Buffer;
  /** `DERBES_PSEUDONYM_KEY`, or the key file's path. */
  readonly source: string;
  /**
   * A key file not yet confirmed as the ledger's (`pseudonym.key.unconfirmed`), made because none was found, by this
   * start or by one that stopped before its check; null otherwise. PseudonymKeyCheck confirms it or removes it.
   */
  readonly unconfirmed: string | null;
}

/**
 * The configured pseudonym key, or the one kept in the data directory, created on first start. Losing this file
 * makes every subject unfindable by IIN: it belongs in the backup, and in production in configuration. A key made
 * here is kept as `pseudonym.key.unconfirmed` until the start has checked it against the log (PseudonymKeyCheck):
 * a start stopped before that leaves no file that a later start would take for the ledger's key.
 */
export function resolvePseudonymKey(configured: Buffer | null, dataDir: string, logger: Pick<Logger, 'warn'>): PseudonymKey {
  if (configured) return { key: configured, source: 'DERBES_PSEUDONYM_KEY', unconfirmed: null };
  const path = join(dataDir, 'pseudonym.key');
  if (existsSync(path)) return { key: readKeyFile(path), source: path, unconfirmed: null };
  const unconfirmed = `${path}.unconfirmed`;
  const anew = `${path} (made anew: none was found)`;
  if (existsSync(unconfirmed)) {
    const kept = readUnconfirmedKeyFile(unconfirmed, logger);
    if (kept) return { key: kept, source: anew, unconfirmed };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // Durably, before any event is made with it: a key lost to a power cut would leave its subjects unfindable.
  writeDurably(unconfirmed, key.toString('hex') + '\n', 'wx');
  logger.warn(`created a new pseudonym key in ${path}: back it up, or set DERBES_PSEUDONYM_KEY`);
  return { key, source: anew, unconfirmed };
}

/** Gives an unconfirmed key file its name, `pseudonym.key`: the log's check value is now this key's. */
export function confirmPseudonymKeyFile(unconfirmed: string): void {
  const path = unconfirmed.replace(/\.unconfirmed$/, '');
  renameSync(unconfirmed, path);
  fsyncPath(dirname(path));
}

/** Removes an unconfirmed key file that is not the ledger's key. */
export function dropPseudonymKeyFile(unconfirmed: string): void {
  rmSync(unconfirmed, { force: true });
}

/**
 * The key in an unconfirmed key file, or null (the file removed) when it does not hold a whole one: an older build
 * left it empty or cut short when the disk filled while it wrote it. That start stopped there, and no start could
 * read it since, so nothing was ever filed under it: a new key is made in its place.
 */
function readUnconfirmedKeyFile(path: string, logger: Pick<Logger, 'warn'>): Buffer | null {
  // Exactly the files readKeyFile refuses: one it would take may have had its check value recorded (PseudonymKeyCheck).
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  if (key.length >= 32) return key;
  logger.warn(`${path} holds ${key.length} of a key's 32 bytes (a start stopped while writing it, before anything was filed under it): removed, a new key is made`);
  rmSync(path, { force: true });
  return null;
}

function readKeyFile(path: string): Buffer {
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  if (key.length < 32) throw new Error(`${path}: the pseudonym key must be at least 32 bytes of hex`);
  return key;
}
