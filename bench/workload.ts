import { buildIin } from '@derbes/ledger';

/** A deterministic pseudo-random sequence, so that every run sends the same workload. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct valid IINs of people born 1960-2003. */
export function employeeIins(count: number, seed = 1): string[] {
  const next = rng(seed);
  const out = new Set<string>();
  while (out.size < count) {
    const year = 1960 + Math.floor(next() * 44);
    const month = 1 + Math.floor(next() * 12);
    const day = 1 + Math.floor(next() * 28);
    const centuryDigit = (year < 2000 ? 3 : 5) + Math.floor(next() * 2);
    const serial = String(Math.floor(next() * 10000)).padStart(4, '0');
    const iin = buildIin(`${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`, centuryDigit, serial);
    if (iin !== null) out.add(iin);
  }
  return [...out];
}

let sequence = 0;
/** A UUID-shaped id unique within this process run. */
export function nextUuid(run: number): string {
  sequence++;
  return `${run.toString(16).padStart(8, '0')}-0000-4000-8000-${sequence.toString(16).padStart(12, '0')}`;
}

const OPERATIONS = ['access', 'access', 'access', 'access', 'change', 'collect'] as const;

/** One realistic processing record as the wire JSON text. */
export function recordJson(run: number, iins: readonly string[], next: () => number, occurredAt: string): string {
  const iin = iins[Math.floor(next() * iins.length)] as string;
  const operation = OPERATIONS[Math.floor(next() * OPERATIONS.length)] as string;
  const c1 = 1 + Math.floor(next() * 30);
  const c2 = 1 + ((c1 + Math.floor(next() * 29)) % 30);
  const purpose = `P${String(1 + Math.floor(next() * 12)).padStart(2, '0')}`;
  const source = operation === 'collect' ? ',"source":{"kind":"state-database","name":"ГБД ФЛ"}' : '';
  return `{"recordId":"${nextUuid(run)}","operation":"${operation}","subject":{"iin":"${iin}"},"categories":[${c1},${c2}],` +
    `"purpose":"${purpose}","actor":{"id":"hr-${Math.floor(next() * 40)}","role":"hr-specialist","unit":"personnel-management"},` +
    `"system":"hr-portal","occurredAt":"${occurredAt}"${source},"note":"жеке іс бойынша жұмыс"}`;
}
