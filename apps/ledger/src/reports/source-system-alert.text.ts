import type { SourceSystemAlert, SourceSystemReport } from '@derbes/projections';
import type { Lang } from '@derbes/register';
import type { TimeFormat } from './time-format';

interface Words {
  readonly units: readonly [number, string][];
  gap(numbers: { from: number; to: number }, highest: number, heartbeat: string): string;
  heartbeat(upTo: number, receivedAt: string): string;
  repeatAfterUnknown(sequence: number, recordId: string, recordedAt: string): string;
  repeat(sequence: number, first: string, recordId: string, recordedAt: string): string;
  lastRecord(at: string): string;
  lastHeartbeat(at: string): string;
  silent(system: string, since: string, last: string, silentFor: string, at: string, allowed: string): string;
  neverReported(system: string): string;
}

// ru and kk are our renderings, like the register's ru/en names: to be checked by a native speaker. In kk numbers and
// times stand alone (after a dash or colon) so that no case ending has to agree with them.
const WORDS: Record<Lang, Words> = {
  en: {
    units: [[86400, 'd'], [3600, 'h'], [60, 'min'], [1, 's']],
    gap: ({ from, to }, highest, heartbeat) =>
      `${from === to ? `number ${from} was` : `numbers ${from} to ${to} (${to - from + 1}) were`} never received${heartbeat}; the highest number received is ${highest}`,
    heartbeat: (upTo, receivedAt) => `, though a heartbeat said every number up to ${upTo} had been sent (last heartbeat received ${receivedAt})`,
    repeatAfterUnknown: (sequence, recordId, recordedAt) => `number ${sequence} was used again by record ${recordId} (recorded ${recordedAt}) after an earlier record`,
    repeat: (sequence, first, recordId, recordedAt) => `number ${sequence} was used by two records: ${first} first, then ${recordId} (recorded ${recordedAt})`,
    lastRecord: (at) => `last record ${at}`,
    lastHeartbeat: (at) => `last heartbeat ${at}`,
    silent: (system, since, last, silentFor, at, allowed) =>
      `nothing received from ${system} since ${since} (${last}): silent for ${silentFor} at ${at}, longer than the ${allowed} allowed`,
    neverReported: (system) => `${system} is expected to report (DERBES_SOURCE_SYSTEMS) but the ledger has received no record and no heartbeat from it`,
  },
  ru: {
    units: [[86400, 'д'], [3600, 'ч'], [60, 'мин'], [1, 'с']],
    gap: ({ from, to }, highest, heartbeat) =>
      `${from === to ? `номер ${from} не получен` : `номера с ${from} по ${to} (${to - from + 1}) не получены`}${heartbeat}; наибольший полученный номер — ${highest}`,
    heartbeat: (upTo, receivedAt) => `, хотя сигнал активности сообщил, что отправлены все номера до ${upTo} (последний сигнал получен ${receivedAt})`,
    repeatAfterUnknown: (sequence, recordId, recordedAt) => `номер ${sequence} повторно использован записью ${recordId} (записана ${recordedAt}) после более ранней записи`,
    repeat: (sequence, first, recordId, recordedAt) => `номер ${sequence} использован двумя записями: сначала ${first}, затем ${recordId} (записана ${recordedAt})`,
    lastRecord: (at) => `последняя запись ${at}`,
    lastHeartbeat: (at) => `последний сигнал активности ${at}`,
    silent: (system, since, last, silentFor, at, allowed) =>
      `от ${system} ничего не поступало с ${since} (${last}): молчание ${silentFor} на ${at}, дольше допустимых ${allowed}`,
    neverReported: (system) => `система ${system} должна передавать записи (DERBES_SOURCE_SYSTEMS), но журнал не получил от неё ни одной записи и ни одного сигнала активности`,
  },
  kk: {
    units: [[86400, 'тәулік'], [3600, 'сағ'], [60, 'мин'], [1, 'с']],
    gap: ({ from, to }, highest, heartbeat) =>
      `${from === to ? `нөмір алынбады: ${from}` : `нөмірлер алынбады: ${from}–${to} (${to - from + 1})`}${heartbeat}; алынған ең үлкен нөмір — ${highest}`,
    heartbeat: (upTo, receivedAt) => `, бірақ белсенділік сигналы бойынша олар жіберілген (сигналдағы соңғы нөмір — ${upTo}, сигнал алынған уақыт — ${receivedAt})`,
    repeatAfterUnknown: (sequence, recordId, recordedAt) => `нөмір қайта пайдаланылды: ${sequence}, ертерек жазбадан кейін ${recordId} жазбасында (жазылған уақыты — ${recordedAt})`,
    repeat: (sequence, first, recordId, recordedAt) => `нөмір екі жазбада пайдаланылды: ${sequence}; алдымен ${first}, содан кейін ${recordId} (жазылған уақыты — ${recordedAt})`,
    lastRecord: (at) => `соңғы жазба — ${at}`,
    lastHeartbeat: (at) => `соңғы белсенділік сигналы — ${at}`,
    silent: (system, since, last, silentFor, at, allowed) =>
      `${system} жүйесінен ештеңе түспеді, соңғы түскені — ${since} (${last}): үнсіздік ұзақтығы — ${silentFor} (${at} кезінде), рұқсат етілгені — ${allowed}`,
    neverReported: (system) => `${system} жүйесі жазбаларды жіберуі тиіс (DERBES_SOURCE_SYSTEMS), бірақ журнал одан бірде-бір жазба да, белсенділік сигналы да алған жоқ`,
  },
};

/** `2 d 3 h`, `15 min`, `45 s`: the two largest units, in the language's abbreviations. */
export function formatDuration(seconds: number, lang: Lang): string {
  const parts: string[] = [];
  let rest = Math.floor(seconds);
  for (const [size, unit] of WORDS[lang].units) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return parts.length === 0 ? `0 ${WORDS[lang].units[3]![1]}` : parts.join(' ');
}

/** An alert in plain words of `lang`, naming its numbers, records and times; `at` is when the report judged silence. */
export function sourceSystemAlertText(
  report: SourceSystemReport, alert: SourceSystemAlert, at: string, lang: Lang, time: TimeFormat = (iso) => iso,
): string {
  const w = WORDS[lang];
  switch (alert.kind) {
    case 'gap': {
      const { missing, heartbeat } = alert;
      const said = heartbeat ? w.heartbeat(Math.max(missing.to, heartbeat.lastSequence), time(heartbeat.receivedAt)) : '';
      return w.gap(missing, alert.highest, said);
    }
    case 'duplicate': {
      const [first, repeat] = alert.recordIds;
      return first === null
        ? w.repeatAfterUnknown(alert.sequence, repeat, time(alert.recordedAt))
        : w.repeat(alert.sequence, first, repeat, time(alert.recordedAt));
    }
    case 'silent': {
      const last = [
        report.state?.lastRecordAt && w.lastRecord(time(report.state.lastRecordAt)),
        report.state?.lastHeartbeat && w.lastHeartbeat(time(report.state.lastHeartbeat.receivedAt)),
      ].filter(Boolean).join(', ');
      return w.silent(report.system, time(alert.since), last, formatDuration(alert.silentSeconds, lang), time(at), formatDuration(report.maxSilenceSeconds ?? 0, lang));
    }
    case 'never-reported':
      return w.neverReported(report.system);
  }
}
