import data from './data/retention-periods.json';
import type { Names } from './register.model';

/** The storage period of an owner's personnel data and its legal basis, as data: unverified until checked. */
export interface RetentionPeriod {
  readonly period: Names;
  readonly basis: Names;
  readonly verified: boolean;
}

const PERIODS: Readonly<Record<string, RetentionPeriod>> = data.owners;

/** The owner's storage period, or undefined when the data has none for it. */
export function retentionFor(owner: string): RetentionPeriod | undefined {
  return PERIODS[owner];
}
