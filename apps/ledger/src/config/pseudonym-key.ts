import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@nestjs/common';
import { writeDurably } from './durable-files';

/** The pseudonym key and where it came from, for the start to say which key does not match the log. */
export interface PseudonymKey {
  readonly key: Buffer;
  /** `DERBES_PSEUDONYM_KEY`, or the key file's path. */
  readonly source: string;
  /** The key file made by this start, none having been found; null otherwise. */
  readonly created: string | null;
}

/**
 * The configured pseudonym key, or the one kept in the data directory, created on first start. Losing this file
 * makes every subject unfindable by IIN: it belongs in the backup, and in production in configuration.
 */
export function resolvePseudonymKey(configured: Buffer | null, dataDir: string, logger: Pick<Logger, 'warn'>): PseudonymKey {
  if (configured) return { key: configured, source: 'DERBES_PSEUDONYM_KEY', created: null };
  const path = join(dataDir, 'pseudonym.key');
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    if (key.length < 32) throw new Error(`${path}: the pseudonym key must be at least 32 bytes of hex`);
    return { key, source: path, created: null };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // Durably, before any event is made with it: a key lost to a power cut would leave its subjects unfindable.
  writeDurably(path, key.toString('hex') + '\n', 'wx');
  logger.warn(`created a new pseudonym key in ${path}: back it up, or set DERBES_PSEUDONYM_KEY`);
  return { key, source: path, created: path };
}
