import type { SourceSystemAlert, SourceSystemReport } from '@derbes/projections';
import { LANGS } from '@derbes/register';
import { formatDuration, sourceSystemAlertText } from './source-system-alert.text';

const AT = '2026-11-25T12:30:00.000Z';
const FIRST = '11111111-1111-4111-8111-111111111111';
const REPEAT = '22222222-2222-4222-8222-222222222222';

function report(system: string, maxSilenceSeconds: number | null, state: Partial<NonNullable<SourceSystemReport['state']>> | null): SourceSystemReport {
  const full = state && {
    records: 3, unsequenced: 0, highestSequence: 5, firstRecordAt: null, lastRecordAt: null, heartbeats: 0, lastHeartbeat: null,
    missing: [], missingRanges: 0, missingNumbers: 0, duplicates: [], duplicateCount: 0, ...state,
  };
  return { system, expected: true, maxSilenceSeconds, lastSeenAt: null, state: full, alerts: [] };
}

const hr = report('hr-portal', 900, {
  lastRecordAt: '2026-11-25T12:00:00.000Z',
  lastHeartbeat: { receivedAt: '2026-11-25T11:59:00.000Z', sentAt: '2026-11-25T11:59:00.000Z', lastSequence: 8 },
});
const ALERTS: readonly SourceSystemAlert[] = [
  { kind: 'gap', missing: { from: 3, to: 4 }, highest: 5 },
  { kind: 'gap', missing: { from: 6, to: 6 }, highest: 5 },
  { kind: 'gap', missing: { from: 6, to: 8 }, highest: 5, heartbeat: { lastSequence: 8, receivedAt: '2026-11-25T11:59:00.000Z' } },
  { kind: 'duplicate', sequence: 2, recordIds: [FIRST, REPEAT], recordedAt: '2026-11-25T12:00:00.000Z' },
  { kind: 'duplicate', sequence: 2, recordIds: [null, REPEAT], recordedAt: '2026-11-25T12:00:00.000Z' },
  { kind: 'silent', since: '2026-11-25T12:00:00.000Z', silentSeconds: 1800 },
];

describe('source-system alerts in words', () => {
  it('words every alert in English with its numbers, records and times', () => {
    expect(ALERTS.map((a) => sourceSystemAlertText(hr, a, AT, 'en'))).toEqual([
      'numbers 3 to 4 (2) were never received; the highest number received is 5',
      'number 6 was never received; the highest number received is 5',
      'numbers 6 to 8 (3) were never received, though a heartbeat said every number up to 8 had been sent (last heartbeat received 2026-11-25T11:59:00.000Z); the highest number received is 5',
      `number 2 was used by two records: ${FIRST} first, then ${REPEAT} (recorded 2026-11-25T12:00:00.000Z)`,
      `number 2 was used again by record ${REPEAT} (recorded 2026-11-25T12:00:00.000Z) after an earlier record`,
      'nothing received from hr-portal since 2026-11-25T12:00:00.000Z (last record 2026-11-25T12:00:00.000Z, last heartbeat 2026-11-25T11:59:00.000Z): silent for 30 min at 2026-11-25T12:30:00.000Z, longer than the 15 min allowed',
    ]);
    expect(sourceSystemAlertText(report('payroll', 86400, null), { kind: 'never-reported', since: null }, AT, 'en'))
      .toBe('payroll is expected to report (DERBES_SOURCE_SYSTEMS) but the ledger has received no record and no heartbeat from it');
  });

  it('words them in Kazakh and Russian too, naming the same numbers, records and times', () => {
    for (const lang of ['kk', 'ru'] as const) {
      const texts = ALERTS.map((a) => sourceSystemAlertText(hr, a, AT, lang));
      texts.forEach((text, i) => {
        expect(text).not.toBe(sourceSystemAlertText(hr, ALERTS[i]!, AT, 'en'));
        expect(text).not.toMatch(/received|number|record|silent/);
      });
      expect(texts[0]).toMatch(/3.*4.*\(2\).*5/);
      expect(texts[2]).toContain('8');
      expect(texts[2]).toContain('2026-11-25T11:59:00.000Z');
      expect(texts[3]).toMatch(new RegExp(`${FIRST}.*${REPEAT}`));
      expect(texts[4]).toContain(REPEAT);
      expect(texts[5]).toContain('30 мин');
      expect(texts[5]).toContain('15 мин');
      expect(sourceSystemAlertText(report('payroll', 86400, null), { kind: 'never-reported', since: null }, AT, lang)).toContain('payroll');
    }
  });

  it('writes the times as the caller formats them (the console: local time)', () => {
    const text = sourceSystemAlertText(hr, ALERTS[5]!, AT, 'ru', (iso) => `<${iso.slice(11, 16)}>`);
    expect(text).toContain('с <12:00> (последняя запись <12:00>, последний сигнал активности <11:59>)');
    expect(text).toContain('на <12:30>');
  });

  it('formats durations by their two largest units in each language', () => {
    const seconds = [0, 45, 900, 3660, 90061, 86400];
    expect(seconds.map((s) => formatDuration(s, 'en'))).toEqual(['0 s', '45 s', '15 min', '1 h 1 min', '1 d 1 h', '1 d']);
    expect(seconds.map((s) => formatDuration(s, 'ru'))).toEqual(['0 с', '45 с', '15 мин', '1 ч 1 мин', '1 д 1 ч', '1 д']);
    expect(seconds.map((s) => formatDuration(s, 'kk'))).toEqual(['0 с', '45 с', '15 мин', '1 сағ 1 мин', '1 тәулік 1 сағ', '1 тәулік']);
    for (const lang of LANGS) expect(formatDuration(59.9, lang)).toMatch(/^59 /);
  });
});
