// Work stealing moves work: with every task spawned on rank 0, other ranks
// end up running a share of it, and the busiest rank's load (work units, not
// time) is well below the total; with stealing off, rank 0 runs everything.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

for (const np of [2, 4]) {
  t.test(`stealing spreads an unbalanced workload over ${np} ranks`, async (t) => {
    const on = runRanks('runtime-steal.ts', np);
    const off = runRanks('runtime-steal.ts', np, { env: { TASKLOAF_STEAL: 'off' } });
    t.equal(on.code, 0, on.stderr);
    t.equal(off.code, 0, off.stderr);
    const total = on.records.find((r) => r.check === 'total')!.units as number;
    const loads = (run: typeof on) => run.records.filter((r) => typeof r.rank === 'number').map((r) => r.units as number);
    t.equal(loads(on).reduce((a, b) => a + b, 0), total, 'every unit ran once with stealing');
    t.equal(loads(off).reduce((a, b) => a + b, 0), total, 'every unit ran once without');
    t.equal(Math.max(...loads(off)), total, 'without stealing rank 0 runs everything');
    t.ok(Math.max(...loads(on)) < 0.75 * total, `with stealing the busiest rank runs ${Math.max(...loads(on))} of ${total} units`);
    const stolen = on.records.reduce((n, r) => n + ((r.stolenIn as number) ?? 0), 0);
    t.ok(stolen > 0, `${stolen} tasks stolen`);
    t.equal(off.records.reduce((n, r) => n + ((r.stealRequests as number) ?? 0), 0), 0, 'no steal requests when stealing is off');
  });
}
