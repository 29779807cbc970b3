// `taskloaf submit --scheduler pbs` through Slurm's qsub (slurm-wlm-torque),
// without and with the PBS compatibility plugins (spank_pbs/job_submit_pbs),
// in both dialects: the job runs across its allocation either way.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRecords, root } from './helpers/ranks.js';
import { jobEnv, slurmUp, statusUntil, tl } from './helpers/slurm.js';
import { fields } from './helpers/exact.js';

const cases = [
  { plugins: 'off', dialect: 'torque', directive: /#PBS -l nodes=1:ppn=2\n/ },
  { plugins: 'on', dialect: 'pbspro', directive: /#PBS -l select=1:ncpus=2:mpiprocs=2:ompthreads=1\n/ },
] as const;

for (const c of cases) {
  t.test(`qsub with the PBS plugins ${c.plugins}, ${c.dialect} dialect`, async (t) => {
    const up = slurmUp(c.plugins);
    if (!up.ok) {
      t.fail(`Slurm could not be started: ${up.why}`);
      return;
    }
    const cwd = t.testdir({});
    const o = { cwd };
    const r = tl(['submit', '--scheduler', 'pbs', '--dialect', c.dialect, '--ntasks-per-node', '2', '--time', '5m', '--wait', '--poll', '0.2', '--json', jobEnv, 'x y'], o);
    t.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout);
    t.equal(info.scheduler, 'pbs');
    t.match(info.id, /^\d+/, 'the id qsub printed');
    t.equal(info.state, 'completed');
    t.match(readFileSync(info.script, 'utf8'), c.directive);
    t.match(info.output, new RegExp(`^${cwd}/taskloaf-jobs/job-env-\\d{8}-\\d{6}-[0-9a-f]{16}\\.out$`), 'the output path taskloaf chose');
    const recs = parseRecords(tl(['logs', info.id], o).stdout);
    t.equal(recs.length, 2, 'two ranks wrote to the log');
    for (const rec of recs) {
      t.equal(rec.size, 2, 'one world of 2 across the allocation');
      t.same(rec.args, ['x y']);
      const env = rec.env as Record<string, string>;
      t.notOk(env.PBS_NODEFILE, 'no node file under the wrapper: the Slurm variables are used');
      if (c.plugins === 'on') t.equal(env.PBS_JOBID, info.id, 'spank_pbs sets PBS_JOBID');
      else t.notOk(env.PBS_JOBID, 'without the plugins there are no PBS variables');
    }
    const st = JSON.parse(tl(['status', info.id, '--json'], o).stdout)[0];
    t.strictSame(fields(st, { id: info.id, state: 'completed' }), { id: info.id, state: 'completed' });
    t.equal(st.source, 'qstat+scontrol', "the wrapper's C says only 'ended'; Slurm says how");

    const fail = tl(['submit', '--scheduler', 'pbs', '--dialect', c.dialect, '--wait', '--poll', '0.2', '--json', jobEnv, '--exit', '5'], o);
    t.equal(fail.code, 5, fail.stderr);
    t.strictSame(fields(JSON.parse(fail.stdout), { state: 'failed', exitCode: 5 }), { state: 'failed', exitCode: 5 });

    const long = JSON.parse(tl(['submit', '--scheduler', 'pbs', '--json', jobEnv, '--sleep', '120'], o).stdout).id as string;
    t.equal(await statusUntil(long, (s) => s === 'running', o), 'running');
    t.equal(tl(['cancel', long], o).code, 0);
    t.equal(await statusUntil(long, (s) => s === 'cancelled', o), 'cancelled', 'qdel');

    const bad = tl(['submit', '--scheduler', 'pbs', '--dialect', c.dialect, '--mem', '100T', jobEnv], o);
    t.equal(bad.code, 3, 'qsub refused');
    t.match(bad.stderr, /qsub failed: [\s\S]*\[ERR_SCHEDULER\]/, "with qsub's own message");
  });
}

t.test('back to the plain configuration', async (t) => {
  t.ok(slurmUp('off').ok);
  const r = tl(['template', 'pbs', '--dialect', 'pbspro', join(root, 'examples', 'fib.ts')], { cwd: t.testdir({}) });
  t.equal(r.code, 0);
});
