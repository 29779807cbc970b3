// task.timeout(ms): the call rejects with ERR_TASK_TIMEOUT while the task is
// still running; the late result is dropped; the runtime carries on.
import t from 'tap';
import { runRanks, SIZES } from './helpers/ranks.js';

for (const np of SIZES) {
  t.test(`per-call timeouts, ${np} rank(s)`, async (t) => {
    const r = runRanks('runtime-timeout.ts', np);
    t.equal(r.code, 0, r.stderr);
    const by = Object.fromEntries(r.records.map((x) => [x.check, x]));
    t.strictSame(by['slow times out']!.error, {
      class: 'TaskTimeoutError', code: 'ERR_TASK_TIMEOUT', task: 'slow', ms: 100, rank: np - 1, message: `task 'slow' on rank ${np - 1} had no result after 100 ms`,
    });
    t.equal(by['still running at the timeout']!.value, true, 'the task could not have finished before its call was rejected');
    t.equal(by['fast in time']!.value, 7);
    t.equal(by['anywhere']!.value, 8);
    t.equal(by['bad ms']!.code, 'ERR_INVALID_ARG_VALUE');
    const after = by['after the late result']!;
    t.equal(after.value, 9);
    t.equal(after.pending, 0, 'no future left behind');
    t.equal(after.stray, 1, 'the late result arrived, found no future and was dropped');
  });
}
