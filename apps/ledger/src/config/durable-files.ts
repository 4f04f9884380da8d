import { closeSync, fsyncSync, openSync, writeFileSync } from 'node:fs';
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
 * overwrite.
 */
export function writeDurably(path: string, text: string, flag: 'w' | 'wx' = 'w'): void {
  writeFileSync(path, text, { mode: 0o600, flag });
  fsyncPath(path);
  fsyncPath(dirname(path));
}
