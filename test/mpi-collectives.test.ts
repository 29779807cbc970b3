import t from 'tap';
import { runRanks, SIZES } from './helpers/ranks.js';

for (const np of SIZES) {
  t.test(`allreduce, bcast, allgather, ibarrier and splitShared at ${np} ranks`, async (t) => {
    const r = runRanks('collectives.ts', np);
    t.equal(r.code, 0, r.stderr);
    t.equal(r.records.length, np);
    for (const rec of r.records) t.equal(rec.ok, true);
  });
}
