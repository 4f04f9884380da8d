import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What `derbes verify` found last, kept for the console's integrity page: when, how much, and where it first failed. */
export interface VerificationRecord {
  readonly verifiedAt: string;
  readonly ok: boolean;
  readonly events: number;
  readonly headsChecked: number;
  readonly rootHash: string;
  readonly firstDisagreement: { readonly position: number; readonly kind: string; readonly message: string } | null;
}

const FILE = 'last-verification.json';

/**
 * Replaces the record in the data directory whole (written beside it, then renamed): a reader never sees half. Its
 * owner's only, as every file of the data directory. A write that fails (a full disk) leaves the last record as it
 * was and nothing beside it.
 */
export function writeVerificationRecord(dataDir: string, record: VerificationRecord): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, FILE);
  const draft = `${path}.tmp`;
  // One left by an older build (or a killed run) may be others' to read: made anew, its mode is the one given here.
  rmSync(draft, { force: true });
  try {
    writeFileSync(draft, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(draft, path);
  } catch (error) {
    rmSync(draft, { force: true });
    throw error;
  }
}

/** The last record, or null when `derbes verify` has not run on this data directory (or left something unreadable). */
export function readVerificationRecord(dataDir: string): VerificationRecord | null {
  const path = join(dataDir, FILE);
  if (!existsSync(path)) return null;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as VerificationRecord;
    return typeof record.ok === 'boolean' && typeof record.verifiedAt === 'string' ? record : null;
  } catch {
    return null;
  }
}

/** Forgets the record: a restore puts another log in place, which that `derbes verify` never saw. */
export function forgetVerificationRecord(dataDir: string): void {
  rmSync(join(dataDir, FILE), { force: true });
}
