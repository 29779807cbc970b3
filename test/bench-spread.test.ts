// A figure's spread over its runs, what counts as wide, and which try of a
// rerun benchmark is kept.
import t from 'tap';
import { figure, formatSpread, formatValue, keptTry, quantile, spread, spreadTable, widestJudged, WIDE_RATIO } from '../bench/lib/spread.js';

t.test('median, quartiles, min, max and max/min of the runs', async (t) => {
  t.strictSame(spread([5, 1, 3, 2, 4]), { n: 5, median: 3, min: 1, max: 5, q1: 2, q3: 4, ratio: 5, wide: true });
  t.strictSame(spread([10, 12]), { n: 2, median: 11, min: 10, max: 12, q1: 10.5, q3: 11.5, ratio: 1.2, wide: false });
  t.equal(quantile([1, 2, 3, 4], 0.25), 1.75, 'type 7 quantile between order statistics');
  t.strictSame(spread([7]), { n: 1, median: 7, min: 7, max: 7, q1: 7, q3: 7, ratio: 1, wide: false });
});

t.test('wide is max/min over the stated ratio, not at it', async (t) => {
  t.equal(WIDE_RATIO, 1.5);
  t.equal(spread([2, 3]).wide, false, 'exactly 1.5');
  t.equal(spread([2, 3.01]).wide, true);
  t.equal(spread([2, 3.01], 2).wide, false, 'a wider threshold');
});

t.test('runs that are not finite are left out; none at all is an error', async (t) => {
  t.equal(spread([NaN, 4, Infinity, 2]).n, 2);
  t.throws(() => spread([NaN]), /at least one finite run/);
});

t.test('a figure at or below zero has no ratio and is never wide', async (t) => {
  const s = spread([0, 0.02, 0.01]);
  t.equal(s.ratio, null);
  t.equal(s.wide, false);
  t.equal(s.median, 0.01);
});

t.test('values print in their unit', async (t) => {
  t.equal(formatValue(5.4512, 'µs'), '5.45 µs');
  t.equal(formatValue(2450, 'µs'), '2.45 ms');
  t.equal(formatValue(861_000, '/s'), '861 k/s');
  t.equal(formatValue(1_250_000, '/s'), '1.25 M/s');
  t.equal(formatValue(0.943, '%'), '94.3%');
  t.equal(formatValue(31 * 2 ** 20, 'MiB'), '31.0 MiB');
  t.equal(formatValue(23.31, '×'), '23.3×');
  t.equal(formatValue(0.0123, 's'), '0.012 s');
});

t.test('a figure prints as median (min – max, runs), flagged when wide', async (t) => {
  const f = figure({ label: 'rt', unit: 'µs', better: 'lower', runs: [5, 6, 9] });
  t.equal(formatSpread(f), '6.00 µs (5.00 µs – 9.00 µs, 3 runs) **wide**');
  t.equal(formatSpread(figure({ label: 'rt', unit: 'µs', better: 'lower', runs: [5] })), '5.00 µs (1 run)');
});

t.test('the spread table lists every figure and names the wide ones', async (t) => {
  const table = spreadTable({
    a: figure({ label: 'round trip', unit: 'µs', better: 'lower', runs: [5, 5.5], headline: true }),
    b: figure({ label: 'lag', unit: 'ms', better: 'lower', runs: [1, 4] }),
  });
  t.match(table, /wide over 1\.5: lag\)/);
  const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| figure'));
  t.strictSame(rows, ['| round trip (headline) | 5.25 µs | 5.00 µs – 5.50 µs | 2 | 1.10 |', '| lag | 2.50 ms | 1.00 ms – 4.00 ms | 2 | 4.00 **wide** |']);
  t.equal(spreadTable({}), '');
});

t.test('only headline and goal figures decide a rerun', async (t) => {
  const figures = {
    rt: figure({ label: 'rt', unit: 'µs', better: 'lower', runs: [5, 6], headline: true }),
    goal: figure({ label: 'g', unit: '×', better: 'higher', runs: [1, 1.6], goal: true }),
    other: figure({ label: 'lag', unit: 'ms', better: 'lower', runs: [1, 9] }),
  };
  const w = widestJudged(figures);
  t.strictSame(w.wide, ['goal']);
  t.equal(w.ratio, 1.6);
  t.strictSame(widestJudged({ other: figures.other }), { ratio: 1, wide: [] });
});

t.test('the first narrow try is kept, else the narrowest', async (t) => {
  t.equal(keptTry([{ id: 0, widest: 2, wide: ['a'] }, { id: 1, widest: 1.2, wide: [] }, { id: 2, widest: 1.1, wide: [] }]).id, 1);
  t.equal(keptTry([{ id: 0, widest: 2, wide: ['a'] }, { id: 1, widest: 1.7, wide: ['a'] }, { id: 2, widest: 1.9, wide: ['a'] }]).id, 1);
  t.throws(() => keptTry([]));
});
