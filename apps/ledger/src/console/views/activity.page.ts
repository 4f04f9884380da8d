import type { ActorActivityReportDto } from '../../reports/actor-activity.dto';
import { t } from '../i18n/console-i18n';
import { inputField, tableRegion } from './forms';
import { html } from './html';
import { layout } from './layout';
import { namedCode, type View } from './view';

export function activityPage(view: View, report: ActorActivityReportDto, filters: Readonly<Record<string, string>>): string {
  const lang = view.lang;
  return layout(view, {
    title: t(lang, 'activity.title'),
    section: 'activity',
    body: html`<form class="filters" method="get" action="/console/activity">
      ${inputField('from', t(lang, 'field.from'), filters.from, { type: 'date', required: true })}
      ${inputField('to', t(lang, 'field.to'), filters.to, { type: 'date', required: true })}
      ${inputField('unit', t(lang, 'field.unit'), filters.unit)}
      ${inputField('actor', t(lang, 'field.actor'), filters.actor)}
      <p><button type="submit">${t(lang, 'apply')}</button></p>
    </form>
    <h2>${t(lang, 'activity.unusual')}</h2>
    <p class="muted">${t(lang, 'activity.rule', { ...report.rule })}</p>
    ${report.unusual.length === 0 ? html`<p>${t(lang, 'noEntries')}</p>` : tableRegion(t(lang, 'activity.unusual'), html`<table>
      <caption>${t(lang, 'activity.unusual')}</caption><thead><tr><th scope="col">${t(lang, 'activity.day')}</th><th scope="col">${t(lang, 'field.actor')}</th>
      <th scope="col">${t(lang, 'field.unit')}</th><th scope="col">${t(lang, 'activity.kind')}</th><th scope="col" class="num">${t(lang, 'activity.count')}</th><th scope="col">${t(lang, 'activity.reason')}</th></tr></thead>
      <tbody>${report.unusual.map((u) => html`<tr><td>${u.day}</td><th scope="row">${u.actorId}</th><td>${namedCode(view, 'units', u.unit)}</td>
        <td>${t(lang, u.kind === 'subjects' ? 'activity.subjects' : 'activity.sensitive')}</td><td class="num">${u.count}</td><td>${u.reason}</td></tr>`)}</tbody></table>`)}
    <h2>${t(lang, 'activity.actors')}</h2>
    ${report.actors.length === 0 ? html`<p>${t(lang, 'noEntries')}</p>` : tableRegion(t(lang, 'activity.actors'), html`<table>
      <caption>${t(lang, 'activity.actors')}</caption><thead><tr><th scope="col">${t(lang, 'field.actor')}</th><th scope="col">${t(lang, 'field.unit')}</th>
      <th scope="col" class="num">${t(lang, 'activity.subjects')}</th><th scope="col" class="num">${t(lang, 'activity.records')}</th>
      <th scope="col" class="num">${t(lang, 'activity.sensitive')}</th><th scope="col">${t(lang, 'activity.sensitiveCategories')}</th></tr></thead>
      <tbody>${report.actors.map((a) => html`<tr><th scope="row">${a.actorId} (${namedCode(view, 'roles', a.role)})</th><td>${namedCode(view, 'units', a.unit)}</td><td class="num">${a.subjects}</td>
        <td class="num">${a.records}</td><td class="num">${a.sensitiveAccesses}</td>
        <td>${a.sensitiveCategories.map((c, i) => html`${i > 0 ? '; ' : ''}${c.number}. ${c.name} (${c.records})`)}</td></tr>`)}</tbody></table>`)}`,
  });
}
