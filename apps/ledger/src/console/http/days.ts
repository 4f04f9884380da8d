import type { FieldError } from '../../ledger-errors';
import { parseReportPeriod } from '../../reports/report-period';

/**
 * A date field of a console form (YYYY-MM-DD, a day in the ledger's time zone) as an instant: `from` the day's first
 * moment, `to` its last. The reports' own reading of days, so that the console and the API count days alike.
 */
export function dayBound(field: 'from' | 'to', text: string | undefined, utcOffsetMinutes: number, errors: FieldError[]): Date | undefined {
  if (text === undefined) return undefined;
  const period = parseReportPeriod(text, text, utcOffsetMinutes);
  if (Array.isArray(period)) {
    errors.push({ field, reason: 'must be a date YYYY-MM-DD' });
    return undefined;
  }
  return period[field];
}

/** The calendar day `days` before `day` (YYYY-MM-DD). */
export function daysBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}
