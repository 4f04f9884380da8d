import { addCalendarDays } from './iso-date';

/** Days between the first official publication and entry into force (Order 328-Ө cl. 6, the usual Adilet rule). */
export const DAYS_AFTER_PUBLICATION = 10;

/**
 * First day in force of an act that "enters into force upon expiry of ten calendar days after the day of its first
 * official publication": publication date + 10 calendar days (published 2017-11-21, in force from 2017-12-01).
 * Pure calendar arithmetic on ISO dates, no time zones. Throws RangeError if `publicationDate` is not a real
 * YYYY-MM-DD date.
 */
export function effectiveFromPublication(publicationDate: string): string {
  return addCalendarDays(publicationDate, DAYS_AFTER_PUBLICATION);
}
