import { closeSync, existsSync, fsyncSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** fsync of a file or a directory (a rename or a new file is durable only once its directory is). */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a small file readable by its owner only, and makes it and its name durable: flushed to the disk with its
 * directory, so that a power loss right after cannot leave events behind it without it. `flag` 'wx' refuses to
 * overwrite. A write that fails (a full disk) removes the file it created: left empty or half written, it would be
 * taken for a whole one later. A file it was replacing stays as the failed write left it (a restore marker half
 * written still marks its directory).
 */
export function writeDurably(path: string, text: string, flag: 'w' | 'wx' = 'w'): void {
  const replacing = flag === 'w' && existsSync(path);
  const fd = openSync(path, flag, 0o600); // nothing was created if this throws (EEXIST with 'wx' among others)
  try {
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    fsyncPath(dirname(path));
  } catch (error) {
    if (!replacing) rmSync(path, { force: true });
    throw error;
  }
}
