// The progress engine never holds the event loop: a 1 ms timer keeps firing
// on rank 0 while each batch of a million task messages is out and its results
// come back.
// How late it fires is reported here and measured in bench/runtime.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

for (const np of [2, 4]) {
  t.test(`timers fire while 1M messages flow, ${np} ranks`, async (t) => {
    const run = runRanks('runtime-timers.ts', np, { args: ['1000000'] });
    t.equal(run.code, 0, run.stderr);
    const r = run.records[0]!;
    t.equal(r.results, 1_000_000, 'every task came back');
    // Each batch of 10,000 tasks is in flight across many event-loop turns: a
    // loop held while a batch is out would let the timer fire in none of them.
    t.equal(r.batches, 100);
    t.ok((r.quietestBatch as number) >= 1, `the timer fired while every batch was in flight (at least ${r.quietestBatch} times; ${r.ticks} in ${Math.round(r.ms as number)} ms)`);
    t.comment(`timer lag: median ${(r.p50 as number).toFixed(1)} ms, p99 ${(r.p99 as number).toFixed(1)} ms, max ${(r.max as number).toFixed(1)} ms`);
  });
}
