import { VIOLATION_CODES } from '@derbes/ledger';
import { codeLabel, formatDateTime } from '@derbes/reports';
import type { ViolationsReportDto } from '../../reports/violations.dto';
import { t } from '../i18n/console-i18n';
import { embargoNote } from './embargo-note';
import { inputField, selectField, tableRegion } from './forms';
import { html } from './html';
import { layout } from './layout';
import { pager } from './pager';
import { namedCode, type View } from './view';

export function violationsPage(view: View, report: ViolationsReportDto, filters: Readonly<Record<string, string>>, today: string): string {
  const lang = view.lang;
  const codes = VIOLATION_CODES.map((c) => ({ value: c, label: codeLabel(lang, 'violation', c) }));
  const person = (subjectId: string) => (view.who?.personal
    ? html`<a href="/console/subjects/${subjectId}/timeline"><code class="hash">${subjectId.slice(0, 12)}</code></a>` : html`<code class="hash">${subjectId.slice(0, 12)}</code>`);
  return layout(view, {
    title: t(lang, 'violations.title'),
    section: 'violations',
    body: html`<form class="filters" method="get" action="/console/violations">
      ${selectField('code', t(lang, 'field.code'), codes, filters.code, t(lang, 'any'))}
      ${inputField('unit', t(lang, 'field.unit'), filters.unit)}
      ${inputField('system', t(lang, 'field.system'), filters.system)}
      ${inputField('actor', t(lang, 'field.actor'), filters.actor)}
      ${inputField('from', t(lang, 'field.from'), filters.from, { type: 'date' })}
      ${inputField('to', t(lang, 'field.to'), filters.to, { type: 'date' })}
      <p><button type="submit">${t(lang, 'apply')}</button> <a href="/console/violations">${t(lang, 'reset')}</a></p>
    </form>
    <p>${t(lang, 'violations.counts', { reasons: report.counts.reasons, records: report.counts.records })}</p>
    <div class="cards">
      <section class="card" aria-labelledby="by-reason-h"><h2 id="by-reason-h">${t(lang, 'violations.byReason')}</h2>
        <ul>${Object.entries(report.counts.byReason).map(([code, n]) => html`<li>${codeLabel(lang, 'violation', code)}: <strong>${n}</strong></li>`)}</ul></section>
      <section class="card" aria-labelledby="by-unit-h"><h2 id="by-unit-h">${t(lang, 'violations.byUnit')}</h2>
        <ul>${Object.entries(report.counts.byUnit).map(([unit, n]) => html`<li>${namedCode(view, 'units', unit)}: <strong>${n}</strong></li>`)}</ul></section>
    </div>
    ${report.items.length === 0 ? html`<p>${t(lang, 'noEntries')}</p>` : tableRegion(t(lang, 'violations.title'), html`<table>
      <caption>${t(lang, 'violations.title')}</caption><thead><tr><th scope="col">${t(lang, 'timeline.when')}</th><th scope="col">${t(lang, 'field.code')}</th>
      <th scope="col">${t(lang, 'violations.detail')}</th><th scope="col">${t(lang, 'field.operation')}</th><th scope="col">${t(lang, 'timeline.who')}</th>
      <th scope="col">${t(lang, 'field.system')}</th><th scope="col">${t(lang, 'requests.subject')}</th></tr></thead>
      <tbody>${report.items.map((v) => html`<tr><td>${formatDateTime(v.occurredAt, lang, view.utcOffsetMinutes)}</td>
        <td class="bad">${codeLabel(lang, 'violation', v.code)}</td><td>${v.detail}${embargoNote(view, v.embargoUntil, today)}</td><td>${codeLabel(lang, 'op', v.operation)} (${v.purpose})</td>
        <td>${v.actor.id} (${namedCode(view, 'units', v.actor.unit)})</td><td>${namedCode(view, 'systems', v.system)}</td><td>${person(v.subjectId)}</td></tr>`)}</tbody></table>`)}
    ${pager(view, report.nextCursor)}`,
  });
}
