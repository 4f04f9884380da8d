import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { LedgerError, type FieldError } from '../ledger-errors';

const REASONS: Record<string, string> = {
  whitelistValidation: 'is not a known field',
  nestedValidation: 'must be an object',
  unknownValue: 'must be an object of the shape documented for this field',
};

/**
 * Constraints on a value's shape, type or presence. When one of them fails, the others of the field (lengths, ranges,
 * patterns) are not reported: "must be a string" says what is wrong with `5`, "must not be greater than 720" does not.
 */
const SHAPE_CONSTRAINTS = new Set(['isDefined', 'isArray', 'isObject', 'nestedValidation', 'unknownValue']);
const TYPE_CONSTRAINTS = new Set(['isString', 'isInt', 'isNumber', 'isBoolean']);

/**
 * The constraints of one field worth reporting: its shape's if that is wrong (a rule on each element of an array
 * says nothing useful of a null), else its type's if that is wrong, else all of them.
 */
function reported(constraints: Record<string, string>): [string, string][] {
  const all = Object.entries(constraints);
  for (const tier of [SHAPE_CONSTRAINTS, TYPE_CONSTRAINTS]) {
    const failed = all.filter(([name]) => tier.has(name));
    if (failed.length > 0) return failed;
  }
  return all;
}

/** Flattens class-validator's tree into `path: reason` pairs, with array indexes as `[i]`. */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    // An element that is no object of its class (e.g. `subject: [{...}]`) comes back without a property: it is the parent.
    const property = error.property as string | undefined;
    const key = property === undefined ? '' : /^\d+$/.test(property) ? `[${property}]` : property;
    const field = key === '' ? parent || '(body)' : parent === '' ? key : key.startsWith('[') ? `${parent}${key}` : `${parent}.${key}`;
    for (const [constraint, message] of reported(error.constraints ?? {})) {
      // class-validator words an `each` rule "each value in <property> must ...": the field is named already.
      const reason = REASONS[constraint] ?? message.replace(new RegExp(`^(each value in )?${error.property} `), (_all, each?: string) => (each ? 'each value ' : ''));
      out.push({ field, reason });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out.map(withRecordIndex);
}

/** A batch's errors name the index of their record (`records[2].subject.iin` -> index 2). */
export function withRecordIndex(error: FieldError): FieldError {
  const index = /^records\[(\d+)\]/.exec(error.field)?.[1];
  return index === undefined ? error : { ...error, index: Number(index) };
}

/** `prototype` and Object.prototype's members (`__proto__`, constructor, toString, hasOwnProperty...). */
const PROTOTYPE_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * Whether a key of a body or query is `prototype` or names a member of Object.prototype. Nest's ValidationPipe and
 * class-transformer drop such keys silently and class-validator's whitelist takes some for known fields
 * (`hasOwnProperty`), so they are refused up front as the unknown fields they are.
 */
export function isPrototypeKey(key: string): boolean {
  return PROTOTYPE_KEYS.has(key);
}

/** The DTO pipe, refusing query parameters named like prototype keys (bodies: see json-body.ts). */
class LedgerValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query' && this.toValidate(metadata) && typeof value === 'object' && value !== null) {
      const inherited = Object.keys(value).filter(isPrototypeKey);
      if (inherited.length > 0) throw LedgerError.invalid(inherited.map((field) => ({ field, reason: 'is not a known field' })));
    }
    return super.transform(value, metadata);
  }
}

/** Unknown fields are errors, types are checked, and nothing is coerced silently. */
export function createValidationPipe(): ValidationPipe {
  return new LedgerValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => LedgerError.invalid(flattenValidationErrors(errors)),
  });
}
