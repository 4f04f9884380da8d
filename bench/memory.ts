import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Resident memory of a process as Linux reports it in /proc/<pid>/status: VmRSS now, VmHWM the peak since the
 * process started or since resetPeak. Null where there is no /proc (the bench then prints "not measured").
 */
export interface ResidentMemory {
  readonly now: number;
  readonly peak: number;
  /**
   * The largest anonymous (heap, stacks, malloc) and file-backed (mapped files, e.g. SQLite's mmap) parts of the
   * resident memory seen by sampling while the work ran: the kernel keeps no peak of each. Only from measuredPeak.
   */
  readonly sampled?: { readonly anonymous: number; readonly file: number };
}

export function residentMemory(pid: number | 'self' = 'self'): ResidentMemory | null {
  const fields = statusFields(pid, ['VmRSS', 'VmHWM']);
  return fields && { now: fields[0]!, peak: fields[1]! };
}

/** Fields of /proc/<pid>/status given in kB, in bytes; null when one is missing or there is no /proc. */
function statusFields(pid: number | 'self', names: readonly string[]): number[] | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const values = names.map((field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024);
    return values.some(Number.isNaN) ? null : values;
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
  const parts = after.sampled ? ` (sampled every 20 ms: at most ${mib(after.sampled.anonymous)} anonymous, ${mib(after.sampled.file)} mapped from files)` : '';
  return `| ${what} | ${mib(after.peak)} peak resident${parts} | ${baseline}: ${mib(before.now)} | +${mib(Math.max(0, after.peak - before.now))} | | |`;
}

/** RssAnon and RssFile of this process now, or null without /proc. */
function residentParts(): { anonymous: number; file: number } | null {
  const fields = statusFields('self', ['RssAnon', 'RssFile']);
  return fields && { anonymous: fields[0]!, file: fields[1]! };
}

/** Measures the peak resident memory of `work` in this process, from a reset peak. */
export async function measuredPeak<T>(work: () => Promise<T>): Promise<{ result: T; before: ResidentMemory | null; after: ResidentMemory | null }> {
  const reset = resetPeak();
  const before = residentMemory();
  // The work runs on this thread's event loop between its awaits (and on threads of its own), so samples land often
  // enough to catch a peak that lasts; a peak shorter than the gaps may be missed, VmHWM then still has it.
  let sampled = residentParts();
  const sample = () => {
    const now = residentParts();
    if (now && sampled) sampled = { anonymous: Math.max(sampled.anonymous, now.anonymous), file: Math.max(sampled.file, now.file) };
  };
  const timer = setInterval(sample, 20);
  let result: T;
  try {
    result = await work();
  } finally {
    clearInterval(timer);
  }
  sample();
  const peak = reset ? residentMemory() : null;
  const after = peak && sampled ? { ...peak, sampled } : peak;
  return { result, before, after };
}
