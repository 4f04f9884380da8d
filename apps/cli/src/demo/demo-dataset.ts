import { createHash } from 'node:crypto';
import { buildIin } from '@derbes/ledger';

/** A processing record as the API takes it. */
export type WireRecord = Record<string, unknown>;

export interface DemoOptions {
  readonly employees: number;
  readonly seed: number;
}

/** The same seed always gives the same sequence, so the demo is the same on every machine. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUID-shaped id derived from the seed and the record's index: re-running the demo repeats, never doubles. */
function recordId(seed: number, index: number): string {
  const h = createHash('sha256').update(`derbes-demo:${seed}:${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const DAY = 86_400_000;
/** The demo's year: from just after Order 328-Ө came into force to a few days before the machines' today. */
const START = Date.parse('2025-12-15T04:00:00Z');
const END = Date.parse('2026-11-20T12:00:00Z');
const HR = ['hr-1', 'hr-2', 'hr-3', 'hr-4', 'hr-5', 'hr-6'];

function actor(id: string): WireRecord {
  const unit = id.startsWith('hr') ? 'personnel-management' : id.startsWith('training') ? 'training-center' : id.startsWith('med') ? 'occupational-health' : 'finance';
  const role = id.startsWith('hr') ? 'hr-specialist' : id.startsWith('training') ? 'training-coordinator' : id.startsWith('med') ? 'occupational-physician' : 'payroll-accountant';
  return { id, role, unit };
}

/**
 * Hundreds of employees' year: hiring (competition file, special check, oath, medical check), evaluations,
 * training, transfers to the pension fund, everyday accesses, and a few records the approved list does not allow
 * (an access to destroyed medical results, a transfer abroad without a ground, a record from before the order, an
 * access to blocked family data, and one actor reading many people's medical results in a day).
 */
export function demoRecords(options: DemoOptions): WireRecord[] {
  const next = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const records: WireRecord[] = [];
  const at = (ms: number) => new Date(Math.min(ms, END)).toISOString();
  const add = (iin: string, when: number, fields: WireRecord) => {
    records.push({
      recordId: recordId(options.seed, records.length), subject: { iin }, occurredAt: at(when),
      actor: actor(pick(HR)), system: 'hr-portal', ...fields,
    });
  };

  const iins = new Set<string>();
  while (iins.size < options.employees) {
    const year = 1965 + Math.floor(next() * 38);
    const yymmdd = `${String(year % 100).padStart(2, '0')}${String(1 + Math.floor(next() * 12)).padStart(2, '0')}${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
    const iin = buildIin(yymmdd, (year < 2000 ? 3 : 5) + Math.floor(next() * 2), String(Math.floor(next() * 10_000)).padStart(4, '0'));
    if (iin) iins.add(iin);
  }

  [...iins].forEach((iin, e) => {
    const hired = START + Math.floor(next() * 60) * DAY;
    add(iin, hired, { operation: 'collect', categories: [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 20], purpose: 'P01', source: { kind: 'subject' }, note: 'competition file' });
    add(iin, hired + 2 * DAY, { operation: 'collect', categories: [15], purpose: 'P04', source: { kind: 'state-database', name: 'special check' } });
    add(iin, hired + 9 * DAY, { operation: 'collect', categories: [17, 19, 25], purpose: 'P04', source: { kind: 'subject' } });
    add(iin, hired + 5 * DAY, { operation: 'collect', categories: [28], purpose: 'P09', source: { kind: 'third-party', name: 'city polyclinic No. 4' }, actor: actor('med-1') });
    if (e % 2 === 0) add(iin, hired + 10 * DAY, { operation: 'collect', categories: [24], purpose: 'P02', source: { kind: 'state-database', name: 'military registration' } });
    for (let q = 1; q <= 3; q++) {
      add(iin, hired + q * 90 * DAY, { operation: 'change', categories: [23], purpose: 'P08', system: 'e-docs' });
    }
    const trained = hired + (30 + Math.floor(next() * 200)) * DAY;
    add(iin, trained, { operation: 'collect', categories: [22], purpose: 'P06', source: { kind: 'third-party', name: 'Academy of Public Administration' }, actor: actor(pick(['training-1', 'training-2'])) });
    add(iin, trained + DAY, { operation: 'access', categories: [1, 14, 22], purpose: 'P06', actor: actor(pick(['training-1', 'training-2'])) });
    for (let m = 1; m <= 3; m++) {
      add(iin, hired + m * 30 * DAY, {
        operation: 'transfer', categories: [1, 2, 30], purpose: 'P11', system: 'payroll', actor: actor('payroll-1'),
        recipient: { name: 'Unified Accumulative Pension Fund (ЕНПФ)', country: 'KZ' },
      });
    }
    for (let k = 0; k < 4; k++) {
      add(iin, hired + Math.floor(next() * 300) * DAY, { operation: 'access', categories: [1, 10, 11], purpose: pick(['P02', 'P04', 'P09']) });
    }
    if (e % 50 === 7) {
      add(iin, hired + 100 * DAY, { operation: 'destroy', categories: [28], purpose: 'P09', actor: actor('med-1') });
      add(iin, hired + 120 * DAY, { operation: 'access', categories: [28], purpose: 'P09' });
    }
    if (e % 50 === 13) {
      add(iin, hired + 150 * DAY, { operation: 'transfer', categories: [1, 2, 14], purpose: 'P06', recipient: { name: 'Leadership programme GmbH', country: 'DE' }, actor: actor('training-1') });
    }
    if (e % 50 === 21) add(iin, Date.parse('2025-11-20T06:00:00Z'), { operation: 'access', categories: [1], purpose: 'P01' });
    if (e % 50 === 34) {
      add(iin, hired + 60 * DAY, { operation: 'block', categories: [25], purpose: 'P11' });
      add(iin, hired + 61 * DAY, { operation: 'access', categories: [25], purpose: 'P11' });
    }
  });

  // One afternoon, one specialist reads many people's medical results: the unusual-activity report shows it.
  [...iins].slice(0, 80).forEach((iin, k) => {
    add(iin, Date.parse('2026-10-14T09:00:00Z') + k * 60_000, { operation: 'access', categories: [28], purpose: 'P09', actor: actor('hr-6') });
  });
  return records;
}
