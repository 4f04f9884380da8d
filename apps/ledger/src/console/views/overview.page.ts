import { codeLabel, formatDateTime } from '@derbes/reports';
import type { ActorActivityReportDto } from '../../reports/actor-activity.dto';
import { sourceSystemAlertText } from '../../reports/source-system-alert.text';
import type { SourceSystemsReport } from '../../reports/source-systems.query';
import type { ViolationsReportDto } from '../../reports/violations.dto';
import type { QueueItem } from '../../subject-requests/request-queue.query';
import { t } from '../i18n/console-i18n';
import { dailyChart, CHART_SCRIPTS, type DailySeries } from './chart';
import { tableRegion } from './forms';
import { html, type Html } from './html';
import { layout } from './layout';
import { standing } from './requests.page';
import { namedCode, type View } from './view';

export interface Ranked {
  readonly code: string;
  readonly name: string;
  readonly records: number;
}

export interface OverviewInput {
  readonly perDay: DailySeries;
  readonly topCategories: readonly Ranked[];
  readonly topPurposes: readonly Ranked[];
  readonly violations: ViolationsReportDto;
  readonly unusual: ActorActivityReportDto['unusual'];
  readonly systems: SourceSystemsReport['systems'];
  /** When the systems' silence was judged. */
  readonly systemsAt: string;
  readonly dueToday: readonly QueueItem[];
  readonly overdue: readonly QueueItem[];
  /** When the aggregates were computed, and how often they may be computed again. */
  readonly asOf: string;
  readonly refreshSeconds: number;
}

function ranking(view: View, title: string, id: string, column: string, items: readonly Ranked[]): Html {
  const max = Math.max(1, ...items.map((i) => i.records));
  return html`<section class="card" aria-labelledby="${id}"><h2 id="${id}">${title}</h2>
    ${items.length === 0 ? html`<p>${t(view.lang, 'noEntries')}</p>` : tableRegion(title, html`<table><caption>${title}</caption><thead><tr>
      <th scope="col">${column}</th><th scope="col" class="num">${t(view.lang, 'overview.records')}</th><th scope="col"><span class="sr-only">%</span></th></tr></thead>
      <tbody>${items.map((i) => html`<tr><th scope="row">${i.code}. ${i.name}</th><td class="num">${i.records}</td>
        <td><meter min="0" max="${max}" value="${i.records}" aria-label="${i.records}"></meter></td></tr>`)}</tbody></table>`)}</section>`;
}

function requests(view: View, title: string, id: string, items: readonly QueueItem[]): Html {
  return html`<section class="card" aria-labelledby="${id}"><h2 id="${id}">${title}</h2>
    ${items.length === 0 ? html`<p>${t(view.lang, 'noEntries')}</p>` : html`<ul>${items.slice(0, 10).map((r) =>
      html`<li>${codeLabel(view.lang, 'request', r.kind)}: <span${r.overdue ? html` class="bad"` : ''}>${standing(view.lang, r)}</span></li>`)}</ul>`}
    <p><a href="/console/requests">${t(view.lang, 'overview.allRequests')}</a></p></section>`;
}

export function overviewPage(view: View, input: OverviewInput): string {
  const lang = view.lang;
  const time = (iso: string) => formatDateTime(iso, lang, view.utcOffsetMinutes);
  const silent = input.systems.flatMap((s) => s.alerts.filter((a) => a.kind === 'silent' || a.kind === 'never-reported')
    .map((a) => ({ system: s.system, text: sourceSystemAlertText(s, a, input.systemsAt, lang, time) })));
  return layout(view, {
    title: t(lang, 'overview.title'),
    section: 'overview',
    scripts: CHART_SCRIPTS,
    body: html`<p class="muted">${t(lang, 'overview.asOf', { at: formatDateTime(input.asOf, lang, view.utcOffsetMinutes), seconds: input.refreshSeconds })}</p>
    <section aria-labelledby="per-day-h"><h2 id="per-day-h">${t(lang, 'overview.perDay')}</h2>${dailyChart(view, input.perDay)}</section>
    <div class="cards">
      ${requests(view, t(lang, 'overview.dueToday'), 'due-h', input.dueToday)}
      ${requests(view, t(lang, 'overview.overdue'), 'overdue-h', input.overdue)}
      <section class="card" aria-labelledby="violations-h"><h2 id="violations-h">${t(lang, 'overview.violations')}</h2>
        <p>${t(lang, 'violations.counts', { reasons: input.violations.counts.reasons, records: input.violations.counts.records })}</p>
        ${Object.keys(input.violations.counts.byReason).length > 0 ? html`<ul>${Object.entries(input.violations.counts.byReason).map(([code, n]) =>
          html`<li>${codeLabel(lang, 'violation', code)}: <strong>${n}</strong></li>`)}</ul>` : ''}
        <p><a href="/console/violations">${t(lang, 'overview.allViolations')}</a></p></section>
      <section class="card" aria-labelledby="unusual-h"><h2 id="unusual-h">${t(lang, 'overview.unusual')}</h2>
        ${input.unusual.length === 0 ? html`<p>${t(lang, 'noEntries')}</p>` : html`<ul>${input.unusual.slice(0, 10).map((u) =>
          html`<li><strong>${u.actorId}</strong> (${namedCode(view, 'units', u.unit)}), ${u.day}: ${u.reason}</li>`)}</ul>`}
        <p><a href="/console/activity">${t(lang, 'nav.activity')}</a></p></section>
      <section class="card" aria-labelledby="silent-h"><h2 id="silent-h">${t(lang, 'overview.silent')}</h2>
        ${silent.length === 0 ? html`<p>${t(lang, 'noEntries')}</p>` : html`<ul>${silent.map((s) => html`<li><strong>${namedCode(view, 'systems', s.system)}</strong>: ${s.text}</li>`)}</ul>`}</section>
    </div>
    <div class="cards">
      ${ranking(view, t(lang, 'overview.topCategories'), 'categories-h', t(lang, 'field.category'), input.topCategories)}
      ${ranking(view, t(lang, 'overview.topPurposes'), 'purposes-h', t(lang, 'field.recordPurpose'), input.topPurposes)}
    </div>`,
  });
}

