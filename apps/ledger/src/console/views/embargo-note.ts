import { formatDate } from '@derbes/reports';
import { t } from '../i18n/console-i18n';
import { html, type Html } from './html';
import type { View } from './view';

/**
 * That a record is withheld from its subject's own access report, and until when (its `embargoUntil`, a local date
 * shown as it is), on a line of its own in the record's cell; nothing for a record without an embargo. Officials
 * must see it: the subject does not.
 */
export function embargoNote(view: Pick<View, 'lang' | 'utcOffsetMinutes'>, embargoUntil: string | null): Html | null {
  if (embargoUntil === null) return null;
  return html`<br><strong class="embargo">${t(view.lang, 'embargo.withheldUntil', { date: formatDate(embargoUntil, view.lang, view.utcOffsetMinutes) })}</strong>`;
}
