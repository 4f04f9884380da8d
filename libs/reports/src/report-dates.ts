import type { ReportLanguage } from './access-report.model';

/*
 * Dates are formatted by hand: Node's ICU may lack Kazakh locale data, and a report must read the same wherever it is
 * made. Formats, one per language:
 *   kk  `2026 ж. 25 қараша`   and `2026 ж. 25 қараша, 14:30`  (the long Kazakh form: year, "ж.", day, month)
 *   ru  `25.11.2026`          and `25.11.2026, 14:30`
 *   en  `25 November 2026`    and `25 November 2026, 14:30`   (day month year, 24-hour clock)
 * Instants are shown at the report's fixed UTC offset; the report says which offset once, near its title.
 */

const MONTHS: { readonly [L in Exclude<ReportLanguage, 'ru'>]: readonly string[] } = {
  kk: ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

interface LocalParts {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly day: number;
  /** Absent for a plain date. */
  readonly time?: { readonly hour: number; readonly minute: number };
}

function localParts(value: string, utcOffsetMinutes: number): LocalParts {
  const plain = PLAIN_DATE.exec(value);
  if (plain) {
    const [year, month, day] = [Number(plain[1]), Number(plain[2]), Number(plain[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      throw new RangeError(`not a real calendar date: ${JSON.stringify(value)}`);
    }
    return { year, month, day };
  }
  const ms = INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 date or date-time with a zone: ${JSON.stringify(value)}`);
  const local = new Date(ms + utcOffsetMinutes * 60_000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    time: { hour: local.getUTCHours(), minute: local.getUTCMinutes() },
  };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function dateOf(p: LocalParts, lang: ReportLanguage): string {
  switch (lang) {
    case 'kk':
      return `${p.year} ж. ${p.day} ${MONTHS.kk[p.month - 1]}`;
    case 'ru':
      return `${pad2(p.day)}.${pad2(p.month)}.${p.year}`;
    case 'en':
      return `${p.day} ${MONTHS.en[p.month - 1]} ${p.year}`;
    default: {
      const never: never = lang;
      throw new RangeError(`unknown language ${String(never)}`);
    }
  }
}

/**
 * The local calendar date of an ISO instant at `utcOffsetMinutes` (Kazakhstan: 300), in `lang`'s usual form.
 * A plain `YYYY-MM-DD` is a local date already and is shown as it is, never shifted. Throws RangeError on bad input.
 */
export function formatDate(value: string, lang: ReportLanguage, utcOffsetMinutes: number): string {
  return dateOf(localParts(value, utcOffsetMinutes), lang);
}

/**
 * The local date and time (hours and minutes) of an ISO instant at `utcOffsetMinutes`, in `lang`'s usual form.
 * A plain `YYYY-MM-DD` has no time and is shown as `formatDate` shows it. Throws RangeError on bad input.
 */
export function formatDateTime(value: string, lang: ReportLanguage, utcOffsetMinutes: number): string {
  const parts = localParts(value, utcOffsetMinutes);
  const date = dateOf(parts, lang);
  return parts.time ? `${date}, ${pad2(parts.time.hour)}:${pad2(parts.time.minute)}` : date;
}

/** `UTC+05:00` for 300, `UTC−03:30` for -210 (with a true minus sign). */
export function formatUtcOffset(utcOffsetMinutes: number): string {
  const sign = utcOffsetMinutes < 0 ? '−' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  return `UTC${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}
