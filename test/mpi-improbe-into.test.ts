import t from 'tap';
import { runRanks, SIZES } from './helpers/ranks.js';

const CHECKS = 11;
for (const np of [...SIZES, 5]) {
  t.test(`improbeInto: small messages received into the slab by the probe, at ${np} ranks`, async (t) => {
    const r = runRanks('improbe-into.ts', np, { tcp: np === 2 });
    t.equal(r.code, 0, r.stderr);
    t.equal(r.records.length, np);
    for (const rec of r.records) t.equal(rec.checks, CHECKS, `rank ${rec.rank}`);
  });
}
