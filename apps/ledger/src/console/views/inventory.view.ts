import { codeLabel, formatDate } from '@derbes/reports';
import type { SubjectInventoryDto } from '../../subjects/subject-inventory.dto';
import { t } from '../i18n/console-i18n';
import { tableRegion } from './forms';
import { html, type Html } from './html';
import type { View } from './view';

/** What the ledger knows of each category of a person's data: only the categories it knows anything of. */
export function inventoryView(view: View, inventory: SubjectInventoryDto): Html {
  const { lang } = view;
  const day = (iso: string | null) => (iso ? formatDate(iso, lang, view.utcOffsetMinutes) : '');
  const known = inventory.categories.filter((c) => c.known);
  const rows = known.map((c) => html`<tr>
    <th scope="row">${c.number}. ${c.name}</th>
    <td>${t(lang, c.held === null ? 'notKnown' : c.held ? 'yes' : 'no')}</td>
    <td>${c.sources.map((s, i) => html`${i > 0 ? '; ' : ''}${codeLabel(lang, 'source', s.kind)}${s.name ? html`: <bdi>${s.name}</bdi>` : ''}`)}</td>
    <td>${day(c.firstProcessedAt)}</td><td>${day(c.lastProcessedAt)}</td><td>${day(c.lastChangedAt)}</td>
    <td>${c.recipients.map((r, i) => html`${i > 0 ? '; ' : ''}<bdi>${r.name ?? '—'}</bdi> (${r.country})`)}</td>
    <td>${[day(c.blockedAt), day(c.destroyedAt), day(c.depersonalizedAt)].map((d) => d || '—').join(' / ')}</td>
  </tr>`);
  return known.length === 0 ? html`<p>${t(lang, 'noEntries')}</p>` : tableRegion(t(lang, 'person.inventory'), html`<table>
    <caption>${t(lang, 'person.inventory')}</caption>
    <thead><tr><th scope="col">${t(lang, 'field.category')}</th><th scope="col">${t(lang, 'inventory.held')}</th>
    <th scope="col">${t(lang, 'inventory.sources')}</th><th scope="col">${t(lang, 'inventory.first')}</th><th scope="col">${t(lang, 'inventory.last')}</th>
    <th scope="col">${t(lang, 'inventory.changed')}</th><th scope="col">${t(lang, 'inventory.recipients')}</th><th scope="col">${t(lang, 'inventory.state')}</th></tr></thead>
    <tbody>${rows}</tbody></table>`);
}
