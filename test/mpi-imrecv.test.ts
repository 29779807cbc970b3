import t from 'tap';
import { runRanks, SIZES } from './helpers/ranks.js';

for (const np of [...SIZES, 5]) {
  t.test(`imrecv + wait: a matched receive completed later, at ${np} ranks`, async (t) => {
    const r = runRanks('imrecv.ts', np, { tcp: np === 2 });
    t.equal(r.code, 0, r.stderr);
    t.equal(r.records.length, np);
    for (const rec of r.records) t.equal(rec.checked, rec.paired ? 3 : 0, `rank ${rec.rank}`);
  });
}
