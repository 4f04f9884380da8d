import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsArray, IsInt, IsString, Length, Matches, Max, Min, ValidateIf, validateSync } from 'class-validator';
import { flattenValidationErrors } from './validation';

class Sample {
  @IsInt() @Min(1) @Max(720)
  hours: number;

  @IsArray() @IsInt({ each: true, message: 'each value in categories must be a category number' })
  categories: unknown[];

  @ValidateIf((_o: unknown, v: unknown) => v !== undefined) @IsString() @Length(1, 20) @Matches(/^[a-z]*$/, { message: 'note must be lower case' })
  note?: unknown;
}

const errorsOf = (value: object) => flattenValidationErrors(validateSync(plainToInstance(Sample, value)));

describe('validation errors', () => {
  it('says only what is wrong with the type when the type is wrong', () => {
    expect(errorsOf({ hours: '5', categories: [] })).toEqual([{ field: 'hours', reason: 'must be an integer number' }]);
    expect(errorsOf({ hours: 5, categories: null })).toEqual([{ field: 'categories', reason: 'must be an array' }]);
    expect(errorsOf({ hours: 5, categories: [], note: null })).toEqual([{ field: 'note', reason: 'must be a string' }]);
  });

  it('says every other reason of a value of the right type', () => {
    expect(errorsOf({ hours: 0, categories: [], note: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' })).toEqual([
      { field: 'hours', reason: 'must not be less than 1' },
      { field: 'note', reason: 'must be lower case' },
      { field: 'note', reason: 'must be shorter than or equal to 20 characters' },
    ]);
  });

  it('words a rule on each element without repeating the field', () => {
    expect(errorsOf({ hours: 5, categories: [1, 'x'] })).toEqual([{ field: 'categories', reason: 'each value must be a category number' }]);
  });
});
