import { t } from '../i18n/console-i18n';
import { tableRegion } from './forms';
import { Html, html } from './html';
import type { View } from './view';

export interface DailySeries {
  readonly id: string;
  readonly label: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly days: readonly string[];
  readonly series: readonly { readonly label: string; readonly values: readonly number[] }[];
}

/** Where the charts' scripts are: uPlot and the console's own, both served by the ledger. */
export const CHART_SCRIPTS = ['/console/assets/uplot.js', '/console/assets/charts.js'] as const;

/**
 * A chart of daily counts drawn in the browser (uPlot), with the same figures as a table below it: the chart is an
 * image to screen readers, the table is what they read, and what anyone sees without scripts.
 */
export function dailyChart(view: View, chart: DailySeries): Html {
  // JSON in a data block is not run (the content policy allows only the console's own scripts); < is escaped so that
  // no text in it can close the element.
  // English days as the console writes them elsewhere, day first (30 Aug), not en-US's Aug 30.
  const data = JSON.stringify({ lang: view.lang === 'en' ? 'en-GB' : view.lang, days: chart.days, series: chart.series, xLabel: chart.xLabel, yLabel: chart.yLabel }).replace(/</g, '\\u003c');
  const active = chart.days.map((day, i) => ({ day, values: chart.series.map((s) => s.values[i] ?? 0) })).filter((d) => d.values.some((v) => v > 0));
  return html`<div class="chart" data-chart="${chart.id}-data" role="img" aria-label="${chart.label}"></div>
  <script type="application/json" id="${chart.id}-data">${new Html(data)}</script>
  <details><summary>${t(view.lang, 'chart.fallback')}</summary>
  ${active.length === 0 ? html`<p>${t(view.lang, 'noEntries')}</p>` : tableRegion(chart.label, html`<table><caption>${chart.label}</caption><thead><tr>
    <th scope="col">${chart.xLabel}</th>${chart.series.map((s) => html`<th scope="col" class="num">${s.label}</th>`)}</tr></thead>
    <tbody>${active.map((d) => html`<tr><th scope="row">${d.day}</th>${d.values.map((v) => html`<td class="num">${v}</td>`)}</tr>`)}</tbody></table>`)}
  </details>`;
}
