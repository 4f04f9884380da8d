import { spawn } from 'node:child_process';
import type { Worker } from 'node:worker_threads';
import { ANY, NO_STREAM, SqliteEventStore, StoreUnavailableError, typescriptLoader } from '../index';
import { repositoryRoot } from '../worker-script';
import { event, now, rejection, useTempFiles } from './spec-helpers';

const newFile = useTempFiles();

/** Runs a script in a fresh node process that loads this repository's sources; resolves with its exit code and output. */
function runScript(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['-e', `${typescriptLoader(repositoryRoot(__filename))}\n${script}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((done) => child.on('close', (code) => {
    clearTimeout(killer);
    done({ code, stdout, stderr });
  }));
}

describe('SqliteEventStore writer thread', () => {
  it('a process awaiting an append waits for it to be stored, and a store left open does not keep the process running', async () => {
    const path = newFile();
    const store = JSON.stringify(require.resolve('./sqlite-event-store'));
    const result = await runScript(`
      const { SqliteEventStore } = require(${store});
      const store = SqliteEventStore.open(${JSON.stringify(path)});
      store.appendToStream('s', [{ id: 'left-open', type: 'Happened', data: {}, metadata: {} }], 'no_stream')
        .then((result) => console.log('stored at', result.events[0].position));
    `);
    expect(result).toMatchObject({ code: 0, stdout: 'stored at 1\n' });
    const reopened = SqliteEventStore.open(path, { now });
    expect((await reopened.readEventById('left-open'))?.position).toBe(1);
    await reopened.close();
  });

  it('commits on its own connection: the store reads its appends at once, and groups keep their order', async () => {
    const store = SqliteEventStore.open(newFile(), { now, writer: 'thread' });
    const appends = Array.from({ length: 200 }, (_, i) => store.appendToStream(`s-${i % 7}`, [event(`t-${i}`)], ANY));
    const positions = (await Promise.all(appends)).map((r) => r.events[0]!.position);
    expect(positions).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await store.lastPosition()).toBe(200);
    expect((await store.readStream('s-3')).map((e) => e.id)).toEqual(['t-3', 't-10', 't-17', 't-24', 't-31', 't-38', 't-45', 't-52', 't-59', 't-66', 't-73', 't-80', 't-87', 't-94', 't-101', 't-108', 't-115', 't-122', 't-129', 't-136', 't-143', 't-150', 't-157', 't-164', 't-171', 't-178', 't-185', 't-192', 't-199']);
    await store.close();
  });

  it('fails appends with StoreUnavailableError when the writer thread dies, instead of leaving them waiting', async () => {
    const store = SqliteEventStore.open(newFile(), { now, writer: 'thread' });
    await store.appendToStream('s', [event('before')], NO_STREAM);
    const worker = (store as unknown as { writerThread: { thread: { worker: Worker } } }).writerThread.thread.worker;
    await worker.terminate();
    const error = await rejection(store.appendToStream('s', [event()], 0));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/writer thread/);
    expect((await store.readAll()).map((e) => e.id)).toEqual(['before']);
    await store.close();
  });
});
