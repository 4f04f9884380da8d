import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Runs one section of the benchmark on its own (`node dist/bench/<section>-bench.js`): a work folder under data/,
 * the machine line and the table's head as `npm run bench` prints them, the rows as they come, the folder removed
 * at the end.
 */
export function runStandalone(
  title: string,
  firstColumn: string,
  run: (options: { root: string; work: string; emit: (line: string) => void }) => Promise<void>,
): void {
  const root = resolve(__dirname, '../..');
  mkdirSync(join(root, 'data'), { recursive: true });
  const work = mkdtempSync(join(root, 'data', 'bench-'));
  console.log(`# Derbes ${title} benchmark, ${new Date().toISOString()}`);
  console.log(`${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, data on ${work}\n`);
  console.log(`| measure | ${firstColumn} | ceiling measured in this run | of ceiling | target | |`);
  console.log('|---|---|---|---|---|---|');
  run({ root, work, emit: (line) => console.log(line) })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => rmSync(work, { recursive: true, force: true }));
}
