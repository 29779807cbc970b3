// The progress engine never holds the event loop: a 1 ms timer keeps firing
// on rank 0 while a million task messages go out and their results come back.
// How late it fires is reported here and measured in bench/runtime.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

for (const np of [2, 4]) {
  t.test(`timers fire while 1M messages flow, ${np} ranks`, async (t) => {
    const run = runRanks('runtime-timers.ts', np, { args: ['1000000'] });
    t.equal(run.code, 0, run.stderr);
    const r = run.records[0]!;
    t.equal(r.results, 1_000_000, 'every task came back');
    // Held for the whole run, the loop would fire the timer about once.
    t.ok((r.ticks as number) >= 10, `the timer fired ${r.ticks} times in ${Math.round(r.ms as number)} ms`);
    t.comment(`timer lag: median ${(r.p50 as number).toFixed(1)} ms, p99 ${(r.p99 as number).toFixed(1)} ms, max ${(r.max as number).toFixed(1)} ms`);
  });
}
