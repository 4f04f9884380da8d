import { constants } from 'node:os';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProjectionRunner, type ProjectionStatus } from '@derbes/projections';
import { lockDataDir, lockHolder } from '../../ledger/src/config/data-dir-lock';
import type { LedgerConfig } from '../../ledger/src/config/ledger-config';
import { createApp } from '../../ledger/src/http/create-app';
import { requireEventStore } from './existing-ledger';
import { ProgressLine } from './progress';

/** A read model's name that is none of the ledger's: a misuse of the command (exit 2). */
export class ProjectionsUsageError extends Error {}

/** `kept`: whether a live process keeps the read models now; else a generation being built was left by one that stopped. */
function describe(s: ProjectionStatus, kept = true): string {
  const active = s.active ? `generation ${s.active.generation} (v${s.active.version}) at ${s.active.position}` : 'none yet';
  const building = !s.building ? ''
    : s.building.aside ? (kept ? `, rebuilding on a second thread at ${s.building.position}` : `, left half-built on a second thread at ${s.building.position} (built again when the read models are next kept)`)
    : kept ? `, rebuilding generation ${s.building.generation} at ${s.building.position}`
    : `, generation ${s.building.generation} left half-built at ${s.building.position} by a rebuild that stopped (discarded when the read models are next kept)`;
  const error = s.error ? `, STOPPED: ${s.error}` : '';
  const stale = s.active && !s.active.current && !s.building
    ? `, made ${s.active.version === s.version ? 'with other settings' : 'by another version'}: rebuilt when the read models are next kept`
    : '';
  return `${s.name} v${s.version}: ${active}, log at ${s.logPosition}, lag ${s.lag}${stale}${building}${error}`;
}

async function withApp<T>(config: LedgerConfig, work: (runner: ProjectionRunner) => Promise<T>): Promise<T> {
  const app: NestFastifyApplication = await createApp(config);
  try {
    return await work(app.get(ProjectionRunner));
  } finally {
    await app.close();
  }
}

/** `derbes projections status`: where each projection stands. Safe beside a running server (it only reads). */
export async function projectionsStatus(config: LedgerConfig): Promise<string[]> {
  requireEventStore(config);
  const kept = lockHolder(config.dataDir) !== null;
  return withApp({ ...config, runProjections: false }, async (runner) => (await runner.status()).map((s) => describe(s, kept)));
}

/**
 * `derbes projections rebuild [name]`: replays the whole log into fresh tables and swaps them in. It keeps the read
 * models itself, so the server must be stopped (the data directory's lock says whether one runs).
 */
export async function projectionsRebuild(config: LedgerConfig, name: string | undefined): Promise<string[]> {
  requireEventStore(config);
  const release = lockDataDir(config.dataDir);
  // Ctrl-C: the half-built generation is never swapped in, and the next start discards it. Left to Nest, the signal
  // would end the process after its shutdown without a word, before this function's finally releases the lock.
  const interrupted = (signal: NodeJS.Signals) => {
    release();
    console.error(`${process.stderr.isTTY ? '\n' : ''}derbes: the rebuild was interrupted (${signal}); the read models in use are as they were, and the rebuild starts over when run again`);
    process.exit(128 + constants.signals[signal]);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    return await withApp({ ...config, runProjections: true, projectionsOnThread: false }, async (runner) => {
      const all = (await runner.status()).map((s) => s.name);
      if (name !== undefined && !all.includes(name)) throw new ProjectionsUsageError(`no projection named ${name}: one of ${all.join(', ')}`);
      const names = name ? [name] : all;
      // All at once: rebuilding generations that start together at position 0 read the log once between them.
      const progress = new ProgressLine(name ?? `${names.length} read models`);
      const mine = (all: ProjectionStatus[]) => all.filter((s) => names.includes(s.name));
      const done = Promise.all(names.map((projection) => runner.rebuild(projection)));
      const timer = setInterval(() => {
        void runner.status().then((all) => {
          const building = mine(all).flatMap((s) => (s.building ? [s.building.position] : []));
          if (building.length > 0) progress.update(Math.min(...building), all[0]!.logPosition);
        });
      }, 250);
      try {
        await done;
      } finally {
        clearInterval(timer);
      }
      const statuses = mine(await runner.status());
      const applied = Math.min(...statuses.map((s) => s.active?.position ?? 0));
      progress.update(applied, statuses[0]?.logPosition ?? applied);
      progress.finish();
      return statuses.map((status) => describe(status));
    });
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    release();
  }
}

/**
 * `derbes projections run`: keeps the read models in this process until `until` settles (the CLI: SIGINT or
 * SIGTERM), for an API started with DERBES_PROJECTIONS=off, which then reads them as this process commits them.
 */
export async function projectionsRun(config: LedgerConfig, until: Promise<void>): Promise<void> {
  const release = lockDataDir(config.dataDir);
  process.once('exit', release);
  try {
    await withApp({ ...config, runProjections: true, projectionsOnThread: false }, () => until);
  } finally {
    release();
  }
}
