import { summaryColumns, type SummaryReport } from './summary.query';

/**
 * One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a quote, a comma or a line break. A text that
 * a spreadsheet would take for a formula (it starts with = + - @, a tab or a carriage return) is written after an
 * apostrophe, as OWASP advises: the cells hold codes and register names, and a registers file is data we do not write.
 */
export function csvField(value: string | number | null | undefined): string {
  const raw = value === null || value === undefined ? '' : String(value);
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The summary's rows as CSV: a header row of column keys, CRLF line ends, and a UTF-8 byte order mark, without
 * which Excel reads the file in the local code page and mangles Kazakh letters. A summary cut at its group limit
 * ends with a row that says so (and no counts): a saved file keeps no response header.
 */
export function summaryCsv(report: SummaryReport): string {
  const columns = summaryColumns(report.groupBy);
  const lines = [columns.join(','), ...report.rows.map((row) => columns.map((column) => csvField(row[column])).join(','))];
  if (report.truncated) {
    const note = `(truncated: only the first ${report.rows.length} groups; narrow the period or group by fewer keys)`;
    lines.push([csvField(note), ...columns.slice(1).map(() => '')].join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
