import t from 'tap';
import { runRanks } from './helpers/ranks.js';

for (const np of [1, 2]) {
  t.test(`bad input to every native function is a coded JS error at ${np} ranks`, async (t) => {
    const r = runRanks('errors.ts', np);
    t.equal(r.code, 0, r.stderr);
    t.equal(r.records.length, np);
    for (const rec of r.records) t.ok(Number(rec.checked) >= 40, `rank ${rec.rank} checked ${rec.checked} cases`);
  });
}

t.test('finalize refuses while sends are pending; no re-init after finalize', async (t) => {
  const r = runRanks('lifecycle.ts', 2);
  t.equal(r.code, 0, r.stderr);
  t.equal(r.records.length, 2);
  for (const rec of r.records) t.equal(rec.finalized, true);
});
