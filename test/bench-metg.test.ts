// Task Bench's measures: efficiency, granularity and METG(50%).
import t from 'tap';
import { efficiency, metg } from '../bench/lib/metg.js';

t.test('efficiency and granularity of one graph run', async (t) => {
  // 400 tasks of 1000 iterations at 2 ns each on 2 cores in 0.5 ms: 0.8 ms of work in 1 ms of core time.
  const e = efficiency({ iterations: 1000, tasks: 400, wallSeconds: 0.0005 }, 2, 2);
  t.equal(e.granularityUs, 2.5, 'wall × cores / tasks');
  t.ok(Math.abs(e.efficiency - 0.8) < 1e-12, `useful work / core time, got ${e.efficiency}`);
});

t.test('METG interpolates between the last run above 50% and the first below', async (t) => {
  const m = metg([
    { granularityUs: 1000, efficiency: 0.98 },
    { granularityUs: 100, efficiency: 0.9 },
    { granularityUs: 10, efficiency: 0.7 },
    { granularityUs: 1, efficiency: 0.3 },
    { granularityUs: 0.5, efficiency: 0.1 },
  ]);
  t.equal(m.kind, 'interpolated');
  // Halfway in efficiency between 10 µs (70%) and 1 µs (30%): 10^0.5 µs on the log scale.
  t.ok(Math.abs(m.us! - Math.sqrt(10)) < 1e-9, `got ${m.us}`);
});

t.test('METG takes the runs in order of granularity, whatever order they come in', async (t) => {
  const pts = [
    { granularityUs: 1, efficiency: 0.3 },
    { granularityUs: 1000, efficiency: 0.98 },
    { granularityUs: 10, efficiency: 0.7 },
  ];
  t.ok(Math.abs(metg(pts).us! - Math.sqrt(10)) < 1e-9);
});

t.test('METG stops at the first run below the threshold (a noisy finer run above it does not count)', async (t) => {
  const m = metg([
    { granularityUs: 100, efficiency: 0.9 },
    { granularityUs: 10, efficiency: 0.4 },
    { granularityUs: 1, efficiency: 0.6 },
  ]);
  t.ok(m.us! > 10 && m.us! < 100, `between 10 and 100 µs, got ${m.us}`);
});

t.test('METG when every run is above 50% is an upper bound; when none is, it is not reached', async (t) => {
  t.same(metg([{ granularityUs: 100, efficiency: 0.9 }, { granularityUs: 2, efficiency: 0.6 }]), { us: 2, kind: 'upper' });
  t.same(metg([{ granularityUs: 100, efficiency: 0.4 }, { granularityUs: 2, efficiency: 0.1 }]), { kind: 'not reached' });
  t.same(metg([]), { kind: 'not reached' });
  t.same(metg([{ granularityUs: NaN, efficiency: 0.9 }]), { kind: 'not reached' }, 'runs with no valid granularity are left out');
});

t.test('another threshold', async (t) => {
  const m = metg([{ granularityUs: 100, efficiency: 0.95 }, { granularityUs: 10, efficiency: 0.85 }], 0.9);
  t.ok(Math.abs(m.us! - Math.sqrt(1000)) < 1e-9, `got ${m.us}`);
});
