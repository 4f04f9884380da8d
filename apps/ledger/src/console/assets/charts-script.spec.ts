import { runInNewContext } from 'node:vm';
import { CHARTS_SCRIPT } from './charts-script';

/** Runs the browser script against a page holding one chart's data, with uPlot replaced by a recorder of its options. */
function chartOptions(lang: string): { axes: Array<{ values?: (u: unknown, splits: number[]) => string[] }>; series: Array<{ value?: (u: unknown, v: number | null) => string }> } {
  const made: unknown[] = [];
  const data = { lang, days: ['2026-08-30', '2026-11-23'], series: [{ label: 'Records', values: [3, 4] }], xLabel: 'Day', yLabel: 'Records' };
  const target = { clientWidth: 600, getAttribute: () => 'per-day-data' };
  runInNewContext(CHARTS_SCRIPT, {
    Intl, Date, JSON, Math,
    document: { getElementById: () => ({ textContent: JSON.stringify(data) }), querySelectorAll: () => [target] },
    window: { addEventListener: () => undefined },
    uPlot: function uPlot(options: unknown) { made.push(options); return { setSize: () => undefined }; },
  });
  return made[0] as ReturnType<typeof chartOptions>;
}

const seconds = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

describe('the console charts script', () => {
  it("writes the days on the axis and in the legend in the page's language, never uPlot's English month/day", () => {
    const splits = [seconds('2026-08-30'), seconds('2026-11-23')];
    for (const [lang, expected] of [['ru', ['30 авг.', '23 нояб.']], ['en-GB', ['30 Aug', '23 Nov']], ['kk', [new Intl.DateTimeFormat('kk', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date('2026-08-30T00:00:00Z'))]]] as const) {
      const options = chartOptions(lang);
      expect(options.axes[0]!.values!(null, splits).slice(0, expected.length)).toEqual(expected);
      expect(options.series[0]!.value!(null, splits[0]!)).toBe(expected[0]);
      expect(options.series[0]!.value!(null, null)).toBe('—');
    }
    expect(chartOptions('kk').axes[0]!.values!(null, [seconds('2026-08-30')])[0]).not.toMatch(/^8\/30$|Aug/);
  });
});
