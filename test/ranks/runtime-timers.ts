// Timers keep firing while a flood of task messages flows: a 1 ms interval
// runs on rank 0 while it sends N tiny tasks to the last rank and awaits them.
import { run, task, world } from '../../src/index.js';
import { record } from './lib.js';

const noop = task('noop', () => 0);
const n = Number(process.argv[2] ?? 1_000_000);
await run(async () => {
  const lags: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    lags.push(now - last - 1);
    last = now;
  }, 1);
  const t0 = performance.now();
  let results = 0;
  // Ticks of the timer while each batch was in flight: a loop held for a
  // whole batch would show a batch with none.
  const perBatch: number[] = [];
  for (let done = 0; done < n; done += 10_000) {
    const before = lags.length;
    const got = await Promise.all(Array.from({ length: Math.min(10_000, n - done) }, () => noop.on(world.size - 1)()));
    perBatch.push(lags.length - before);
    results += got.length;
  }
  const ms = performance.now() - t0;
  clearInterval(timer);
  lags.sort((a, b) => a - b);
  record({ results, ms, ticks: lags.length, batches: perBatch.length, quietestBatch: Math.min(...perBatch), p50: lags[Math.floor(lags.length / 2)], p99: lags[Math.floor(lags.length * 0.99)], max: lags[lags.length - 1] });
});
