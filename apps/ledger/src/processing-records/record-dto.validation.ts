import { validateSync, type ValidatorOptions } from 'class-validator';
import { compileValidator } from '../http/compiled-validator';
import { flattenValidationErrors } from '../http/validation';
import { LedgerError, type FieldError } from '../ledger-errors';
import {
  ActorDto,
  ProcessingRecordBatchDto,
  ProcessingRecordDto,
  RecipientDto,
  SourceDto,
  SubjectRefDto,
  TransferGroundDto,
} from './processing-record.dto';

const OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

/** The nested objects of a record and the DTO class of each. */
const NESTED: ReadonlyArray<readonly [keyof ProcessingRecordDto, new () => object]> = [
  ['subject', SubjectRefDto],
  ['actor', ActorDto],
  ['source', SourceDto],
  ['recipient', RecipientDto],
  ['transferGround', TransferGroundDto],
];

/**
 * Whether an adopted record is certainly valid (a few µs, against ~20 for validateSync); when it is not sure,
 * validateSync decides and words the errors. Exported for the differential test against validateSync.
 */
export const isCertainlyValidRecord = compileValidator([ProcessingRecordDto, ...NESTED.map(([, dto]) => dto)], OPTIONS);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Gives a parsed record and its nested objects their DTO classes in place, so that class-validator checks them
 * by the DTOs' decorators. The ingest path does this instead of class-transformer's plainToInstance, which copies
 * every object and cost ~50 µs a record, most of the batch endpoint's budget; the rules stay the DTOs' alone.
 */
function adoptRecord(value: unknown): void {
  if (!isPlainObject(value)) return;
  Object.setPrototypeOf(value, ProcessingRecordDto.prototype);
  for (const [key, dto] of NESTED) {
    const nested = value[key];
    if (isPlainObject(nested)) Object.setPrototypeOf(nested, dto.prototype);
  }
}

function validate(value: object, prefix: string): FieldError[] {
  const errors = validateSync(value, OPTIONS);
  return errors.length === 0 ? [] : flattenValidationErrors(errors, prefix);
}

function validateRecord(record: object, prefix: string): FieldError[] {
  return isCertainlyValidRecord(record) ? [] : validate(record, prefix);
}

/** Validates the body of POST /v1/processing-records against ProcessingRecordDto; throws a 400 naming each field. */
export function validateRecordBody(body: unknown): ProcessingRecordDto {
  if (!isPlainObject(body)) throw LedgerError.invalid([{ field: '(body)', reason: 'must be a JSON object: one processing record' }]);
  adoptRecord(body);
  const errors = validateRecord(body, '');
  if (errors.length > 0) throw LedgerError.invalid(errors);
  return body as unknown as ProcessingRecordDto;
}

/** Validates the body of POST /v1/processing-records/batch: the envelope, then each record; throws a 400 naming each. */
export function validateBatchBody(body: unknown): ProcessingRecordBatchDto {
  if (!isPlainObject(body)) throw LedgerError.invalid([{ field: '(body)', reason: 'must be a JSON object: { "records": [...] }' }]);
  Object.setPrototypeOf(body, ProcessingRecordBatchDto.prototype);
  const envelope = validate(body, '');
  if (envelope.length > 0) throw LedgerError.invalid(envelope);
  const errors: FieldError[] = [];
  (body.records as unknown[]).forEach((record, index) => {
    const field = `records[${index}]`;
    if (!isPlainObject(record)) {
      errors.push({ field, reason: 'must be a JSON object', index });
      return;
    }
    adoptRecord(record);
    for (const error of validateRecord(record, field)) errors.push({ ...error, index });
  });
  if (errors.length > 0) throw LedgerError.invalid(errors);
  return body as unknown as ProcessingRecordBatchDto;
}
