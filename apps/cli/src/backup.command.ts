import { createHash } from 'node:crypto';
import {
  chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync,
  statSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, isEsdbLocation, parseEsdbLocation } from '@derbes/event-store';
import { SIGNING_KEYS_DIR, checkKeyFileMode, isSigningKeyFileName, signingKeyFileNames } from '@derbes/integrity';
import { forgetVerificationRecord } from '../../ledger/src/integrity/verification-record';
import { lockDataDir, lockHolder } from '../../ledger/src/config/data-dir-lock';
import { fsyncPath, writeDurably } from '../../ledger/src/config/durable-files';
import { markRestoreFinished, markRestoreStarted, refuseUnfinishedRestore } from '../../ledger/src/config/unfinished-restore';
import type { LedgerConfig } from '../../ledger/src/config/ledger-config';
import { readModelPath } from '../../ledger/src/projections.provider';

/** The files a backup may hold, by the name they have in it: the signing keys keep their directory's name. */
type BackupFileName = 'events.db' | 'read-models.db' | 'pseudonym.key' | `integrity-keys/${string}`;

export interface BackupManifest {
  readonly format: 'derbes-backup';
  /** 2 added the signing keys: a version-1 reader would restore a backup without them and say nothing. */
  readonly version: 1 | 2;
  readonly createdAt: string;
  readonly source: { readonly dataDir: string; readonly eventStore: string; readonly readModels: string };
  /** Position of the last event in the backed-up log: the restored ledger holds exactly the events up to here. */
  readonly lastPosition: number;
  readonly files: ReadonlyArray<{ readonly name: BackupFileName; readonly bytes: number; readonly sha256: string }>;
  /** What is deliberately left out, and why. */
  readonly excluded: readonly string[];
}

/**
 * Never in a backup, and never touched by a restore: `data-keys/`, the per-subject data keys of crypto-shredding.
 * Destroying a subject's key is how their data is destroyed (Law 94-V, Art. 18); a backup holding the key would bring
 * it back on restore. Keep the key store by its own means, ones that honour destruction (a KMS, or a copy that is
 * pruned when a key is destroyed). A backup names the files it copies one by one, so nothing else in the data
 * directory is included by accident; this is what the manifest says was left out.
 */
export const NOT_BACKED_UP = [
  'data-keys/: per-subject data keys are kept by their own means, so that a restore never brings back a destroyed key',
] as const;

const MANIFEST = 'manifest.json';
/** SQLite's online backup copies this many pages per step: all of them, see copyDatabase. */
const ALL_PAGES = 0x7fffffff;

/**
 * `derbes backup DIR`: a consistent copy of the ledger while it runs and writes: the read models, then the event
 * store (SQLite's online backup), the pseudonym key file and the tree-head signing keys, with a manifest of their
 * SHA-256. Refuses a DIR that is not empty.
 */
export async function backupDataDir(config: LedgerConfig, dir: string, now: Date = new Date()): Promise<BackupManifest> {
  const eventStore = storeFile(config);
  refuseUnfinishedRestore(config.dataDir);
  if (!existsSync(eventStore)) throw new Error(`no event store at ${eventStore}: nothing to back up`);
  const target = resolve(dir);
  const existed = existsSync(target);
  if (existed && readdirSync(target).length > 0) {
    if (isUnfinishedBackup(target)) throw new Error(`${target} holds an unfinished backup (no ${MANIFEST}: it was stopped before its end): remove it, or back up into another directory`);
    throw new Error(`${target} is not empty: a backup goes into a new directory`);
  }
  // A private key others may read is refused as the server refuses it, before anything is written: a backup would
  // copy it on, owner-only, and nobody would hear that the original is open.
  for (const name of signingKeyFiles(config.dataDir)) checkKeyFileMode(join(config.dataDir, name));
  mkdirSync(target, { recursive: true, mode: 0o700 });
  try {
    return await copyLedger(config, eventStore, target, now);
  } catch (error) {
    // Nothing half-done is left to be taken for a backup: what this one wrote goes, and a directory it made.
    if (existed) for (const name of readdirSync(target)) rmSync(join(target, name), { recursive: true, force: true });
    else rmSync(target, { recursive: true, force: true });
    throw error;
  }
}

/** A directory a backup began and did not finish: databases copied, no manifest written (the manifest comes last). */
function isUnfinishedBackup(dir: string): boolean {
  return !existsSync(join(dir, MANIFEST)) && (existsSync(join(dir, 'events.db')) || existsSync(join(dir, 'read-models.db')));
}

async function copyLedger(config: LedgerConfig, eventStore: string, target: string, now: Date): Promise<BackupManifest> {
  const files: BackupFileName[] = [];
  // Read models first: they are then at or behind the log copied after them, and catch up on start. Copied the
  // other way round, they could hold events the restored log does not, and would skip the ones that take their
  // positions.
  const readModels = readModelPath(config);
  if (existsSync(readModels)) {
    await copyDatabase(readModels, join(target, 'read-models.db'));
    files.push('read-models.db');
  }
  await copyDatabase(eventStore, join(target, 'events.db'));
  files.push('events.db');
  const lastPosition = await lastPositionOf(join(target, 'events.db'));
  for (const name of files) {
    leaveWalMode(join(target, name));
    // Personal data: readable by the owner only, whatever the umask or the mode of a directory that already existed.
    chmodSync(join(target, name), 0o600);
  }
  const key = join(config.dataDir, 'pseudonym.key');
  if (existsSync(key)) {
    copyPrivate(key, join(target, 'pseudonym.key'));
    files.push('pseudonym.key');
  }
  // After the log: every key that signed a head in the copied log is here (one made by a rotation meanwhile too).
  // Without them no head of the restored log verifies, and a server started on it makes a new key of its own.
  for (const name of signingKeyFiles(config.dataDir)) {
    mkdirSync(join(target, SIGNING_KEYS_DIR), { recursive: true, mode: 0o700 });
    checkKeyFileMode(join(config.dataDir, name)); // again: a key made or opened since the start
    copyPrivate(join(config.dataDir, name), join(target, name));
    files.push(name);
  }

  const manifest: BackupManifest = {
    format: 'derbes-backup', version: 2, createdAt: now.toISOString(),
    source: { dataDir: config.dataDir, eventStore, readModels },
    lastPosition,
    files: files.map((name) => ({ name, ...digest(join(target, name)) })),
    excluded: NOT_BACKED_UP,
  };
  writeDurably(join(target, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const { name } of manifest.files) fsyncPath(join(target, name));
  if (existsSync(join(target, SIGNING_KEYS_DIR))) fsyncPath(join(target, SIGNING_KEYS_DIR));
  fsyncPath(target);
  return manifest;
}

/**
 * `derbes restore DIR [--force]`: puts a backup in place of the configured data directory's ledger. Refuses while a
 * live process holds the directory (`ledger.pid`), refuses a directory that already holds a ledger unless `force`,
 * and checks every file against the manifest before touching anything. `data-keys/` is left as it is.
 */
export async function restoreDataDir(config: LedgerConfig, dir: string, options: { readonly force: boolean }): Promise<BackupManifest> {
  const eventStore = storeFile(config);
  const holder = lockHolder(config.dataDir);
  if (holder !== null) throw new Error(`another ledger process (pid ${holder}) uses ${config.dataDir}: stop it before restoring`);
  const source = resolve(dir);
  const manifest = readManifest(source);
  const targets = {
    'events.db': eventStore, 'read-models.db': readModelPath(config), 'pseudonym.key': join(config.dataDir, 'pseudonym.key'),
  } as const;
  const targetOf = (name: BackupFileName) => (name in targets ? targets[name as keyof typeof targets] : join(config.dataDir, name));
  const present = existingLedgerFiles(config, targets);
  if (present.length > 0 && !options.force) {
    const ledger = present.some((path) => Object.values(targets).some((t) => sqliteFiles(t).includes(path) || path === t));
    throw new Error(ledger
      ? `${config.dataDir} already holds a ledger (${present.join(', ')}): restore over it with --force`
      : `${config.dataDir} is not empty (${present.join(', ')}): restore into it with --force (what is there is left as it is)`);
  }
  for (const file of manifest.files) {
    const actual = digest(join(source, file.name));
    if (actual.sha256 !== file.sha256 || actual.bytes !== file.bytes) throw new Error(`${join(source, file.name)} does not match the manifest: the backup is damaged`);
  }

  const release = lockDataDir(config.dataDir);
  try {
    // Until the end, every process that would open the directory refuses it (unfinished-restore.ts).
    markRestoreStarted(config.dataDir, source, new Date());
    // The old read models go first: should the restore stop half-way, the ledger rebuilds them from the restored
    // log rather than trust tables made from another one. An old -wal beside a restored file would be replayed
    // onto it, so each database goes with its -wal and -shm.
    for (const path of sqliteFiles(targets['read-models.db'])) rmSync(path, { force: true });
    // What `derbes verify` found of the old log (the console's integrity page) says nothing of the restored one.
    forgetVerificationRecord(config.dataDir);
    // The log first, as before the read models. A signing key of the same version is replaced; other versions
    // already there are left: a restore does not destroy a private key that may have signed what someone holds.
    const names = manifest.files.map((f) => f.name);
    for (const name of ['events.db' as const, ...names.filter((n) => n !== 'events.db')]) {
      const target = targetOf(name);
      const database = name === 'events.db' || name === 'read-models.db';
      // A directory made here (the data directory, the signing keys') is its owner's only, as the ledger makes them.
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      const partial = `${target}.restoring`;
      if (database) copyFileSync(join(source, name), partial);
      else copyPrivate(join(source, name), partial);
      fsyncPath(partial);
      // The old -wal and -shm go, then the copy takes the file's name in one step: the name never stands empty.
      if (database) for (const path of sqliteFiles(target).filter((p) => p !== target)) rmSync(path, { force: true });
      renameSync(partial, target);
      fsyncPath(dirname(target));
    }
  } finally {
    release();
  }
  const restored = await lastPositionOf(eventStore);
  if (restored !== manifest.lastPosition) throw new Error(`the restored log ends at ${restored}, the manifest says ${manifest.lastPosition}`);
  markRestoreFinished(config.dataDir);
  return manifest;
}

/** What `derbes backup` prints. */
export function backupSummary(manifest: BackupManifest, dir: string): string[] {
  return [
    `backed up the log to position ${manifest.lastPosition} into ${resolve(dir)}: ${manifest.files.map((f) => f.name).join(', ')}`,
    ...(manifest.files.some((f) => f.name === 'pseudonym.key') ? [] : ['no pseudonym key file: it is given by DERBES_PSEUDONYM_KEY; keep it with the backup, or nobody can be found by IIN']),
    ...(manifest.files.some((f) => f.name.startsWith(`${SIGNING_KEYS_DIR}/`)) ? [] : [`no tree-head signing keys (${SIGNING_KEYS_DIR}/): the ledger has signed no head yet`]),
    `not in the backup: ${manifest.excluded.join('; ')}`,
  ];
}

/** What `derbes restore` prints. */
export function restoreSummary(manifest: BackupManifest, config: LedgerConfig): string[] {
  return [
    `restored the backup of ${manifest.createdAt} (log to position ${manifest.lastPosition}) into ${config.dataDir}`,
    ...(manifest.files.some((f) => f.name === 'pseudonym.key') ? [] : ['the backup holds no pseudonym key: start with the DERBES_PSEUDONYM_KEY the ledger had']),
    ...(manifest.files.some((f) => f.name.startsWith(`${SIGNING_KEYS_DIR}/`)) ? [] : [`the backup holds no tree-head signing keys: the heads in its log verify only with the ledger's ${SIGNING_KEYS_DIR}/`]),
    'data keys (data-keys/) are not part of a backup and were left as they are',
  ];
}

function storeFile(config: LedgerConfig): string {
  if (config.eventStore === ':memory:') throw new Error('the event store is in memory (DERBES_EVENT_STORE=:memory:): nothing to back up or restore');
  if (isEsdbLocation(config.eventStore)) {
    throw new Error(`derbes backup and restore copy the embedded SQLite store; the event store is EventStoreDB at ${parseEsdbLocation(config.eventStore).display}: ` +
      'back it up with EventStoreDB\'s own backup of its database (libs/event-store/ESDB.md); the read models are rebuilt from it');
  }
  return config.eventStore;
}

/**
 * A consistent copy of a live SQLite database. All pages in one step means one read transaction: a snapshot of one
 * moment, taken while other connections (the server's) keep committing. In smaller steps, every commit by another
 * connection would restart the copy.
 */
export async function copyDatabase(source: string, target: string): Promise<void> {
  // Made empty and owner-only first: the copy holds personal data from its first page, in a directory that may be
  // open to others, and SQLite gives its journal the file's mode.
  closeSync(openSync(target, 'wx', 0o600));
  const db = new Database(source, { fileMustExist: true, timeout: 5000 });
  try {
    await db.backup(target, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
}

/** A copy in rollback-journal mode is one self-contained file, readable where no -shm can be made. */
function leaveWalMode(path: string): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

async function lastPositionOf(eventStore: string): Promise<number> {
  const store = SqliteEventStore.open(eventStore);
  try {
    return await store.lastPosition();
  } finally {
    await store.close();
  }
}

function readManifest(dir: string): BackupManifest {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) {
    if (isUnfinishedBackup(dir)) throw new Error(`${path} not found: ${dir} is an unfinished backup (it was stopped before its end) and cannot be restored`);
    throw new Error(`${path} not found: not a derbes backup`);
  }
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  if (manifest.format !== 'derbes-backup' || (manifest.version !== 1 && manifest.version !== 2)) throw new Error(`${path}: not a derbes backup of version 1 or 2`);
  if (!manifest.files.some((f) => f.name === 'events.db')) throw new Error(`${path}: the backup holds no event store`);
  // A name is a path the restore writes to: only the ones a backup makes, nothing outside the data directory.
  const stranger = manifest.files.find((f) => !isBackupFileName(f.name));
  if (stranger) throw new Error(`${path}: ${JSON.stringify(stranger.name)} is not a file a derbes backup holds`);
  return manifest;
}

function isBackupFileName(name: string): name is BackupFileName {
  const [dir, file, ...rest] = name.split('/');
  if (file === undefined) return name === 'events.db' || name === 'read-models.db' || name === 'pseudonym.key';
  return dir === SIGNING_KEYS_DIR && isSigningKeyFileName(file) && rest.length === 0;
}

/** The signing keys of the data directory, oldest first, by their name in a backup. */
function signingKeyFiles(dataDir: string): BackupFileName[] {
  return signingKeyFileNames(join(dataDir, SIGNING_KEYS_DIR)).map((file): BackupFileName => `${SIGNING_KEYS_DIR}/${file}`);
}

/** A private key's copy, readable by its owner only, as the original is (the signer refuses a laxer key file). */
function copyPrivate(from: string, to: string): void {
  copyFileSync(from, to);
  chmodSync(to, 0o600);
}

/** The ledger's files already at the restore's targets (a stale lock and the data keys do not count). */
function existingLedgerFiles(config: LedgerConfig, targets: Readonly<Record<'events.db' | 'read-models.db' | 'pseudonym.key', string>>): string[] {
  const candidates = [...sqliteFiles(targets['events.db']), ...sqliteFiles(targets['read-models.db']), targets['pseudonym.key']];
  const others = existsSync(config.dataDir)
    ? readdirSync(config.dataDir).filter((name) => name !== 'ledger.pid' && name !== 'data-keys').map((name) => join(config.dataDir, name))
    : [];
  return [...new Set([...candidates.filter((path) => existsSync(path)), ...others])];
}

function sqliteFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`];
}

/** Size and SHA-256 of a file, read 1 MiB at a time (a store may be larger than memory). */
function digest(path: string): { bytes: number; sha256: string } {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return { bytes: statSync(path).size, sha256: hash.digest('hex') };
}


