import t from 'tap';
import { runRanks } from './helpers/ranks.js';

for (const tcp of [false, true]) {
  t.test(`gathered sends arrive as the concatenation of their parts${tcp ? ' over TCP' : ''}`, async (t) => {
    const r = runRanks('gather.ts', 2, { tcp });
    t.equal(r.code, 0, r.stderr);
    t.equal(r.records.find((x) => x.rank === 1)?.received, 4);
    t.equal(r.records.find((x) => x.rank === 0)?.sent, 4);
  });
}
