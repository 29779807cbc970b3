import t from 'tap';
import { runRanks } from './helpers/ranks.js';

for (const np of [2, 4]) {
  t.test(`hundreds of outstanding sends and receives complete in any order at ${np} ranks`, async (t) => {
    const perPeer = 300;
    const r = runRanks('outstanding.ts', np, { args: [String(perPeer)] });
    t.equal(r.code, 0, r.stderr);
    t.equal(r.records.length, np);
    for (const rec of r.records) {
      t.equal(rec.sent, perPeer * (np - 1));
      t.equal(rec.received, perPeer * (np - 1));
      t.ok(Number(rec.pendingAtStart) > 0, `rank ${rec.rank} had sends in flight at once (${rec.pendingAtStart})`);
      t.equal(rec.completedPending, rec.pendingAtStart, 'every pending send completed exactly once');
    }
  });
}
