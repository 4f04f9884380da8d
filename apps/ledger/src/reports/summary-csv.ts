import { summaryColumns, type SummaryReport } from './summary.query';

/** One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a quote, a comma or a line break. */
export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The summary's rows as CSV: a header row of column keys, CRLF line ends, and a UTF-8 byte order mark, without
 * which Excel reads the file in the local code page and mangles Kazakh letters.
 */
export function summaryCsv(report: SummaryReport): string {
  const columns = summaryColumns(report.groupBy);
  const lines = [columns.join(','), ...report.rows.map((row) => columns.map((column) => csvField(row[column])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
