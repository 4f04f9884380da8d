/**
 * The working-day calendar as data: only the days that change the five-day week are listed, so a year absent from
 * the data still has a meaning (the plain five-day week) and a correction is a small, reviewable file.
 */

/**
 * Why a listed day differs from the plain five-day week.
 * - `holiday`: a public holiday on a weekday.
 * - `holiday-moved`: a weekday off because a holiday fell on a weekend (Law "On holidays", Art. 5).
 * - `transfer-off`: a weekday made a day off by a government transfer (Labour Code Art. 85 para 3).
 * - `transfer-working`: a weekend day made a working day by such a transfer.
 * - `religious`: 7 January or Kurban Ait day 1 (Labour Code Art. 84 para 5); never moved off a weekend.
 */
export type DayKind = 'holiday' | 'holiday-moved' | 'transfer-off' | 'transfer-working' | 'religious';

/** Every {@link DayKind}, for validation. */
export const DAY_KINDS: readonly DayKind[] = ['holiday', 'holiday-moved', 'transfer-off', 'transfer-working', 'religious'];

/** `verified` against published calendars, or `projected` by applying the rules to a future year. */
export type YearStatus = 'verified' | 'projected';

/** Every {@link YearStatus}, for validation. */
export const YEAR_STATUSES: readonly YearStatus[] = ['verified', 'projected'];

/** How well the data covers a year; `not-covered` years fall back to the plain five-day week. */
export type Coverage = YearStatus | 'not-covered';

/** A day's name in Kazakh, Russian and English. */
export interface DayNames {
  readonly kk: string;
  readonly ru: string;
  readonly en: string;
}

/** One day that is not what the five-day week would make it. */
export interface CalendarDay {
  /** Local calendar date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly kind: DayKind;
  readonly names: DayNames;
  /** The legal basis or publication the day comes from. */
  readonly source: string;
}

/** One year's exceptions and how far they can be trusted. */
export interface CalendarYear {
  readonly year: number;
  readonly status: YearStatus;
  readonly sources: readonly string[];
  /** The year's working-day count, when stated; the data check recomputes and compares it. */
  readonly workingDays?: number;
  readonly days: readonly CalendarDay[];
}

/** A versioned calendar data set: the built-in file, an operator's correction file, or a merge of both. */
export interface CalendarData {
  readonly id: string;
  /** A number for a single file; a string such as `1+kz-fix@3` for a merge (see `mergeCalendars`). */
  readonly version: number | string;
  readonly description: string;
  /** Weekend days as `Date#getUTCDay` numbers (0 = Sunday, 6 = Saturday). */
  readonly weekend: readonly number[];
  readonly years: readonly CalendarYear[];
}

/** Whether a listed day of this kind is a working day (only a transfer onto a weekend is). */
export function isWorkingKind(kind: DayKind): boolean {
  return kind === 'transfer-working';
}
