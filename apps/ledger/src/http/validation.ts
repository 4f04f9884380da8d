import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { LedgerError, type FieldError } from '../ledger-errors';

const REASONS: Record<string, string> = {
  whitelistValidation: 'is not a known field',
  nestedValidation: 'must be an object',
};

/** Flattens class-validator's tree into `path: reason` pairs, with array indexes as `[i]`. */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const key = /^\d+$/.test(error.property) ? `[${error.property}]` : error.property;
    const field = parent === '' ? key : key.startsWith('[') ? `${parent}${key}` : `${parent}.${key}`;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      const reason = REASONS[constraint] ?? message.replace(new RegExp(`^(each value in )?${error.property} `), '$1');
      out.push({ field, reason });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  const batchIndex = /^records\[(\d+)\]/;
  return out.map((e) => {
    const index = batchIndex.exec(e.field)?.[1];
    return index === undefined ? e : { ...e, index: Number(index) };
  });
}

/** Unknown fields are errors, types are checked, and nothing is coerced silently. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => LedgerError.invalid(flattenValidationErrors(errors)),
  });
}
