import type { RegisterCatalog } from '@derbes/register';
import {
  checkIin, codeContainsIin, containsIin, isIsoCountry, isReservedActorCode, localDate, maskIin,
  type CategoryRef, type RecordProcessing, type SubjectPseudonymizer,
} from '@derbes/ledger';
import type { FieldError } from '../ledger-errors';
import type { ProcessingRecordDto } from './processing-record.dto';

export interface NormalizeContext {
  readonly catalog: RegisterCatalog;
  readonly owner: string;
  readonly pseudonymizer: SubjectPseudonymizer;
  readonly now: Date;
  /** The ledger's local date of `now`: no birth date may be after it. */
  readonly today: string;
  readonly clockSkewSeconds: number;
  /** The ledger's UTC offset: the local date of `occurredAt`, which an embargo's length is counted from. */
  readonly utcOffsetMinutes: number;
  /** The most days `embargoUntil` may be after that date (DERBES_EMBARGO_MAX_DAYS); 0: no embargo is taken. */
  readonly embargoMaxDays: number;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/;
/** Processing before this is surely a typo: the personal-data law itself dates from 2013. */
export const EARLIEST_INSTANT = Date.UTC(2000, 0, 1);

/**
 * Why `text` is not an instant this API takes, worded for an error; null when it is one. Strict ISO 8601: a real
 * calendar date, hours 00-23, minutes and seconds 00-59 (no leap second), an explicit zone between -12:00 and
 * +14:00. Digits past the millisecond are read and dropped (the ledger keeps milliseconds).
 */
export function instantProblem(text: string, example = '2026-11-20T09:30:00Z'): string | null {
  const m = ISO_INSTANT.exec(text);
  if (!m) return `must be an ISO 8601 date-time with a time zone, e.g. ${example}`;
  const [, y, mo, d, h, mi, s, , sign, zh, zm] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) return `has the date ${y}-${mo}-${d}, which is not a day of the calendar`;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return `has the time ${h}:${mi}${s === undefined ? '' : `:${s}`}, which is not a time of day (00:00:00 to 23:59:59)`;
  const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm));
  if (Number(zm) > 59 || offset < -12 * 60 || offset > 14 * 60) return `has the time zone ${text.slice(-6)}, which is not a UTC offset (-12:00 to +14:00)`;
  return null;
}

/** Parses an ISO 8601 instant strictly (see instantProblem); null when it is not one. */
export function parseInstant(text: string): Date | null {
  if (instantProblem(text) !== null) return null;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The nanoseconds each fraction digit past the millisecond is worth, the 4th to the 9th. */
const SUB_MILLISECOND_SCALE = [100_000, 10_000, 1_000, 100, 10, 1];

/**
 * The nanoseconds past the millisecond that an instant checked by instantProblem gives (its fraction's 4th to 9th
 * digits), 0 for none. By position, without a regex: the fraction, when there is one, begins at the 20th character
 * and runs to the first character that is not a digit (a shorter fraction is followed by Z or the offset, whose
 * digits are not the fraction's).
 */
export function subMillisecondOf(text: string): number {
  if (text.charCodeAt(19) !== 46) return 0; // '.'
  let nanos = 0;
  for (let i = 20; i < 29; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) break;
    if (i >= 23) nanos += digit * SUB_MILLISECOND_SCALE[i - 23]!;
  }
  return nanos;
}

/**
 * Checks what class-validator cannot (the IIN's rules, codes against the registers, dates against the clock,
 * which fields go with which operation) and builds the command. Returns every problem, not just the first.
 */
export function normalizeRecord(dto: ProcessingRecordDto, ctx: NormalizeContext, prefix = ''): RecordProcessing | FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, reason: string) => errors.push({ field: prefix + field, reason });

  const iin = checkIin(dto.subject.iin, ctx.today);
  if (!iin.valid) fail('subject.iin', `${iin.reason} (rule: ${iin.rule})`);

  const categories: CategoryRef[] = [];
  dto.categories.forEach((input, i) => {
    const ref = ctx.catalog.resolveCategory(ctx.owner, input);
    if (!ref) return fail(`categories[${i}]`, `unknown category ${JSON.stringify(input)}: use the order's number or its code`);
    if (categories.some((c) => c.number === ref.number)) return fail(`categories[${i}]`, `category ${ref.number} is listed twice`);
    categories.push(ref);
  });
  categories.sort((a, b) => a.number - b.number);

  const purpose = ctx.catalog.resolvePurpose(ctx.owner, dto.purpose);
  if (!purpose) fail('purpose', `unknown purpose ${JSON.stringify(dto.purpose)}: use a code such as P01 or its slug`);

  const occurredAt = parseInstant(dto.occurredAt);
  if (!occurredAt) {
    fail('occurredAt', instantProblem(dto.occurredAt) ?? 'is not an instant');
  } else if (occurredAt.getTime() > ctx.now.getTime() + ctx.clockSkewSeconds * 1000) {
    fail('occurredAt', `is in the future (more than ${ctx.clockSkewSeconds} s after the ledger's clock, ${ctx.now.toISOString()})`);
  } else if (occurredAt.getTime() < EARLIEST_INSTANT) {
    fail('occurredAt', 'is before 2000-01-01');
  }

  if (dto.embargoUntil != null) {
    const problem = embargoProblem(dto.embargoUntil, occurredAt, ctx);
    if (problem !== null) fail('embargoUntil', problem);
  }

  const op = dto.operation;
  if (op === 'collect' && !dto.source) fail('source', 'is required with operation collect');
  if (op !== 'collect' && dto.source) fail('source', `is only allowed with operation collect, not ${op}`);
  if (op === 'transfer' && !dto.recipient) fail('recipient', 'is required with operation transfer');
  if (op !== 'transfer' && dto.recipient) fail('recipient', `is only allowed with operation transfer, not ${op}`);
  if (op !== 'transfer' && dto.transferGround) fail('transferGround', `is only allowed with operation transfer, not ${op}`);
  if (dto.recipient && !isIsoCountry(dto.recipient.country)) fail('recipient.country', `${dto.recipient.country} is not an ISO 3166-1 country code`);

  // Codes allow more characters between digits than free text is read with (codeContainsIin).
  const texts: [string, string | null | undefined, (text: string) => boolean][] = [
    ['note', dto.note, containsIin],
    ['source.name', dto.source?.name, containsIin],
    ['recipient.name', dto.recipient?.name, containsIin],
    ['transferGround.reference', dto.transferGround?.reference, containsIin],
    ['actor.id', dto.actor.id, codeContainsIin],
    ['actor.role', dto.actor.role, codeContainsIin],
    ['actor.unit', dto.actor.unit, codeContainsIin],
    ['system', dto.system, codeContainsIin],
  ];
  for (const [field, text, holdsIin] of texts) {
    if (text != null && holdsIin(text)) fail(field, 'must not contain an IIN: the subject is named only by subject.iin');
  }
  // The record id becomes the event's id, in URLs and read models. Any UUID whose digits read as some valid IIN is
  // not refused (about one random UUID in 6,500 is one), but one holding this record's own subject's IIN is no chance.
  if (iin.valid && typeof dto.recordId === 'string' && dto.recordId.replaceAll('-', '').includes(dto.subject.iin)) {
    fail('recordId', "must not contain the subject's IIN: the subject is named only by subject.iin");
  }

  for (const field of ['id', 'role', 'unit'] as const) {
    const code = dto.actor[field];
    if (isReservedActorCode(field, code)) fail(`actor.${field}`, `"${code}" is a code the ledger records for itself (the data subject, the ledger): an emitting system's act may not bear it`);
  }

  if (errors.length > 0 || !iin.valid || !purpose || !occurredAt) return errors;
  const subMillisecond = subMillisecondOf(dto.occurredAt);
  return {
    recordId: dto.recordId.toLowerCase(),
    subjectId: ctx.pseudonymizer.subjectId(dto.subject.iin),
    operation: op,
    categories,
    purpose,
    actor: { id: dto.actor.id, role: dto.actor.role, unit: dto.actor.unit },
    system: dto.system,
    occurredAt: occurredAt.toISOString(),
    ...(subMillisecond > 0 && { occurredAtSubMillisecond: subMillisecond }),
    source: dto.source ? { kind: dto.source.kind, ...(dto.source.name != null ? { name: dto.source.name } : {}) } : null,
    recipient: dto.recipient ? { name: dto.recipient.name, country: dto.recipient.country, kind: dto.recipient.kind ?? 'organization' } : null,
    transferGround: dto.transferGround ? { kind: dto.transferGround.kind, reference: dto.transferGround.reference } : null,
    note: dto.note ?? null,
    embargoUntil: dto.embargoUntil ?? null,
    subjectMask: maskIin(dto.subject.iin),
    requestId: null,
    sourceSequence: dto.sourceSequence ?? null,
  };
}

/**
 * Why an embargo is not taken, or null. Its length is counted from the local date of `occurredAt`, not from today: it
 * bounds how long the subject is kept from knowing of the processing, which a record sent late (or back-dated) cannot
 * stretch, and the same record gets the same answer whenever it is sent again. With no valid `occurredAt` (its own
 * error is given) only the date itself is checked.
 */
function embargoProblem(embargoUntil: string, occurredAt: Date | null, ctx: NormalizeContext): string | null {
  if (!isCalendarDate(embargoUntil)) return `${embargoUntil} is not a calendar date`;
  if (ctx.embargoMaxDays === 0) return 'this ledger takes no embargo (DERBES_EMBARGO_MAX_DAYS is 0): leave embargoUntil out';
  if (occurredAt === null) return null;
  const from = localDate(occurredAt, ctx.utcOffsetMinutes);
  const days = (Date.parse(`${embargoUntil}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
  // The report shows a record from its embargo's date on: one on or before the record's own day withholds nothing,
  // and is most likely a mistyped year; stored, it would read on the console as an embargo that had ended.
  if (days < 1) {
    return `${embargoUntil} is not after the local date of occurredAt (${from}): an embargo withholds the record until a later day; ` +
      'leave embargoUntil out to withhold nothing';
  }
  if (days <= ctx.embargoMaxDays) return null;
  const latest = new Date(Date.parse(`${from}T00:00:00Z`) + ctx.embargoMaxDays * DAY_MS).toISOString().slice(0, 10);
  return `${embargoUntil} is ${days} days after the local date of occurredAt (${from}); this ledger allows an embargo of at most ` +
    `${ctx.embargoMaxDays} days from it (DERBES_EMBARGO_MAX_DAYS): until ${latest} at the latest`;
}

const DAY_MS = 86_400_000;

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
