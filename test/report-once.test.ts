// One report per failure: an error every rank meets is reported once (the
// other ranks counted in one line), and Open MPI's banners about the abort
// and the non-zero exit (MPICH's line about the abort) do not follow our
// report.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';
import { ReportFilter } from '../src/launch/quiet.js';

const noise = /MPI_ABORT was invoked|Primary job\s+terminated normally|detected that one or more processes exited|ORTE_ERROR_LOG|application called MPI_Abort/;

for (const np of [2, 4]) {
  t.test(`an error while loading, on all ${np} ranks, is reported once`, async (t) => {
    const run = runRanks('report-load.ts', np);
    t.not(run.code, 0);
    t.equal(run.stderr.split('uncaught exception on rank').length - 1, 1, run.stderr);
    t.equal(run.stderr.split('config missing on purpose').length - 1, 1, 'the message once');
    // How many others report before mpiexec ends them varies; those that do are counted.
    const others = /taskloaf: (\d+) other ranks? \(([\d, ]+)\) reported the same error/.exec(run.stderr);
    if (others) t.ok(Number(others[1]) >= 1 && Number(others[1]) < np, 'the others counted');
    t.notMatch(run.stderr, noise, "no Open MPI banner after ours");
  });
}

t.test('an error in main ends the job with our report and no MPI_ABORT banner', async (t) => {
  const run = runRanks('runtime-main-fails.ts', 2);
  t.not(run.code, 0);
  t.equal(run.stderr.split('taskloaf: error in main').length - 1, 1, 'reported once');
  t.notMatch(run.stderr, noise, run.stderr);
});

t.test('the launcher keeps the first report, counts the same one from other ranks, shows a different one', async (t) => {
  const out: string[] = [];
  const f = new ReportFilter((l) => out.push(l));
  const report = (rank: number, message: string) => [
    `taskloaf: uncaught exception on rank ${rank} on node1:`,
    `Error: ${message}`,
    '    at <anonymous> (/home/me/app.ts:5:7)',
  ];
  for (const l of [...report(2, 'same'), 'a line of output', ...report(0, 'same'), ...report(1, 'other'), ...report(3, 'same')]) f.line(l);
  f.end();
  t.same(out, [...report(2, 'same'), 'a line of output', ...report(1, 'other'), 'taskloaf: 2 other ranks (0, 3) reported the same error']);
});
