// TASKLOAF_HELPER_NICE: a rank bound to a core runs its other threads (V8's
// helpers, MPI's) at that nice value; by default they are left alone.
import t from 'tap';
import { helperNice } from '../src/runtime/world.js';
import { runRanks, SIZES } from './helpers/ranks.js';

type Nice = { main: boolean; nice: number };

t.test('TASKLOAF_HELPER_NICE=19: a bound rank runs its event loop at nice 0 and every other thread at 19', async (t) => {
  for (const np of SIZES) {
    const r = runRanks('placement.ts', np, { env: { TASKLOAF_HELPER_NICE: '19' } });
    t.equal(r.code, 0, r.stderr);
    t.equal(r.records.length, np, `${np} ranks reported`);
    for (const rec of r.records) {
      const nices = rec.nices as Nice[];
      t.equal(rec.core !== null, true, `-n ${np}: rank ${rec.rank} is bound`);
      t.same(nices.filter((x) => x.main).map((x) => x.nice), [0], `-n ${np}: rank ${rec.rank}'s main thread`);
      const helpers = nices.filter((x) => !x.main);
      t.ok(helpers.length > 0, `-n ${np}: rank ${rec.rank} has helper threads`);
      t.same([...new Set(helpers.map((x) => x.nice))], [19], `-n ${np}: rank ${rec.rank}'s ${helpers.length} helpers`);
    }
  }
});

t.test('by default, and unbound, every thread stays at nice 0', async (t) => {
  const plain = runRanks('placement.ts', 2);
  t.equal(plain.code, 0, plain.stderr);
  t.equal(plain.records.length, 2, 'plain: both ranks reported');
  for (const rec of plain.records) t.same([...new Set((rec.nices as Nice[]).map((x) => x.nice))], [0], `rank ${rec.rank}: default`);
  const seven = runRanks('placement.ts', 2, { env: { TASKLOAF_HELPER_NICE: '7' } });
  t.equal(seven.code, 0, seven.stderr);
  t.equal(seven.records.length, 2, 'seven: both ranks reported');
  for (const rec of seven.records) t.same([...new Set((rec.nices as Nice[]).filter((x) => !x.main).map((x) => x.nice))], [7], `rank ${rec.rank}`);
  const unbound = runRanks('placement.ts', 2, { bind: 'none', env: { TASKLOAF_HELPER_NICE: '19' } });
  t.equal(unbound.code, 0, unbound.stderr);
  t.equal(unbound.records.length, 2, 'unbound: both ranks reported');
  for (const rec of unbound.records) {
    t.equal(rec.core, null, `rank ${rec.rank} is not bound`);
    t.same([...new Set((rec.nices as Nice[]).map((x) => x.nice))], [0], `rank ${rec.rank}: every thread at 0`);
  }
});

t.test('a bad TASKLOAF_HELPER_NICE is refused, naming the variable', async (t) => {
  t.equal(helperNice({}), 0);
  t.equal(helperNice({ TASKLOAF_HELPER_NICE: '19' }), 19);
  t.equal(helperNice({ TASKLOAF_HELPER_NICE: '0' }), 0);
  for (const bad of ['20', '-1', '2.5', 'low']) {
    t.throws(() => helperNice({ TASKLOAF_HELPER_NICE: bad }), { code: 'ERR_INVALID_ENV', message: /TASKLOAF_HELPER_NICE/ }, bad);
  }
  const r = runRanks('placement.ts', 2, { env: { TASKLOAF_HELPER_NICE: 'low' } });
  t.not(r.code, 0, 'the job fails');
  t.match(r.stderr, /TASKLOAF_HELPER_NICE must be an integer from 0 to 19/);
});
