/**
 * The browser script of the console's charts: it draws, with uPlot, each `[data-chart]` element from the JSON in
 * the element its `data-chart` names. Pages carry the same figures as a table, so nothing depends on it.
 */
export const CHARTS_SCRIPT = `
(function () {
  'use strict';
  var COLOURS = ['#0b4f9c', '#b35c00', '#1e6b3a', '#a4161a', '#6a3d9a', '#00707a', '#7a5c00', '#4a5360'];
  function draw(target) {
    var source = document.getElementById(target.getAttribute('data-chart'));
    if (!source || typeof uPlot !== 'function') return;
    var data = JSON.parse(source.textContent);
    var xs = data.days.map(function (d) { return Date.parse(d + 'T00:00:00Z') / 1000; });
    var width = Math.max(280, target.clientWidth);
    // Days in the page's language (uPlot's own axis writes 8/30 or Sep, in English): a day is midnight UTC here.
    var day = new Intl.DateTimeFormat(data.lang, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    var dayOf = function (seconds) { return seconds == null ? '—' : day.format(new Date(seconds * 1000)); };
    var options = {
      width: width, height: 300,
      scales: { x: { time: true } },
      axes: [{ values: function (u, splits) { return splits.map(dayOf); } }, { label: data.yLabel }],
      series: [{ label: data.xLabel, value: function (u, seconds) { return dayOf(seconds); } }].concat(data.series.map(function (s, i) {
        return { label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2, points: { show: false } };
      })),
    };
    var plot = new uPlot(options, [xs].concat(data.series.map(function (s) { return s.values; })), target);
    window.addEventListener('resize', function () { plot.setSize({ width: Math.max(280, target.clientWidth), height: 300 }); });
  }
  document.querySelectorAll('[data-chart]').forEach(draw);
})();
`;
