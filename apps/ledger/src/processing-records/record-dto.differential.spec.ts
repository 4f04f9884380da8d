import { validateSync } from 'class-validator';
import { Rng, validIins } from '../../../../test/support/fuzz-generators';
import { mutateBody } from '../../../../test/support/fuzz-mutations';
import { validRecord, type FuzzWorld } from '../../../../test/support/fuzz-requests';
import { shapeProblem } from '../http/json-body';
import { flattenValidationErrors } from '../http/validation';
import { LedgerError, type FieldError } from '../ledger-errors';
import { ProcessingRecordDto } from './processing-record.dto';
import { isCertainlyValidRecord, validateBatchBody, validateRecordBody } from './record-dto.validation';

/**
 * The compiled check against validateSync, on records as the ingest path sees them (parsed, past the body
 * parser's shape check, adopted in place): it must never say "valid" where validateSync finds an error, and it
 * must say so wherever validateSync finds none, or it is no fast path.
 */
const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } };
const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';
/** Of version 8, the ledger's own ids: a UUID the DTO refuses. */
const LEDGER_UUID = '0f8fad5b-d9cb-869f-a165-70867728950e';

function fullRecord(): Record<string, unknown> {
  return {
    recordId: UUID, operation: 'transfer', subject: { iin: '791028302728' }, categories: [1, 'medical-results'], purpose: 'P01',
    actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' }, system: 'hr-portal', occurredAt: '2026-11-20T09:30:00Z',
    source: { kind: 'state-database', name: 'State database "Individuals"' },
    recipient: { name: 'Unified accumulative pension fund', country: 'KZ', kind: 'organization' },
    transferGround: { kind: 'consent', reference: 'consent 2026-118' }, note: 'competition file', embargoUntil: '2027-03-01',
    sourceSequence: 1042,
  };
}

const PATHS = [
  'recordId', 'operation', 'subject', 'subject.iin', 'categories', 'categories.0', 'categories.1', 'purpose', 'actor', 'actor.id', 'actor.role',
  'actor.unit', 'system', 'occurredAt', 'source', 'source.kind', 'source.name', 'recipient', 'recipient.name', 'recipient.country',
  'recipient.kind', 'transferGround', 'transferGround.kind', 'transferGround.reference', 'note', 'embargoUntil', 'sourceSequence',
];
const REMOVE = Symbol('remove');

/** A copy made as the body parser makes objects: structuredClone's come from outside jest's realm, no plain objects here. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
const VALUES: readonly unknown[] = [
  REMOVE, null, '', 'x', ' ', 'a b', 'A'.repeat(41), 'a'.repeat(65), 'a'.repeat(101), 'a'.repeat(201), 'a'.repeat(301), 'a'.repeat(2001),
  '\u0000x', 'x\u007f', '\t\n', 'Айгерим.К', 'hr/17', '-x', 'hг-17', 'cafe\u0301', 'hr-１７', 'ｈr', 'Kazpost\u200b', 'Kаzpost', 'АО «Казпочта» № 1', 0, 1, -1, 1.5, 31, 1000, true, false, [], ['x'], [1], {}, { a: 1 }, [{}],
  2 ** 53 - 1, 2 ** 53, 1e21, { iin: '791028302728' }, { kind: 'subject' }, 'KZ', 'kz', 'KAZ', '2027-03-01', '2027-3-1', UUID, UUID.toUpperCase(), LEDGER_UUID, LEDGER_UUID.toUpperCase(), 'not-a-uuid',
  'collect', 'transfer', 'access', 'subject', 'organization', 'person', 'consent', 'medical-results', 'Medical', '791028302728', 'P01',
];

function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = root as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys[keys.length - 1] as string;
  if (value === REMOVE) delete node[last];
  else node[last] = copy(value);
}

/** Records changed one field at a time (every path by every value), and given unknown keys at every level. */
function* systematicRecords(): Generator<unknown> {
  yield fullRecord();
  for (const path of PATHS) {
    for (const value of VALUES) {
      const record = fullRecord();
      setPath(record, path, value);
      yield record;
    }
  }
  for (const at of ['', 'subject', 'actor', 'source', 'recipient', 'transferGround']) {
    for (const key of ['extra', 'Note', 'iin', 'kind', '']) {
      const record = fullRecord();
      setPath(record, at === '' ? key : `${at}.${key}`, 1);
      yield record;
    }
  }
}

const rng = new Rng(20261125);
const world: FuzzWorld = { iins: validIins(rng, 20), bodyLimit: 1_000_000, recorded: [], openRequests: [], closedRequests: [], lastPosition: 0 };

/** The fuzz suite's valid records, and the same mutated: wrong types, hostile strings, odd keys, arrays, nesting... */
function* fuzzedRecords(count: number): Generator<{ record: unknown; valid: boolean }> {
  for (let i = 0; i < count; i++) {
    const valid = validRecord(rng, world);
    yield { record: copy(valid), valid: true };
    const mutated = mutateBody(rng, valid, world.iins, world.bodyLimit);
    if (typeof mutated.payload !== 'string') continue;
    try {
      yield { record: JSON.parse(mutated.payload), valid: false };
    } catch {
      // not JSON: the body parser's 400, never validated
    }
  }
}

/** What validateSync says of a record once validateRecordBody has adopted it; null when it is no object at all. */
function verdicts(record: unknown): { fast: boolean; errors: FieldError[] } | null {
  if (typeof record !== 'object' || record === null || Array.isArray(record) || shapeProblem(record) !== null) return null;
  let thrown: unknown = null;
  try {
    validateRecordBody(record);
  } catch (error) {
    thrown = error;
  }
  const fast = isCertainlyValidRecord(record);
  const errors = flattenValidationErrors(validateSync(record, OPTIONS));
  expect(thrown === null ? [] : (thrown as LedgerError).errors).toEqual(errors);
  return { fast, errors };
}

describe('the compiled record check against validateSync', () => {
  it('agrees on every record changed one field or key at a time', () => {
    let valid = 0;
    let invalid = 0;
    for (const record of systematicRecords()) {
      const v = verdicts(record);
      if (v === null) continue;
      if (v.errors.length > 0 && v.fast) throw new Error(`said valid, validateSync found ${JSON.stringify(v.errors)} in ${JSON.stringify(record)}`);
      if (v.errors.length === 0 && !v.fast) throw new Error(`not sure of a valid record: ${JSON.stringify(record)}`);
      if (v.fast) valid++;
      else invalid++;
    }
    expect(valid).toBeGreaterThan(200);
    expect(invalid).toBeGreaterThan(800);
  });

  it('agrees on 3,000 fuzzed records and their mutations, and takes every unmutated one', () => {
    let mutatedButValid = 0;
    let invalid = 0;
    for (const { record, valid } of fuzzedRecords(3000)) {
      const v = verdicts(record);
      if (v === null) continue;
      if (v.errors.length > 0 && v.fast) throw new Error(`said valid, validateSync found ${JSON.stringify(v.errors)} in ${JSON.stringify(record)}`);
      if (v.errors.length === 0 && !v.fast) throw new Error(`not sure of a valid record: ${JSON.stringify(record)}`);
      if (valid) expect(v.fast).toBe(true);
      else if (v.fast) mutatedButValid++;
      else invalid++;
    }
    expect(invalid).toBeGreaterThan(1000);
    expect(mutatedButValid).toBeGreaterThan(0);
  });

  it('leaves a batch with the errors validateSync gives each record, by index', () => {
    const records = [...fuzzedRecords(200)].map((x) => x.record).filter((r) => shapeProblem(r) === null);
    const body = { records };
    let thrown: unknown = null;
    try {
      validateBatchBody(body);
    } catch (error) {
      thrown = error;
    }
    const expected = records.flatMap((record, index) => {
      const field = `records[${index}]`;
      if (!(record instanceof ProcessingRecordDto)) {
        return [{ field, reason: 'must be a JSON object', index }];
      }
      return flattenValidationErrors(validateSync(record, OPTIONS), field).map((error) => ({ ...error, index }));
    });
    expect(expected.length).toBeGreaterThan(0);
    expect((thrown as LedgerError).errors).toEqual(expected);
  });

  it('takes a batch of valid records without an error', () => {
    const records = Array.from({ length: 100 }, () => validRecord(rng, world));
    expect(validateBatchBody({ records }).records).toHaveLength(100);
    expect(records.every((record) => isCertainlyValidRecord(record))).toBe(true);
  });
});
