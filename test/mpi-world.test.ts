import t from 'tap';
import { hostname } from 'node:os';
import { runRanks, SIZES } from './helpers/ranks.js';

for (const np of SIZES) {
  t.test(`rank, size and local rank at ${np} ranks`, async (t) => {
    const r = runRanks('world.ts', np);
    t.equal(r.code, 0, r.stderr);
    t.equal(r.records.length, np, 'one record per rank');
    const ranks = r.records.map((x) => x.rank).sort((a, b) => Number(a) - Number(b));
    t.same(ranks, [...Array(np).keys()], 'ranks are 0..n-1, each once');
    for (const rec of r.records) {
      t.equal(rec.size, np);
      t.equal(rec.localSize, np, 'all ranks share this node');
      t.equal(rec.host, hostname());
      t.equal(rec.provided, 'funneled', 'MPI is called from the main thread only');
    }
    const local = new Set(r.records.map((x) => x.localRank));
    t.equal(local.size, np, 'local ranks are distinct');
  });
}
