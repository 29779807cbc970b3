// A deliberately unbalanced workload: rank 0 spawns every task, with costs
// from 1 to 64 units of busy work. Reports how many units each rank ran, so
// the test can compare the busiest rank's load (the makespan in work units)
// with and without stealing.
import { run, task, stats, world } from '../../src/index.js';
import { record } from './lib.js';

let units = 0;
const work = task('work', (cost: number) => {
  const end = performance.now() + cost * 0.2;
  while (performance.now() < end);
  units += cost;
  return cost;
});
await run(async () => {
  const costs = Array.from({ length: 96 }, (_, i) => 1 + ((i * 37) % 64));
  const done = await Promise.all(costs.map((c) => work(c)));
  record({ check: 'total', units: done.reduce((a, b) => a + b, 0) });
});
record({ rank: world.rank, units, ...stats() });
