import { localDate } from '@derbes/ledger';
import { parseReportPeriod, type ReportPeriod } from '../../reports/report-period';
import { daysBefore } from './days';

/** The last `days` calendar days in the ledger's time zone, today included: as days and as the reports' period. */
export function lastDays(now: Date, utcOffsetMinutes: number, days: number): { from: string; to: string; period: ReportPeriod } {
  const to = localDate(now, utcOffsetMinutes);
  const from = daysBefore(to, days - 1);
  return { from, to, period: parseReportPeriod(from, to, utcOffsetMinutes) as ReportPeriod };
}

/** Every day from `from` to `to`, both included (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += 86_400_000) out.push(new Date(at).toISOString().slice(0, 10));
  return out;
}
