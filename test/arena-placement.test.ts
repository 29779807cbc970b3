import t from 'tap';
import { availableParallelism } from 'node:os';
import { runRanks } from './helpers/ranks.js';

const cores = availableParallelism();

for (const bind of ['core', 'self'] as const) {
  t.test(`--bind ${bind}: each rank on one core, distinct cores, all threads pinned`, async (t) => {
    const np = Math.min(2, cores);
    const r = runRanks('placement.ts', np, { bind });
    t.equal(r.code, 0, r.stderr);
    t.equal(r.records.length, np);
    for (const rec of r.records) {
      t.equal((rec.allowed as number[]).length, 1, `rank ${rec.rank}: Cpus_allowed_list is one core`);
      t.same(rec.allowed, [rec.core], 'world.core is that core');
      t.equal(rec.boundBy, bind === 'core' ? 'launcher' : 'self');
      t.equal(rec.oversubscribed, false);
      for (const cpus of rec.threadCpus as number[][]) t.same(cpus, [rec.core], 'every thread is on the core');
      t.equal(typeof rec.numaNode, 'number');
    }
    t.equal(new Set(r.records.map((x) => x.core)).size, np, 'ranks hold distinct cores');
  });
}

t.test('--bind none leaves ranks unbound', async (t) => {
  const r = runRanks('placement.ts', 2, { bind: 'none' });
  t.equal(r.code, 0, r.stderr);
  t.equal(r.records.length, 2, 'both ranks reported');
  for (const rec of r.records) {
    t.equal(rec.core, null);
    t.equal(rec.boundBy, 'none');
    t.equal((rec.allowed as number[]).length, cores);
  }
});

for (const bind of ['core', 'self'] as const) {
  t.test(`more ranks than cores still run, pinned, and say so (--bind ${bind})`, async (t) => {
    const np = cores * 2;
    const r = runRanks('placement.ts', np, { bind });
    t.equal(r.code, 0, r.stderr);
    t.equal(r.records.length, np);
    for (const rec of r.records) {
      t.equal((rec.allowed as number[]).length, 1);
      t.equal(rec.oversubscribed, true, `rank ${rec.rank} reports oversubscription`);
    }
  });
}

t.test('world: host, node, one job id for all ranks', async (t) => {
  const r = runRanks('placement.ts', 4);
  t.equal(r.code, 0, r.stderr);
  t.equal(new Set(r.records.map((x) => x.job)).size, 1);
  t.ok(r.records.every((x) => x.node === 0), 'one node');
  t.same(r.records.map((x) => x.localRank).sort(), [0, 1, 2, 3]);
});
