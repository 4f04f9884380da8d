import { SUBJECT_ID_PATTERN } from '@derbes/ledger';
import type { RegisterCatalog } from '@derbes/register';
import { LedgerError, type FieldError } from '../ledger-errors';
import { instantProblem, parseInstant } from '../processing-records/normalize-record';

/**
 * The query parameters the subject read endpoints share, checked against the owner's registers. Each method notes
 * its field's problem and returns the value (undefined when absent or bad), so that one 400 lists every bad field.
 */
export class SubjectQueryParams {
  readonly errors: FieldError[] = [];

  constructor(
    private readonly catalog: RegisterCatalog,
    private readonly owner: string,
  ) {}

  subjectId(subjectId: string): void {
    if (!SUBJECT_ID_PATTERN.test(subjectId)) this.fail('subjectId', 'must be 64 lowercase hex characters, from POST /v1/subjects/lookup');
  }

  /** A category number or code -> its number. */
  category(text: string | undefined): number | undefined {
    if (text === undefined) return undefined;
    const ref = this.catalog.resolveCategory(this.owner, /^\d+$/.test(text) ? Number(text) : text);
    if (!ref) this.fail('category', `unknown category ${JSON.stringify(text)}`);
    return ref?.number;
  }

  /** A purpose code or slug -> its code: the registers' purposes, and `also` (the ledger's own, where entries carry them). */
  purpose(text: string | undefined, also: readonly { readonly code: string; readonly slug: string }[] = []): string | undefined {
    if (text === undefined) return undefined;
    const ref = this.catalog.resolvePurpose(this.owner, text) ?? also.find((p) => p.code === text || p.slug === text);
    if (!ref) this.fail('purpose', `unknown purpose ${JSON.stringify(text)}`);
    return ref?.code;
  }

  /** Inclusive bounds on occurredAt: ISO 8601 instants with a zone, `to` not before `from`. */
  period(fromText: string | undefined, toText: string | undefined): { from?: Date; to?: Date } {
    const bound = (field: 'from' | 'to', text: string | undefined): Date | undefined => {
      if (text === undefined) return undefined;
      const at = parseInstant(text);
      if (!at) this.fail(field, instantProblem(text) ?? 'is not an instant');
      return at ?? undefined;
    };
    const from = bound('from', fromText);
    const to = bound('to', toText);
    if (from && to && from.getTime() > to.getTime()) this.fail('to', 'is before from');
    return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  }

  /** Page size, 1 to 500, default 100 (the DTO already checked it is a whole number). */
  limit(text: string | undefined): number {
    const limit = text === undefined ? 100 : Number(text);
    if (limit < 1 || limit > 500) this.fail('limit', 'must be a whole number from 1 to 500');
    return limit;
  }

  fail(field: string, reason: string): void {
    this.errors.push({ field, reason });
  }

  /** Throws invalid_request (400) listing every problem noted. */
  check(): void {
    if (this.errors.length > 0) throw LedgerError.invalid(this.errors);
  }
}
