import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Resident memory of a process as Linux reports it in /proc/<pid>/status: VmRSS now, VmHWM the peak since the
 * process started or since resetPeak. Null where there is no /proc (the bench then prints "not measured").
 */
export interface ResidentMemory {
  readonly now: number;
  readonly peak: number;
}

export function residentMemory(pid: number | 'self' = 'self'): ResidentMemory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    const memory = { now: kib('VmRSS'), peak: kib('VmHWM') };
    return Number.isNaN(memory.now) || Number.isNaN(memory.peak) ? null : memory;
  } catch {
    return null;
  }
}

/**
 * Starts the peak afresh from what the process holds now (writing 5 to clear_refs, Linux 4.0 on), so that the next
 * peak read belongs to the work that follows and not to an earlier section of the bench. False where it cannot.
 */
export function resetPeak(pid: number | 'self' = 'self'): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MiB`;

/**
 * A bench row for the memory a piece of work took: its peak beside what the process held when it began, the
 * baseline measured in the same run.
 */
export function memoryRow(what: string, before: ResidentMemory | null, after: ResidentMemory | null, baseline: string): string {
  if (!before || !after) return `| ${what} | not measured (no /proc on this system) | | | | |`;
  return `| ${what} | ${mib(after.peak)} peak resident | ${baseline}: ${mib(before.now)} | +${mib(Math.max(0, after.peak - before.now))} | | |`;
}

/** Measures the peak resident memory of `work` in this process, from a reset peak. */
export async function measuredPeak<T>(work: () => Promise<T>): Promise<{ result: T; before: ResidentMemory | null; after: ResidentMemory | null }> {
  const reset = resetPeak();
  const before = residentMemory();
  const result = await work();
  const after = reset ? residentMemory() : null;
  return { result, before, after };
}
