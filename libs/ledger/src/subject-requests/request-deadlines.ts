// Not request-deadlines.json: require('./request-deadlines') would find the JSON before this file under a TS loader.
import data from './request-deadline-defaults.json';
import { DEADLINE_FIRST_DAYS, isDeadlineFirstDay, type DeadlineFirstDay } from '../calendar/working-day-calendar';
import { REQUEST_KINDS, type RequestKind } from './subject-request.events';

/** The default time to answer one kind of request, and where it comes from: data, unverified until checked. */
export interface RequestDeadlineRule {
  readonly workingDays: number;
  readonly verified: boolean;
  readonly basis: string;
  /** Whose number it is: the law's (Art. 25, verified or not) or this ledger's own default where the law states none. */
  readonly source: 'law' | 'ledger';
}

/** A text for the subject in each language of the report. */
export interface CountingText {
  readonly kk: string;
  readonly ru: string;
  readonly en: string;
}

/**
 * How the deadlines' working days are counted, as the access report tells the subject (kk/ru/en) and the request desk
 * applies it; a legal fact, so data, unverified while the five-day week and the first day are from memory (law.md [M]).
 */
export interface DeadlineCounting {
  readonly verified: boolean;
  readonly basis: string;
  /** Where day 1 falls, the default of the request desk (DERBES_DEADLINE_FIRST_DAY may set the other). */
  readonly firstDay: DeadlineFirstDay;
  /** How the report tells each rule: every rule has its text, since the operator may choose either. */
  readonly text: Readonly<Record<DeadlineFirstDay, CountingText>>;
}

const FILE = 'request-deadline-defaults.json';

function fail(field: string, reason: string): never {
  throw new Error(`${FILE}: ${field}: ${reason}`);
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(field, 'must be a non-empty string');
  return value;
}

function flag(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') fail(field, 'must be true or false');
  return value;
}

/** The defaults file checked field by field (an Error names the first bad one), deep-frozen. Exported for its tests. */
export function deadlineDefaultsOf(file: { readonly kinds: Readonly<Record<string, unknown>>; readonly counting?: unknown }): {
  readonly kinds: Readonly<Record<RequestKind, RequestDeadlineRule>>;
  readonly counting: DeadlineCounting;
} {
  const kinds = Object.fromEntries(REQUEST_KINDS.map((kind): [RequestKind, RequestDeadlineRule] => {
    const rule = file.kinds[kind] as Record<string, unknown> | undefined;
    if (!rule || !Number.isInteger(rule.workingDays) || (rule.workingDays as number) < 1) {
      fail(kind, 'workingDays must be a whole number of at least 1');
    }
    if (rule.source !== 'law' && rule.source !== 'ledger') fail(`kinds.${kind}.source`, "must be 'law' or 'ledger'");
    return [kind, Object.freeze({
      workingDays: rule.workingDays as number, verified: flag(rule.verified, `kinds.${kind}.verified`),
      basis: text(rule.basis, `kinds.${kind}.basis`), source: rule.source,
    })];
  })) as Record<RequestKind, RequestDeadlineRule>;
  const counting = (file.counting ?? {}) as Record<string, unknown>;
  const texts = (counting.text ?? {}) as Record<string, unknown>;
  const textOf = (rule: DeadlineFirstDay): CountingText => {
    const words = (texts[rule] ?? {}) as Record<string, unknown>;
    const field = `counting.text.${rule}`;
    return Object.freeze({ kk: text(words.kk, `${field}.kk`), ru: text(words.ru, `${field}.ru`), en: text(words.en, `${field}.en`) });
  };
  return Object.freeze({
    kinds: Object.freeze(kinds),
    counting: Object.freeze({
      verified: flag(counting.verified, 'counting.verified'),
      basis: text(counting.basis, 'counting.basis'),
      firstDay: firstDayOf(counting.firstDay, 'counting.firstDay'),
      text: Object.freeze(Object.fromEntries(DEADLINE_FIRST_DAYS.map((rule) => [rule, textOf(rule)])) as Record<DeadlineFirstDay, CountingText>),
    }),
  });
}

function firstDayOf(value: unknown, field: string): DeadlineFirstDay {
  if (!isDeadlineFirstDay(value)) fail(field, `must be ${DEADLINE_FIRST_DAYS.map((d) => `'${d}'`).join(' or ')}, got ${JSON.stringify(value)}`);
  return value;
}

const DEFAULTS = deadlineDefaultsOf(data);

/** The defaults per request kind (request-deadline-defaults.json); configuration may set other lengths. */
export const DEFAULT_REQUEST_DEADLINES = DEFAULTS.kinds;

/** How the working days of every deadline are counted (request-deadline-defaults.json, `counting`). */
export const DEADLINE_COUNTING = DEFAULTS.counting;
