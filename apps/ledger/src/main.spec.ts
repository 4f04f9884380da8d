import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { typescriptLoader } from '@derbes/event-store';

describe('the ledger\'s entry point', () => {
  it('reports a bad configuration value in one line naming the variable, exit 1, no stack trace', () => {
    const root = resolve(__dirname, '../../..');
    const run = spawnSync(process.execPath, ['-e', `${typescriptLoader(root)}\nrequire(${JSON.stringify(join(__dirname, 'main.ts'))});`], {
      env: { PATH: process.env.PATH, DERBES_DATA_DIR: mkdtempSync(join(tmpdir(), 'derbes-main-')), DERBES_TREE_HEAD_INTERVAL: '7x' },
      encoding: 'utf8', timeout: 60_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^derbes ledger failed to start: .*DERBES_TREE_HEAD_INTERVAL/);
  });

  it('masks an IIN in what it prints: a data directory named after a person, in a start-up error', () => {
    const root = resolve(__dirname, '../../..');
    // A file where the data directory should be: the start fails with a message naming the path.
    const dataDir = join(mkdtempSync(join(tmpdir(), 'derbes-main-')), 'staff-791028302728');
    writeFileSync(dataDir, '');
    const run = spawnSync(process.execPath, ['-e', `${typescriptLoader(root)}\nrequire(${JSON.stringify(join(__dirname, 'main.ts'))});`], {
      env: { PATH: process.env.PATH, DERBES_DATA_DIR: dataDir }, encoding: 'utf8', timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^derbes ledger failed to start: .*staff-/);
    expect(run.stderr + run.stdout).not.toContain('791028302728');
    expect(run.stderr).toContain('staff-7**********8');
  });
});
