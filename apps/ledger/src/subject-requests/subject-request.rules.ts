import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';
import { containsIin, localDate, type CategoryRef } from '@derbes/ledger';
import type { RegisterCatalog } from '@derbes/register';
import { NOT_BLANK } from '../http/text-patterns';
import { flattenValidationErrors } from '../http/validation';
import type { FieldError } from '../ledger-errors';

/**
 * The API's rules for a subject request's fields, which the console's forms apply too: a body checked against its
 * DTO as the validation pipe checks it (subject-request.dto.ts), then what no decorator says.
 */

const OPTIONS: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } };

/** What the API's validation pipe answers for this body of this DTO: each field named as the API names it. */
export function dtoErrors(dto: new () => object, body: Record<string, unknown>): FieldError[] {
  return flattenValidationErrors(validateSync(plainToInstance(dto, body), OPTIONS));
}

/** The categories a request names, by number or code, in number order; each unknown or repeated one noted. */
export function requestCategories(catalog: RegisterCatalog, owner: string, inputs: readonly unknown[], errors: FieldError[]): CategoryRef[] {
  const categories: CategoryRef[] = [];
  inputs.forEach((input, i) => {
    const ref = typeof input === 'number' || typeof input === 'string' ? catalog.resolveCategory(owner, input) : undefined;
    if (!ref) errors.push({ field: `categories[${i}]`, reason: `unknown category ${JSON.stringify(input)}: use the order's number or its code` });
    else if (categories.some((c) => c.number === ref.number)) errors.push({ field: `categories[${i}]`, reason: `category ${ref.number} is listed twice` });
    else categories.push(ref);
  });
  return categories.sort((a, b) => a.number - b.number);
}

/** A refusal's reasons beyond their DTO: the first one blank or naming an IIN. */
export function reasonsErrors(reasons: readonly string[]): FieldError[] {
  const bad = reasons.findIndex((r) => !NOT_BLANK.test(r) || containsIin(r));
  return bad < 0 ? [] : [{ field: `reasons[${bad}]`, reason: 'must be a reason in words, without an IIN' }];
}

/** The date of Law 94-V "On personal data and their protection": no request under it can be older. */
const LAW_94_V_DATE = '2013-05-21';

/** Whether a request is dated before Law 94-V, on Kazakhstan's calendar day. */
export function beforeTheLaw(receivedAt: Date, utcOffsetMinutes: number): boolean {
  // The local day, not UTC's: 1 January 2013 at 03:00 there is still 2012 in UTC.
  return localDate(receivedAt, utcOffsetMinutes) < LAW_94_V_DATE;
}

export const BEFORE_THE_LAW = `is before the personal-data law (Law 94-V of ${LAW_94_V_DATE})`;
