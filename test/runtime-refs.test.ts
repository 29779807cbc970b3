// Refs: values reach other ranks through Refs passed along, Arrow data is
// read in place on one node, release and dispose free at once, and after
// every rank drops its Refs each value is freed exactly once (counters).
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

const env = { NODE_OPTIONS: '--expose-gc' };
const runs: [string, number, { simulateNodes?: number; tcp?: boolean }][] = [
  ['1 rank', 1, {}],
  ['2 ranks', 2, {}],
  ['4 ranks', 4, {}],
  ['2 ranks on 2 simulated nodes over TCP', 2, { simulateNodes: 2, tcp: true }],
];
for (const [what, np, opts] of runs) {
  t.test(`Refs, ${what}`, async (t) => {
    const run = runRanks('runtime-refs.ts', np, { env, ...opts });
    t.equal(run.code, 0, run.stderr);
    const check = (name: string) => run.records.find((r) => r.check === name) ?? {};
    t.match(check('three hops').value, /^payload@\d$/, 'the value reached the third hop');
    t.equal(check('deep').value, 42, 'a Ref passed 1,000 levels deep across ranks still resolves');
    t.same(check('arrow at put').value, { sum: (4095 * 4096) / 2, owner: 0 }, "put() keeps an Arrow table in the owner's arena");
    const arrow = check('arrow').value as { sum: number; owner: number };
    t.equal(arrow.sum, (4095 * 4096) / 2);
    if (np > 1) t.equal(arrow.owner, opts.simulateNodes ? np - 1 : 0, opts.simulateNodes ? 'another node: the column lies in the receiver\'s arena' : 'same node: the column is read in rank 0\'s arena');
    t.same(check('release'), { check: 'release', freedAtOnce: true, liveAfterDispose: 3, getAfterRelease: 'ERR_REF_RELEASED' });
    t.equal(check('freed').live, 0, 'no value left once every rank dropped its Refs');
    const owner = run.records.find((r) => r.rank === 0)!;
    t.equal(owner.refsPut, 5);
    t.equal(owner.refsFreed, 5, 'each value freed exactly once');
  });
}
