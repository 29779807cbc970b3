// The end of a job: main returning with work still queued ends every rank
// cleanly (queued tasks cancelled and counted); main throwing ends every rank
// non-zero with one report.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

for (const np of [1, 2, 4, 8]) {
  t.test(`main returns with tasks still queued: ${np} rank(s) end cleanly`, async (t) => {
    const run = runRanks('runtime-shutdown.ts', np);
    t.equal(run.code, 0, run.stderr);
    t.equal(run.records.length, np, 'every rank got past run()');
    const cancelled = run.records.reduce((n, r) => n + (r.cancelled as number), 0);
    const executed = run.records.reduce((n, r) => n + (r.executed as number), 0);
    t.equal(cancelled + executed, 2000 + 20 * np, 'every task either ran or was cancelled');
    // 2,000 tasks of 5 ms each cannot all have run when main returns at once.
    t.ok(cancelled > 0, `tasks were still queued at the end and were cancelled (${cancelled})`);
  });
}

for (const np of [1, 2, 4, 8]) {
  t.test(`an error in main ends all ${np} rank(s) non-zero with one report`, async (t) => {
    const run = runRanks('runtime-main-fails.ts', np);
    t.not(run.code, 0);
    t.equal(run.stderr.split('taskloaf: error in main').length - 1, 1, 'reported once');
    t.match(run.stderr, /error in main on rank 0 on .+:\nError: main broke on purpose/);
  });
}
