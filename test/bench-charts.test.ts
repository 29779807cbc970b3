// The SVG charts the benchmarks write.
import t from 'tap';
import { axis, barChart, escapeXml, lineChart, tickLabel } from '../bench/lib/svg.js';

t.test('log axes run in whole decades around the data', async (t) => {
  const a = axis([0.3, 42, 1700], true);
  t.same(a.ticks, [0.1, 1, 10, 100, 1000, 10000]);
  t.equal(a.lo, 0.1);
  t.equal(a.hi, 10000);
  t.same(axis([-1, 0, 5], true).ticks, [1, 10], 'values ≤ 0 cannot sit on a log axis');
});

t.test('linear axes take 1-2-5 steps from zero', async (t) => {
  t.same(axis([3, 97], false).ticks, [0, 20, 40, 60, 80, 100]);
  t.same(axis([0, 100], false, 0, 100).ticks, [0, 20, 40, 60, 80, 100]);
  const a = axis([], false);
  t.ok(a.hi > a.lo, 'no data still gives an axis');
});

t.test('tick labels', async (t) => {
  t.same([1, 10, 1500, 2e6, 3e9, 0.01, 0].map(tickLabel), ['1', '10', '1.5k', '2M', '3G', '0.01', '0']);
});

t.test('text is escaped', async (t) => {
  t.equal(escapeXml(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  const svg = lineChart({ title: 'a < b & c', xLabel: 'x', yLabel: 'y', series: [{ name: '<script>', points: [[1, 2]] }] });
  t.notMatch(svg, /<script>/);
  t.match(svg, /a &lt; b &amp; c/);
});

// Every element is closed or self-closing, and the document is one <svg>.
function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]!);
  }
  return stack.length === 0 && svg.startsWith('<svg') && svg.trimEnd().endsWith('</svg>');
}

t.test('a line chart draws each series, its points and the guides', async (t) => {
  const svg = lineChart({
    title: 'efficiency',
    xLabel: 'granularity',
    yLabel: '%',
    xLog: true,
    yMin: 0,
    yMax: 100,
    series: [
      { name: 'A', points: [[1, 10], [10, 50], [100, 90]] },
      { name: 'B', points: [[2, 5], [20, 60], [0, 70]], dashed: true },
    ],
    guides: [{ y: 50, label: '50%' }, { x: 7, label: 'METG A' }],
  });
  t.ok(wellFormed(svg));
  t.equal((svg.match(/<path /g) ?? []).length, 2, 'one line per series');
  t.equal((svg.match(/<circle /g) ?? []).length, 5, 'every point but the one at x = 0 on a log axis');
  t.match(svg, /stroke-dasharray="5 3"/);
  t.match(svg, />50%</);
  t.match(svg, />METG A</);
  t.notMatch(svg, /NaN|Infinity/);
});

t.test('a bar chart draws one bar per value with its note', async (t) => {
  const svg = barChart({ title: 't', yLabel: 'tasks/s', yLog: true, bars: [{ label: 'taskloaf', value: 850000, note: '850 k/s' }, { label: 'Dask', value: 900 }] });
  t.ok(wellFormed(svg));
  t.equal((svg.match(/<rect x="\d/g) ?? []).length, 2 + 1, 'two bars and the frame');
  t.match(svg, />850 k\/s</);
  t.match(svg, />900</);
  t.notMatch(svg, /NaN|Infinity/);
});
