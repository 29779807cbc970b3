import t from 'tap';
import { hostname } from 'node:os';
import { runRanks } from './helpers/ranks.js';

for (const np of [2, 4]) {
  t.test(`an uncaught error on one rank ends all ${np} ranks with one report`, async (t) => {
    const r = runRanks('throws.ts', np, { timeoutMs: 60_000 });
    t.not(r.code, 0, 'the job fails');
    t.not(r.code, null, 'the job ended by itself (no hang)');
    const culprit = np - 1;
    t.match(r.stderr, `uncaught exception on rank ${culprit} on ${hostname()}`);
    t.match(r.stderr, `deliberate failure on rank ${culprit}`);
    t.equal(r.stderr.split('uncaught exception on').length - 1, 1, 'reported once');
  });
}
