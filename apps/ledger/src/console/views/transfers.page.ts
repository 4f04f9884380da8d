import { codeLabel, formatDateTime } from '@derbes/reports';
import type { TransfersReport } from '../../reports/transfers.query';
import { t } from '../i18n/console-i18n';
import { embargoNote } from './embargo-note';
import { inputField, selectField, tableRegion } from './forms';
import { html } from './html';
import { layout } from './layout';
import { pager } from './pager';
import { namedCode, type View } from './view';

export function transfersPage(view: View, report: TransfersReport, filters: Readonly<Record<string, string>>, today: string): string {
  const lang = view.lang;
  const abroad = [{ value: 'true', label: t(lang, 'yes') }, { value: 'false', label: t(lang, 'no') }];
  return layout(view, {
    title: t(lang, 'transfers.title'),
    section: 'transfers',
    body: html`<form class="filters" method="get" action="/console/transfers">
      ${inputField('from', t(lang, 'field.from'), filters.from, { type: 'date', required: true })}
      ${inputField('to', t(lang, 'field.to'), filters.to, { type: 'date', required: true })}
      ${selectField('crossBorder', t(lang, 'field.crossBorder'), abroad, filters.crossBorder, t(lang, 'any'))}
      ${inputField('country', t(lang, 'field.country'), filters.country, { extra: html` maxlength="2" pattern="[A-Za-z]{2}"` })}
      <p><button type="submit">${t(lang, 'apply')}</button></p>
    </form>
    <p>${t(lang, 'transfers.totals', { total: report.totals.transfers, crossBorder: report.totals.crossBorder })}.
      ${t(lang, 'transfers.toPersons', { count: report.totals.toPersons })}</p>
    ${Object.keys(report.totals.byCountry).length > 0 ? html`<p>${t(lang, 'transfers.byCountry')}: ${Object.entries(report.totals.byCountry).map(([c, n], i) =>
      html`${i > 0 ? ', ' : ''}${c} <strong>${n}</strong>`)}</p>` : ''}
    ${report.items.length === 0 ? html`<p>${t(lang, 'noEntries')}</p>` : tableRegion(t(lang, 'transfers.title'), html`<table>
      <caption>${t(lang, 'transfers.title')}</caption><thead><tr><th scope="col">${t(lang, 'timeline.when')}</th><th scope="col">${t(lang, 'transfers.recipient')}</th>
      <th scope="col">${t(lang, 'transfers.country')}</th><th scope="col">${t(lang, 'field.category')}</th><th scope="col">${t(lang, 'field.recordPurpose')}</th>
      <th scope="col">${t(lang, 'timeline.who')}</th><th scope="col">${t(lang, 'field.system')}</th><th scope="col">${t(lang, 'field.code')}</th></tr></thead>
      <tbody>${report.items.map((x) => html`<tr><td>${formatDateTime(x.occurredAt, lang, view.utcOffsetMinutes)}</td>
        <td>${x.recipient.kind === 'person' ? t(lang, 'transfers.person') : x.recipient.name ?? '—'}${embargoNote(view, x.embargoUntil, today)}</td><td>${x.recipient.country}${x.crossBorder ? html` <strong>(${t(lang, 'field.crossBorder')})</strong>` : ''}</td>
        <td>${x.categories.map((c, i) => html`${i > 0 ? '; ' : ''}${c.number}. ${c.name ?? ''}`)}</td><td>${x.purpose.code}: ${x.purpose.name ?? ''}</td>
        <td>${x.actor.id} (${namedCode(view, 'units', x.actor.unit)})</td><td>${namedCode(view, 'systems', x.system)}</td><td>${x.violations.map((v) => html`<span class="bad">${codeLabel(lang, 'violation', v)}</span> `)}</td></tr>`)}</tbody></table>`)}
    ${pager(view, report.nextCursor)}`,
  });
}
