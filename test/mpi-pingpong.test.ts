import t from 'tap';
import { runRanks } from './helpers/ranks.js';

const SIZES = [0, 8, 64 * 1024, 1024 * 1024, 64 * 1024 * 1024];
for (const [np, tcp] of [[2, false], [4, false], [2, true]] as const) {
  t.test(`ping-pong 0 B to 64 MiB, contents checked, ${np} ranks${tcp ? ' over TCP' : ''}`, async (t) => {
    const r = runRanks('pingpong.ts', np, { tcp });
    t.equal(r.code, 0, r.stderr);
    t.equal(r.records.length, np);
    for (const rec of r.records) t.same(rec.sizes, SIZES, `rank ${rec.rank} exchanged every size`);
  });
}
