// Not request-deadlines.json: require('./request-deadlines') would find the JSON before this file under a TS loader.
import data from './request-deadline-defaults.json';
import { REQUEST_KINDS, type RequestKind } from './subject-request.events';

/** The default time to answer one kind of request, and where it comes from: data, unverified until checked. */
export interface RequestDeadlineRule {
  readonly workingDays: number;
  readonly verified: boolean;
  readonly basis: string;
}

function rulesOf(kinds: Readonly<Record<string, RequestDeadlineRule>>): Readonly<Record<RequestKind, RequestDeadlineRule>> {
  for (const kind of REQUEST_KINDS) {
    const rule = kinds[kind];
    if (!rule || !Number.isInteger(rule.workingDays) || rule.workingDays < 1) {
      throw new Error(`request-deadline-defaults.json: ${kind}: workingDays must be a whole number of at least 1`);
    }
  }
  return kinds as Record<RequestKind, RequestDeadlineRule>;
}

/** The defaults per request kind (request-deadline-defaults.json); configuration may set other lengths. */
export const DEFAULT_REQUEST_DEADLINES = rulesOf(data.kinds);
