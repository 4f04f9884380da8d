import { csvField } from './summary-csv';

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
