// The walltime warning on a real Slurm: --signal-before makes every rank run
// its onTimeLimit hooks; --requeue-on-timeout then requeues the job, which
// starts again (SLURM_RESTART_COUNT) and resumes from what the hook saved.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRecords, root } from './helpers/ranks.js';
import { slurmUp, tl, tlAsync } from './helpers/slurm.js';

const up = slurmUp('off');
if (!up.ok) t.fail(`Slurm could not be started: ${up.why}`);
const program = join(root, 'test', 'ranks', 'time-limit.ts');

t.test('time-limit hooks and requeue on Slurm', async (t) => {
  if (!up.ok) return;
  const cwd = t.testdir({});
  const o = { cwd };
  // Slurm checks signal times about every 30 s and may send a warning up to a
  // minute early: 100 s before a 2-minute limit comes within the first minute.
  const hooks = tlAsync(['submit', '--ntasks-per-node', '2', '--time', '2m', '--signal-before', '100s', '--wait', '--poll', '1', '--json', program, 'hooks'], o);
  const ckpt = join(cwd, 'checkpoint');
  const requeued = tlAsync(['submit', '--ntasks-per-node', '2', '--time', '2m', '--requeue-on-timeout', '--signal-before', '100s', '--wait', '--poll', '1', '--json', program, 'requeue', ckpt], {
    ...o,
    env: { TASKLOAF_REQUEUE_GRACE: '30' },
  });

  t.test('--signal-before: every rank runs its hooks, and the job then ends by itself', async (t) => {
    const r = await hooks;
    t.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout);
    t.match(readFileSync(info.script, 'utf8'), /#SBATCH --signal=B:USR2@100\n/);
    const recs = parseRecords(tl(['logs', info.id], o).stdout);
    t.same(recs.filter((x) => x.hook !== undefined).map((x) => x.hook).sort(), [0, 1], 'both ranks ran their hook');
    t.ok(recs.some((x) => x.allWarned), 'main saw it and finished');
  });

  t.test('--requeue-on-timeout: hooks, requeue, restart, resume', async (t) => {
    // Slurm holds a requeued job for two minutes before it may start again;
    // the test lets it start at once (the job's own behaviour is unchanged).
    let ended = false;
    void requeued.then(() => (ended = true));
    const released = (async () => {
      while (!ended) {
        const out = spawnSync('squeue', ['-h', '-t', 'all', '-n', 'time-limit', '-o', '%i|%T'], { encoding: 'utf8' }).stdout;
        for (const line of out.split('\n').filter(Boolean)) {
          const [id, state] = line.split('|');
          const job = spawnSync('scontrol', ['show', 'job', '-o', id!], { encoding: 'utf8' }).stdout;
          if (state === 'PENDING' && /Restarts=1\b/.test(job) && job.includes(cwd)) {
            // Not at once: slurmd refuses a launch whose credential is from the
            // same second as the first run's revoked one ("Job credential
            // revoked"), the race Slurm's own two-minute hold avoids.
            await new Promise((res) => setTimeout(res, 3000));
            spawnSync('scontrol', ['update', `JobId=${id}`, 'StartTime=now']);
            return true;
          }
        }
        await new Promise((res) => setTimeout(res, 250));
      }
      return false;
    })();
    const r = await requeued;
    t.ok(await released, 'the requeued job was seen waiting');
    t.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout);
    const script = readFileSync(info.script, 'utf8');
    t.match(script, /#SBATCH --requeue\n#SBATCH --open-mode=append\n/);
    t.match(script, /export TASKLOAF_REQUEUE=1/);
    const logs = tl(['logs', info.id], o);
    const recs = parseRecords(logs.stdout);
    t.same(recs.filter((x) => x.started !== undefined).map((x) => x.restart), [0, 1], 'the job ran twice, the second time as a restart');
    const saved = Number(readFileSync(ckpt, 'utf8'));
    t.ok(saved > 0, 'the hook saved a checkpoint');
    const hooks = recs.filter((x) => x.hook !== undefined);
    t.ok(hooks.length > 0, 'the hooks ran');
    t.strictSame([...new Set(hooks.map((x) => x.restart))], [0], 'in the first run, before the requeue');
    t.equal(recs.filter((x) => x.resumed !== undefined).length, 1, 'one record of what the restart resumed from');
    t.equal(recs.find((x) => x.resumed !== undefined)?.resumed, saved, 'the restart resumed from it');
    t.match(logs.stderr, new RegExp(`time limit near; every rank ran its hooks; requeueing job ${info.id}`));
  });
});
