import type { AccessReport } from './access-report.model';
import { reportHeader, reportSections, type ReportSection } from './report-rows';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A cell's text, escaped, its lines separated by `<br>`. */
export function htmlCell(text: string): string {
  return text.split('\n').map(escapeHtml).join('<br>');
}

// Black on white and #222 on #e9e9e9 are both far above WCAG AA contrast. No web fonts: the reader's sans-serif
// (DejaVu on most Linux desktops) has every Kazakh letter. Words break only where a line cannot hold them (a hash, a
// long code), hyphenated by the page's language where the browser knows it; `anywhere` let the table shrink every
// column to a letter's width. On a narrow screen no table of many columns fits: each entry becomes a block of
// "column: value" lines, the column's name coming from the cell's data-label. Print keeps the tables.
const STYLE = `
:root { color: #000; background: #fff; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 11pt; line-height: 1.4; margin: 1.5rem auto; max-width: 80rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; border-bottom: 2px solid #000; padding-bottom: .15rem; }
h1, h2, p { overflow-wrap: break-word; hyphens: auto; }
p { margin: .25rem 0; }
.notice { border: 2px solid #000; padding: .5rem .75rem; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: 9.5pt; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid #555; padding: .25rem .4rem; text-align: left; vertical-align: top; overflow-wrap: break-word; hyphens: auto; }
thead th, tbody th { background: #e9e9e9; color: #222; }
table.fields tbody th { width: 30%; }
td.nowrap { white-space: nowrap; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media screen and (max-width: 60rem) {
  table.entries, table.entries tbody, table.entries tr, table.entries td { display: block; width: auto; }
  table.entries thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.entries tr { border: 1px solid #555; margin: 0 0 .75rem; }
  table.entries td { border: 0; border-top: 1px solid #ccc; display: flow-root; padding-left: 11.5em; }
  table.entries td:first-child { border-top: 0; }
  table.entries td::before { content: attr(data-label); float: left; width: 11em; margin-left: -11.1em; font-weight: bold; color: #222; }
  table.entries td.nowrap { white-space: normal; }
  table.fields { table-layout: fixed; }
  table.fields tbody th { width: 11em; }
}
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  table { font-size: 8pt; }
  thead { display: table-header-group; }
  tr, caption { break-inside: avoid; }
  h2 { break-after: avoid; }
}
`;

function fieldsTable(columns: readonly string[], values: readonly string[], caption: string, hidden: boolean): string {
  const rows = columns.map((label, i) => `<tr><th scope="row">${htmlCell(label)}</th><td>${htmlCell(values[i] ?? '')}</td></tr>`);
  const cap = hidden ? `<caption class="visually-hidden">${htmlCell(caption)}</caption>` : `<caption>${htmlCell(caption)}</caption>`;
  return `<table class="fields">${cap}<tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function sectionBody(section: ReportSection): string {
  if (section.rows.length === 0) return `<p>${escapeHtml(section.empty)}</p>`;
  switch (section.layout) {
    case 'fields':
      return section.rows.map((row) => fieldsTable(section.columns, row, section.title, true)).join('\n');
    case 'records':
      // The first cell titles the record (e.g. the category); the other cells are its fields.
      return section.rows.map((row) => fieldsTable(section.columns.slice(1), row.slice(1), row[0] ?? '', false)).join('\n');
    case 'table': {
      const head = section.columns.map((c) => `<th scope="col">${htmlCell(c)}</th>`).join('');
      // Each cell names its column, shown beside the value where the table is laid out as blocks (a narrow screen).
      const td = section.columns.map((label, i) => `<td${section.nowrap[i] ? ' class="nowrap"' : ''} data-label="${escapeHtml(label)}">`);
      const body = section.rows.map((row) => `<tr>${row.map((cell, i) => `${td[i] ?? '<td>'}${htmlCell(cell)}</td>`).join('')}</tr>`);
      return (
        `<table class="entries"><caption class="visually-hidden">${htmlCell(section.title)}</caption>` +
        `<thead><tr>${head}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>`
      );
    }
    default: {
      const never: never = section.layout;
      throw new RangeError(`unknown layout ${String(never)}`);
    }
  }
}

/**
 * The access report as one self-contained, print-friendly HTML5 document in the report's language: no scripts, no
 * external resources, every value from the report escaped. Shows exactly the entries of `reportSections`.
 */
export function renderAccessReportHtml(report: AccessReport): string {
  const header = reportHeader(report);
  const sections = reportSections(report).map(
    (s) =>
      `<section aria-labelledby="section-${s.id}">\n<h2 id="section-${s.id}">${escapeHtml(s.title)}</h2>\n${sectionBody(s)}\n</section>`,
  );
  const notices = header.notices.map((n) => `<p class="notice" role="note">${escapeHtml(n)}</p>`);
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(header.language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(header.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(header.title)}</h1>`,
    `<p>${escapeHtml(header.lead)}</p>`,
    `<p>${escapeHtml(header.generatedAt)}</p>`,
    `<p>${escapeHtml(header.timeZone)}</p>`,
    ...notices,
    '</header>',
    '<main>',
    ...sections,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
