import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DerbesClient } from './derbes-client';
import { InMemorySequenceStore, type SequenceState, type SequenceStore } from './sequence-store';
import { FileSequenceStore } from './sequence-store';
import { aRecord, FakeLedger, TOKEN } from './spec-helpers';

describe('FileSequenceStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'derbes-sequence-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('loads nothing from a file that does not exist, and what it saved after', async () => {
    const store = new FileSequenceStore(join(dir, 'nested', 'hr-portal.json'));
    expect(await store.load()).toBeUndefined();
    const state = { system: 'hr-portal', lastSequence: 7, unacknowledged: { 'a-record': 7 } };
    await store.save(state);
    await store.save({ ...state, lastSequence: 8 });
    expect(await new FileSequenceStore(store.path).load()).toEqual({ ...state, lastSequence: 8 });
    expect(await readdir(join(dir, 'nested'))).toEqual(['hr-portal.json']);
  });

  it.each([
    ['not JSON', '{"system": "hr-por'],
    ['a negative number', '{"system":"hr-portal","lastSequence":-1,"unacknowledged":{}}'],
    ['a reserved number above the last', '{"system":"hr-portal","lastSequence":3,"unacknowledged":{"x":4}}'],
    ['no map', '{"system":"hr-portal","lastSequence":3}'],
    ['an acknowledged number above the last', '{"system":"hr-portal","lastSequence":3,"unacknowledged":{},"acknowledged":{"x":4}}'],
    ['acknowledged not a map', '{"system":"hr-portal","lastSequence":3,"unacknowledged":{},"acknowledged":[3]}'],
  ])('refuses a file with %s rather than restart the numbering', async (_what, text) => {
    const path = join(dir, 'bad.json');
    await writeFile(path, text);
    await expect(new FileSequenceStore(path).load()).rejects.toThrow(/refusing to restart the numbering/);
  });

  it('writes a state a reader can follow: system, last number, numbers awaiting acknowledgement, numbers acknowledged last', async () => {
    const path = join(dir, 'hr-portal.json');
    await new FileSequenceStore(path).save({ system: 'hr-portal', lastSequence: 2, unacknowledged: { r2: 2 }, acknowledged: { r1: 1 } });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ version: 1, system: 'hr-portal', lastSequence: 2, unacknowledged: { r2: 2 }, acknowledged: { r1: 1 } });
  });

  it('removes at load the temporary files of saves that a process killed mid-write left (gone, or this pid before)', async () => {
    const path = join(dir, 'hr-portal.json');
    const gone = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const leftovers = [`hr-portal.json.${gone}.0a1b2c3d.tmp`, `hr-portal.json.${process.pid}.deadbeef.tmp`];
    const kept = [`hr-portal.json.${process.ppid}.0a1b2c3d.tmp`, 'payroll.json.1.0a1b2c3d.tmp', 'hr-portal.json.notes.tmp'];
    for (const name of [...leftovers, ...kept]) await writeFile(join(dir, name), '{"sys');
    expect(await new FileSequenceStore(path).load()).toBeUndefined();
    expect((await readdir(dir)).sort()).toEqual([...kept].sort());
  });

  it('leaves no temporary file behind when a save fails', async () => {
    const path = join(dir, 'hr-portal.json');
    const store = new FileSequenceStore(path);
    // A state that cannot be written as JSON fails the save after the temporary file was opened.
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(store.save({ system: 'hr-portal', lastSequence: 1, unacknowledged: circular as never })).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });

  it('reads a file written before acknowledged numbers were kept: nothing acknowledged is remembered', async () => {
    const path = join(dir, 'hr-portal.json');
    await writeFile(path, '{"version":1,"system":"hr-portal","lastSequence":5,"unacknowledged":{"r5":5}}\n');
    expect(await new FileSequenceStore(path).load()).toEqual({ system: 'hr-portal', lastSequence: 5, unacknowledged: { r5: 5 } });
  });
});

describe('the numbering is saved before the records carrying it are sent', () => {
  it('every batch leaves after a save covering its numbers', async () => {
    const ledger = await new FakeLedger().start();
    const saved: SequenceState[] = [];
    const memory = new InMemorySequenceStore();
    const store: SequenceStore = {
      load: () => memory.load(),
      save: async (state) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        await memory.save(state);
        saved.push(state);
      },
    };
    const sentWhenSaved: { highest: number; savedLast: number }[] = [];
    const watchingFetch: typeof fetch = async (url, init) => {
      const body = JSON.parse(String(init?.body)) as { records?: { sourceSequence: number }[] };
      if (body.records) sentWhenSaved.push({ highest: Math.max(...body.records.map((r) => r.sourceSequence)), savedLast: saved.at(-1)?.lastSequence ?? 0 });
      return fetch(url, init);
    };
    const client = new DerbesClient({ baseUrl: ledger.url, token: TOKEN, system: 'hr-portal', sequenceStore: store, fetch: watchingFetch, batchSize: 4, flushIntervalMs: 1, heartbeatIntervalMs: 0 });
    await Promise.all(Array.from({ length: 10 }, () => client.record(aRecord())));
    await client.close();
    await ledger.stop();

    expect(sentWhenSaved.length).toBeGreaterThan(1);
    for (const sent of sentWhenSaved) expect(sent.savedLast).toBeGreaterThanOrEqual(sent.highest);
    expect(saved.at(-1)).toMatchObject({ system: 'hr-portal', lastSequence: 10, unacknowledged: {} });
    expect(Object.values(saved.at(-1)?.acknowledged ?? {}).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
