import type { FieldError } from '../ledger-errors';
import { parseInstant } from '../processing-records/normalize-record';

/** Longest period a report covers: two years, a leap day included. Longer ones are asked for in parts. */
export const MAX_PERIOD_DAYS = 731;

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A report's period: inclusive bounds on occurredAt. */
export interface ReportPeriod {
  readonly from: Date;
  readonly to: Date;
}

/** Midnight starting a calendar day at the offset, or null when the text is not a real YYYY-MM-DD date. */
function dayStart(text: string, utcOffsetMinutes: number): Date | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(y, mo - 1, d));
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== mo - 1 || utc.getUTCDate() !== d) return null;
  return new Date(utc.getTime() - utcOffsetMinutes * 60_000);
}

/**
 * Reads `from` and `to`, both required: an ISO 8601 instant with a zone, or a calendar day (YYYY-MM-DD) at the
 * ledger's offset, `from` taken from the day's first moment and `to` through its last. Returns every problem.
 */
export function parseReportPeriod(from: string | undefined, to: string | undefined, utcOffsetMinutes: number): ReportPeriod | FieldError[] {
  const errors: FieldError[] = [];
  const bound = (field: 'from' | 'to', text: string | undefined): Date | null => {
    if (text === undefined || text === '') {
      errors.push({ field, reason: 'is required: an ISO 8601 date-time with a time zone, or a date YYYY-MM-DD' });
      return null;
    }
    const day = dayStart(text, utcOffsetMinutes);
    if (day) return field === 'from' ? day : new Date(day.getTime() + DAY_MS - 1);
    const at = parseInstant(text);
    if (!at) errors.push({ field, reason: 'must be an ISO 8601 date-time with a time zone, or a date YYYY-MM-DD' });
    return at;
  };
  const start = bound('from', from);
  const end = bound('to', to);
  if (!start || !end) return errors;
  if (end.getTime() < start.getTime()) errors.push({ field: 'to', reason: 'is before from' });
  else if (end.getTime() - start.getTime() >= MAX_PERIOD_DAYS * DAY_MS) {
    errors.push({ field: 'to', reason: `the period is longer than ${MAX_PERIOD_DAYS} days (two years); ask for it in parts` });
  }
  return errors.length > 0 ? errors : { from: start, to: end };
}
