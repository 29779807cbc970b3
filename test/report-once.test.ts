// One report per failure: an error every rank meets is reported once (the
// other ranks counted in one line), and Open MPI's banners about the abort
// and the non-zero exit (MPICH's line about the abort) do not follow our
// report.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

const noise = /MPI_ABORT was invoked|Primary job\s+terminated normally|detected that one or more processes exited|ORTE_ERROR_LOG|application called MPI_Abort/;

for (const np of [2, 4]) {
  t.test(`an error while loading, on all ${np} ranks, is reported once`, async (t) => {
    const run = runRanks('report-load.ts', np);
    t.not(run.code, 0);
    t.equal(run.stderr.split('uncaught exception on rank').length - 1, 1, run.stderr);
    t.equal(run.stderr.split('config missing on purpose').length - 1, 1, 'the message once');
    t.match(run.stderr, `taskloaf: ${np - 1} other rank${np > 2 ? 's' : ''} (`, 'the others counted');
    t.notMatch(run.stderr, noise, "no Open MPI banner after ours");
  });
}

t.test('an error in main ends the job with our report and no MPI_ABORT banner', async (t) => {
  const run = runRanks('runtime-main-fails.ts', 2);
  t.not(run.code, 0);
  t.equal(run.stderr.split('taskloaf: error in main').length - 1, 1, 'reported once');
  t.notMatch(run.stderr, noise, run.stderr);
});
