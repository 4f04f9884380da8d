import { SUMMARY_GROUP_KEYS } from '@derbes/projections';
import type { CodeKind } from '@derbes/register';
import { summaryColumns, type SummaryColumn, type SummaryReport, type SummaryRow } from '../../reports/summary.query';
import { t, type MessageKey } from '../i18n/console-i18n';
import { inputField, tableRegion } from './forms';
import { html, type Part } from './html';
import { layout } from './layout';
import { namedCode, type View } from './view';

/** What a person reads for each column and grouping key; the CSV and the API keep the column names themselves. */
const COLUMN_LABELS: { readonly [C in SummaryColumn]: MessageKey } = {
  category: 'field.category',
  categoryName: 'summary.categoryName',
  purpose: 'field.recordPurpose',
  purposeName: 'summary.purposeName',
  operation: 'field.operation',
  unit: 'field.unit',
  system: 'field.system',
  actor: 'field.actor',
  day: 'overview.day',
  month: 'summary.month',
  records: 'overview.records',
  subjects: 'overview.subjects',
};

/** The columns that hold a unit's or a system's code: shown by name here; the CSV and the API keep the codes. */
const NAMED_COLUMNS: Partial<Record<SummaryColumn, CodeKind>> = { unit: 'units', system: 'systems' };

function cell(view: View, row: SummaryRow, column: SummaryColumn): Part {
  const value = row[column];
  const kind = NAMED_COLUMNS[column];
  return kind && typeof value === 'string' ? namedCode(view, kind, value) : value ?? '';
}

export function summaryPage(view: View, report: SummaryReport, filters: { readonly from: string; readonly to: string; readonly groupBy: readonly string[] }): string {
  const lang = view.lang;
  const columns = summaryColumns(report.groupBy);
  const csv = new URLSearchParams({ from: filters.from, to: filters.to, lang });
  for (const key of filters.groupBy) csv.append('groupBy', key);
  return layout(view, {
    title: t(lang, 'summary.title'),
    section: 'summary',
    body: html`<form class="filters" method="get" action="/console/summary">
      ${inputField('from', t(lang, 'field.from'), filters.from, { type: 'date', required: true })}
      ${inputField('to', t(lang, 'field.to'), filters.to, { type: 'date', required: true })}
      <fieldset><legend>${t(lang, 'field.groupBy')}</legend>${SUMMARY_GROUP_KEYS.map((key) => html`<input type="checkbox" id="g-${key}" name="groupBy" value="${key}"${
        filters.groupBy.includes(key) ? html` checked` : ''}> <label class="inline" for="g-${key}">${t(lang, COLUMN_LABELS[key])}</label> `)}</fieldset>
      <p><button type="submit">${t(lang, 'apply')}</button></p>
    </form>
    <p>${t(lang, 'summary.totals', { records: report.totals.records, subjects: report.totals.subjects })}
      <a class="button" href="/console/summary.csv?${csv.toString()}" download>${t(lang, 'summary.csv')}</a></p>
    ${report.truncated ? html`<p class="error">${t(lang, 'summary.truncated')}</p>` : ''}
    ${report.rows.length === 0 ? html`<p>${t(lang, 'noEntries')}</p>` : tableRegion(t(lang, 'summary.title'), html`<table>
      <caption>${t(lang, 'summary.title')}</caption><thead><tr>${columns.map((c) => html`<th scope="col"${c === 'records' || c === 'subjects' ? html` class="num"` : ''}>${t(lang, COLUMN_LABELS[c])}</th>`)}</tr></thead>
      <tbody>${report.rows.map((row) => html`<tr>${columns.map((c) => html`<td${typeof row[c] === 'number' ? html` class="num"` : ''}>${cell(view, row, c)}</td>`)}</tr>`)}</tbody></table>`)}`,
  });
}
