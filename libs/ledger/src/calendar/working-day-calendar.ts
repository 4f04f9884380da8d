import { createHash } from 'node:crypto';
import data from './kz-calendar.json';
import { CalendarData, Coverage, YearStatus, isWorkingKind } from './calendar.model';
import { checkCalendarData } from './calendar-data.check';
import { formatDay, requireDayNumber, weekdayOf, yearOf } from './local-date';

export { localDate } from './local-date';

/**
 * Where the working days of a deadline start: `after-receipt`, day 1 is the first working day after the day of
 * receipt; `receipt`, the day of receipt is day 1 when it is a working day (else the first working day after it). A
 * legal fact, unverified: it comes from request-deadline-defaults.json (`counting.firstDay`) or the operator, never
 * from here.
 */
export const DEADLINE_FIRST_DAYS = ['after-receipt', 'receipt'] as const;
export type DeadlineFirstDay = (typeof DEADLINE_FIRST_DAYS)[number];

/** Whether a value names a rule for where a deadline's working days start. */
export function isDeadlineFirstDay(value: unknown): value is DeadlineFirstDay {
  return (DEADLINE_FIRST_DAYS as readonly unknown[]).includes(value);
}

/** A statutory deadline: the whole local day `date` is the last day to act. */
export interface Deadline {
  readonly date: string;
  readonly workingDays: number;
  /** Where its working days started: the rule it was counted with. */
  readonly firstDay: DeadlineFirstDay;
  /** The weakest coverage among the years of the days counted: a deadline is only as sure as its worst year. */
  readonly coverage: Coverage;
}

const STRENGTH: Record<Coverage, number> = { 'not-covered': 0, projected: 1, verified: 2 };

/**
 * Working days of Kazakhstan's five-day week, with the holidays and transfers of a {@link CalendarData}. All dates
 * are local calendar dates `YYYY-MM-DD`; turn instants into them with `localDate`. Years absent from the data fall
 * back to the plain five-day week and report `not-covered`.
 */
export class WorkingDayCalendar {
  private static builtInCalendar: WorkingDayCalendar | undefined;

  /** The data set's id and version (a merge has a version naming both inputs). */
  readonly id: string;
  readonly version: number | string;
  /**
   * SHA-256 (hex) of the effective data: weekend, each year's status and each listed day's date and kind, in a
   * fixed order. Names, sources and file layout are left out, so the fingerprint changes exactly when a computed
   * deadline or its coverage could.
   */
  readonly fingerprint: string;

  private readonly weekend: ReadonlySet<number>;
  /** Day number → whether that listed day is worked. */
  private readonly exceptions = new Map<number, boolean>();
  private readonly statuses = new Map<number, YearStatus>();

  private constructor(calendar: CalendarData) {
    this.id = calendar.id;
    this.version = calendar.version;
    this.weekend = new Set(calendar.weekend);
    const canonical: unknown[] = [];
    for (const year of [...calendar.years].sort((a, b) => a.year - b.year)) {
      this.statuses.set(year.year, year.status);
      const days = [...year.days].sort((a, b) => (a.date < b.date ? -1 : 1));
      for (const day of days) this.exceptions.set(requireDayNumber(day.date, 'calendar day'), isWorkingKind(day.kind));
      canonical.push([year.year, year.status, days.map((d) => [d.date, d.kind])]);
    }
    const weekend = [...this.weekend].sort((a, b) => a - b);
    this.fingerprint = createHash('sha256').update(JSON.stringify([weekend, canonical])).digest('hex');
  }

  /** A calendar from data that passed `checkCalendarData` (or a merge of such data). */
  static fromData(calendar: CalendarData): WorkingDayCalendar {
    return new WorkingDayCalendar(calendar);
  }

  /** The data shipped with the ledger, checked: the base an operator's corrections are merged into. */
  static builtInData(): CalendarData {
    return checkCalendarData(data, 'kz-calendar.json');
  }

  /** The calendar shipped with the ledger (`kz-calendar.json`), checked once on first use. */
  static builtIn(): WorkingDayCalendar {
    WorkingDayCalendar.builtInCalendar ??= new WorkingDayCalendar(checkCalendarData(data, 'kz-calendar.json'));
    return WorkingDayCalendar.builtInCalendar;
  }

  /** Whether `date` (`YYYY-MM-DD`) is a working day. */
  isWorkingDay(date: string): boolean {
    return this.isWorking(requireDayNumber(date, 'isWorkingDay'));
  }

  /** How well the data covers `year`; `not-covered` means the plain five-day week is assumed. */
  coverage(year: number): Coverage {
    return this.statuses.get(year) ?? 'not-covered';
  }

  /**
   * The deadline of "within `workingDays` working days of receipt", the last of them. Day 1 is the first working day
   * after `receivedOn` with `firstDay` 'after-receipt', or from `receivedOn` itself with 'receipt' (so `receivedOn`
   * when it is a working day); the caller takes the rule from the data or the operator.
   * @throws RangeError when `workingDays` is not a positive integer, `receivedOn` is not a date or `firstDay` no rule.
   */
  deadline(receivedOn: string, workingDays: number, firstDay: DeadlineFirstDay): Deadline {
    if (!Number.isSafeInteger(workingDays) || workingDays < 1) {
      throw new RangeError(`deadline: workingDays must be a positive integer, got ${workingDays}`);
    }
    if (!isDeadlineFirstDay(firstDay)) {
      throw new RangeError(`deadline: firstDay must be ${DEADLINE_FIRST_DAYS.map((d) => `'${d}'`).join(' or ')}, got ${JSON.stringify(firstDay)}`);
    }
    // The loop steps to the next day before looking at it: start on the day before the first day that may count.
    let day = requireDayNumber(receivedOn, 'deadline receivedOn') - (firstDay === 'receipt' ? 1 : 0);
    let coverage: Coverage = 'verified';
    for (let counted = 0; counted < workingDays; ) {
      day++;
      const yearCoverage = this.coverage(yearOf(day));
      if (STRENGTH[yearCoverage] < STRENGTH[coverage]) coverage = yearCoverage;
      if (this.isWorking(day)) counted++;
    }
    return { date: formatDay(day), workingDays, firstDay, coverage };
  }

  /**
   * How many working days after `deadline` the answer on `answeredOn` came: 0 when on time, otherwise the working
   * days in (deadline, answeredOn], but at least 1, since an answer on the weekend after a Friday deadline is late.
   */
  workingDaysLate(deadline: string, answeredOn: string): number {
    const last = requireDayNumber(deadline, 'workingDaysLate deadline');
    const answered = requireDayNumber(answeredOn, 'workingDaysLate answeredOn');
    let late = 0;
    for (let day = last + 1; day <= answered; day++) if (this.isWorking(day)) late++;
    return answered > last ? Math.max(late, 1) : 0;
  }

  private isWorking(day: number): boolean {
    return this.exceptions.get(day) ?? !this.weekend.has(weekdayOf(day));
  }
}
