// The output of `taskloaf template`, saved and submitted by hand with plain
// sbatch and plain qsub (Slurm's wrapper), runs and writes its logs: nothing
// but the rendering itself prepares the directories the script names.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scontrolFields } from '../src/schedulers/slurm/commands.js';
import { parseRecords } from './helpers/ranks.js';
import { jobEnv, slurmUp, tl } from './helpers/slurm.js';

const up = slurmUp('off');
if (!up.ok) t.fail(`Slurm could not be started: ${up.why}`);

/** Slurm's fields for a job once it has left the queue. */
async function ended(id: string): Promise<Record<string, string>> {
  for (let i = 0; i < 600; i++) {
    const f = scontrolFields(spawnSync('scontrol', ['show', 'job', '-o', id], { encoding: 'utf8' }).stdout);
    if (/^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED)$/.test(f.JobState ?? '')) return f;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {};
}

t.test('template slurm > job.slurm; sbatch job.slurm', async (t) => {
  if (!up.ok) return;
  const cwd = t.testdir({});
  const r = tl(['template', 'slurm', '--ntasks-per-node', '2', jobEnv, 'by hand'], { cwd });
  t.equal(r.code, 0, r.stderr);
  t.notMatch(r.stdout, /double braces/, 'no note about filling in fields left in the script');
  t.match(r.stderr, `created ${join(cwd, 'taskloaf-jobs')}`, 'says which directory it made for the logs');
  writeFileSync(join(cwd, 'job.slurm'), r.stdout);
  const s = spawnSync('sbatch', ['--parsable', 'job.slurm'], { cwd, encoding: 'utf8' });
  t.equal(s.status, 0, s.stderr);
  const id = s.stdout.trim().split(';')[0]!;
  const job = await ended(id);
  t.equal(job.JobState, 'COMPLETED', `job ${id}: ${job.Reason}`);
  const out = join(cwd, 'taskloaf-jobs', `job-env-${id}.out`);
  t.equal(job.StdOut, out);
  t.ok(existsSync(out), 'the log where the script says');
  const recs = existsSync(out) ? parseRecords(readFileSync(out, 'utf8')) : [];
  t.same(recs.map((x) => [x.size, x.args]), [[2, ['by hand']], [2, ['by hand']]], 'both ranks ran the program');
});

t.test('template pbs > job.pbs; qsub job.pbs (Slurm\'s wrapper)', async (t) => {
  if (!up.ok) return;
  const cwd = t.testdir({});
  const r = tl(['template', 'pbs', '--dialect', 'torque', jobEnv, 'by qsub'], { cwd });
  t.equal(r.code, 0, r.stderr);
  t.notMatch(r.stdout, /double braces/);
  t.ok(existsSync(join(cwd, 'taskloaf-jobs')), 'the directory the #PBS -o/-e lines name exists');
  writeFileSync(join(cwd, 'job.pbs'), r.stdout);
  const q = spawnSync('qsub', ['job.pbs'], { cwd, encoding: 'utf8' });
  t.equal(q.status, 0, q.stderr);
  const id = q.stdout.trim();
  t.match(id, /^\d+$/);
  const job = await ended(id);
  t.equal(job.JobState, 'COMPLETED', `job ${id}: ${job.Reason}`);
  // The wrapper ignores #PBS -o and names the log itself, in the directory qsub ran in.
  const out = job.StdOut ?? '';
  t.ok(existsSync(out), `the log ${out}`);
  const recs = existsSync(out) ? parseRecords(readFileSync(out, 'utf8')) : [];
  t.same(recs.map((x) => x.args), [['by qsub']], 'the program ran');
});
