import { csvField, summaryCsv } from './summary-csv';
import type { SummaryReport } from './summary.query';

describe('summary CSV fields', () => {
  it('quotes a field that holds a quote, a comma or a line break, doubling its quotes', () => {
    expect(['P01', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', 'Әлихан'].map(csvField)).toEqual(['P01', '"a,b"', '"say ""hi"""', '"two\nlines"', '"cr\r"', 'Әлихан']);
  });

  it('writes no formula: a text starting with = + - @, a tab or a carriage return gets an apostrophe first', () => {
    expect(['=1+1', '+7 701', '-x', '@SUM(A1)', '\tx', '=HYPERLINK("http://x","y")'].map(csvField))
      .toEqual(["'=1+1", "'+7 701", "'-x", "'@SUM(A1)", "'\tx", `"'=HYPERLINK(""http://x"",""y"")"`]);
  });

  it('writes numbers and empty values as they are, negative numbers included', () => {
    expect([0, 42, -3, null, undefined, ''].map(csvField)).toEqual(['0', '42', '-3', '', '', '']);
  });
});

describe('summary CSV', () => {
  const report = (truncated: boolean): SummaryReport => ({
    from: '2026-11-01', to: '2026-11-30', utcOffsetMinutes: 300, groupBy: ['unit'], lang: 'en', position: 9,
    rows: [{ unit: 'personnel-management', records: 3, subjects: 2 } as never], totals: { records: 3, subjects: 2 }, truncated,
  });

  it('ends a summary cut at its group limit with a row saying so, and a whole one with its last group', () => {
    expect(summaryCsv(report(false))).toBe('\uFEFFunit,records,subjects\r\npersonnel-management,3,2\r\n');
    expect(summaryCsv(report(true))).toBe('\uFEFFunit,records,subjects\r\npersonnel-management,3,2\r\n'
      + '(truncated: only the first 1 groups; narrow the period or group by fewer keys),,\r\n');
  });
});
