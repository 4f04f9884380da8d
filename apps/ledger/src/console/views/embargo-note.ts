import { formatDate } from '@derbes/reports';
import { t } from '../i18n/console-i18n';
import { html, type Html } from './html';
import type { View } from './view';

/**
 * That a record is withheld from its subject's own access report, and until when (its `embargoUntil`, a local date
 * shown as it is), on a line of its own in the record's cell; nothing for a record without an embargo. Officials
 * must see it: the subject does not. An embargo that has ended (its date is `today`, the ledger's local date, or
 * earlier: the report shows the record from that day, as isWithheld decides) is said to have ended, so that an
 * official does not take a record the person can now see for one still hidden from them.
 */
export function embargoNote(view: Pick<View, 'lang' | 'utcOffsetMinutes'>, embargoUntil: string | null, today: string): Html | null {
  if (embargoUntil === null) return null;
  const date = formatDate(embargoUntil, view.lang, view.utcOffsetMinutes);
  return embargoUntil > today
    ? html`<br><strong class="embargo">${t(view.lang, 'embargo.withheldUntil', { date })}</strong>`
    : html`<br><span class="embargo-ended">${t(view.lang, 'embargo.endedOn', { date })}</span>`;
}
