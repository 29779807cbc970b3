// task.timeout(ms): the call rejects with ERR_TASK_TIMEOUT in time; the late
// result is dropped; the runtime carries on.
import t from 'tap';
import { runRanks, SIZES } from './helpers/ranks.js';

for (const np of SIZES) {
  t.test(`per-call timeouts, ${np} rank(s)`, async (t) => {
    const r = runRanks('runtime-timeout.ts', np);
    t.equal(r.code, 0, r.stderr);
    const by = Object.fromEntries(r.records.map((x) => [x.check, x]));
    t.match(by['slow times out'], {
      error: { class: 'TaskTimeoutError', code: 'ERR_TASK_TIMEOUT', task: 'slow', ms: 100, rank: np - 1, message: `task 'slow' on rank ${np - 1} had no result after 100 ms` },
    });
    t.ok((by['slow times out']!.after as number) < 1500, 'rejected before the task could have finished');
    t.equal(by['fast in time']!.value, 7);
    t.equal(by['anywhere']!.value, 8);
    t.equal(by['bad ms']!.code, 'ERR_INVALID_ARG_VALUE');
    t.match(by['after the late result'], { value: 9, pending: 0 }, 'no future left behind');
  });
}
