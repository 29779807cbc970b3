// The task API under real mpirun at 1, 2, 4 and 8 (oversubscribed) ranks:
// recursive fib with stealing, 100k tiny tasks each run exactly once,
// placement, 1,000 nested awaits across ranks.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

for (const np of [1, 2, 4, 8]) {
  t.test(`tasks at ${np} rank(s)`, async (t) => {
    const run = runRanks('runtime-basics.ts', np, { args: ['100000'] });
    t.equal(run.code, 0, run.stderr);
    const check = (name: string) => run.records.find((r) => r.check === name) ?? {};
    t.equal(check('fib').value, 196418, 'fib(27)');
    t.same(check('tiny'), { check: 'tiny', count: 100000, right: true }, '100k tiny tasks, right results');
    t.same(check('placement').places, Array.from({ length: np }, (_, r) => r), 'each placed task ran where asked');
    t.equal(check('chain').value, 1001, '1,000 nested awaits across ranks');
    const ranks = run.records.filter((r) => typeof r.rank === 'number');
    t.equal(ranks.length, np, 'every rank reported');
    const sum = (k: string) => ranks.reduce((n, r) => n + (r[k] as number), 0);
    t.equal(sum('ranHere'), 100000, 'each tiny task ran exactly once');
    t.equal(sum('executed'), sum('spawned'), 'every spawned task ran once');
    t.equal(sum('stolenIn'), sum('stolenOut'), 'every stolen task was received');
    t.equal(sum('cancelled'), 0);
    t.equal(sum('pendingFutures'), 0, 'no future left unresolved');
    if (np > 1) t.ok(sum('stolenIn') > 0, 'idle ranks stole work');
  });
}
