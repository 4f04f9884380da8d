import type { DeadlineCounting, DeadlineFirstDay } from '@derbes/ledger';
import type { ReportLanguage, ReportRights } from './access-report.model';

/**
 * How the report tells the counting of the days: the text of the rule the request desk counts with (the data's own, or
 * the one DERBES_DEADLINE_FIRST_DAY sets), so that the subject reads the rule their deadline follows. Verified only
 * when it is the data's rule and the data says that one was checked: a rule set by the holder nobody checked.
 */
export function countingInForce(counting: DeadlineCounting, firstDay: DeadlineFirstDay, lang: ReportLanguage): ReportRights['counting'] {
  return { text: counting.text[firstDay][lang], verified: counting.verified && firstDay === counting.firstDay };
}
