// `taskloaf submit` end to end on a real Slurm: a 2-rank taskloaf program,
// failure, cancel, walltime, an array and a dependency chain.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { scontrolFields } from '../src/schedulers/slurm/commands.js';
import { join } from 'node:path';
import { cli, parseRecords } from './helpers/ranks.js';
import { jobEnv, slurmUp, statusUntil, tl, tlAsync } from './helpers/slurm.js';
import { root } from './helpers/ranks.js';
import { fields } from './helpers/exact.js';

const up = slurmUp('off');
if (!up.ok) t.fail(`Slurm could not be started: ${up.why}`);

const ORDER = ['pending', 'running', 'completing', 'completed', 'failed', 'cancelled', 'timeout'];
/** The states `--wait` printed, in order. */
const seen = (stderr: string) => [...stderr.matchAll(/^job \S+: (\w+)/gm)].map((m) => m[1]!);

t.test('submit jobs to Slurm', async (t) => {
  if (!up.ok) return;
  const cwd = t.testdir({});
  const o = { cwd };

  // Started first: it needs a minute past its walltime before Slurm kills it.
  const overtime = tlAsync(['submit', '--time', '1m', '--job-name', 'overtime', '--wait', '--poll', '1', jobEnv, '--sleep', '600'], o);

  t.test('a 2-rank taskloaf program: id, states, logs, result, exit status', async (t) => {
    const r = tl(['submit', '--ntasks-per-node', '2', '--time', '5m', '--wait', '--poll', '0.2', '--json', join(root, 'examples', 'fib.ts'), '22'], o);
    t.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout);
    t.match(info.id, /^\d+$/);
    t.equal(info.scheduler, 'slurm');
    t.equal(info.state, 'completed');
    t.equal(info.exitCode, 0);
    const states = seen(r.stderr);
    t.equal(states.at(-1), 'completed', r.stderr);
    t.same([...states].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b)), states, 'states only move forward');
    t.equal(info.output, join(cwd, 'taskloaf-jobs', `fib-${info.id}.out`), 'the log is named by the job id');
    t.equal(info.script, join(cwd, 'taskloaf-jobs', `fib-${info.id}.sh`), 'the script sits next to it');
    t.match(readFileSync(info.script, 'utf8'), /#SBATCH --ntasks-per-node=2\n/);
    const logs = tl(['logs', info.id], o);
    t.equal(logs.code, 0);
    t.match(logs.stdout, /^fib\(22\) = 17711 in [\d.]+ s on 2 rank\(s\)$/m, 'the result, computed on both ranks of the allocation');
    const st = tl(['status', info.id, '--json'], o);
    t.match(JSON.parse(st.stdout), [{ id: info.id, state: 'completed', exitCode: 0, name: 'fib' }]);
    const plain = tl(['status', info.id], o);
    t.match(plain.stdout, new RegExp(`^${info.id}\tcompleted\tfib\t\\(exit 0\\)$`, 'm'));
  });

  t.test('a benchmark job: taskloaf submit ... bench runs the suite inside the allocation', async (t) => {
    const r = tl(['submit', '--ntasks-per-node', '2', '--time', '5m', '--wait', '--poll', '0.5', '--json', 'bench', 'wire-batch', '--quick', '--no-write'], o);
    t.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout);
    t.equal(info.state, 'completed');
    t.match(readFileSync(info.script, 'utf8'), / bench wire-batch --quick --no-write\n/);
    const logs = tl(['logs', info.id], o);
    t.match(logs.stdout, /\| taskloaf batch 64 \| [\d.]+ (ns|µs) \|/, 'the benchmark table');
    t.match(logs.stdout + logs.stderr, /bench: wire-batch done/);
  });

  t.test('the ranks run in the allocation, one core each, with the job environment', async (t) => {
    const r = tl(['submit', '--ntasks-per-node', '2', '--env', "GREETING=it's $(here)", '--wait', '--poll', '0.2', '--json', jobEnv, 'a b'], o);
    t.equal(r.code, 0, r.stderr);
    const id = JSON.parse(r.stdout).id as string;
    const recs = parseRecords(tl(['logs', id], o).stdout);
    t.equal(recs.length, 2);
    for (const rec of recs) {
      t.equal(rec.size, 2);
      const want = { SLURM_JOB_ID: id, SLURM_NTASKS: '2', GREETING: "it's $(here)" };
      t.strictSame(fields(rec.env, want), want);
      t.same(rec.args, ['a b'], 'arguments arrive verbatim');
      t.match(rec.cpus, /^\d+$/, 'bound to one core');
    }
    t.not(recs[0]!.cpus, recs[1]!.cpus, 'different cores');
  });

  t.test('resources, paths, mail, setup and environment reach Slurm', async (t) => {
    const r = tl(
      [
        'submit', '--exclusive', '--account', 'proj42', '--mail-user', 'me@example.org', '--mail-type', 'end,fail',
        '--mem', '100M', '--time', '1h30m', '--job-name', 'many', '--output', 'deep/a/out.txt', '--error', 'deep/b/err.txt',
        '--chdir', '.', '--setup', 'echo setup-ran-in "$PWD"', '--export', 'all', '--directive=--comment=from-directive',
        '--wait', '--poll', '0.2', '--json', jobEnv,
      ],
      { cwd, env: { FROM_SUBMITTER: 'yes' } },
    );
    t.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout);
    t.equal(info.output, join(cwd, 'deep', 'a', 'out.txt'));
    const out = readFileSync(join(cwd, 'deep', 'a', 'out.txt'), 'utf8');
    t.match(out, `setup-ran-in ${cwd}`, 'setup lines run in the working directory');
    t.ok(existsSync(join(cwd, 'deep', 'b', 'err.txt')), 'both directories created');
    // --exclusive shows as the whole node's cores for one task.
    const job = scontrolFields(spawnSync('scontrol', ['show', 'job', '-o', info.id], { encoding: 'utf8' }).stdout);
    const want = {
      JobName: 'many',
      Account: 'proj42',
      MailUser: 'me@example.org',
      MailType: 'END,FAIL',
      MinMemoryNode: '100M',
      TimeLimit: '01:30:00',
      NumTasks: '1',
      NumCPUs: spawnSync('sinfo', ['-h', '-o', '%c'], { encoding: 'utf8' }).stdout.trim(),
      WorkDir: cwd,
      StdOut: join(cwd, 'deep', 'a', 'out.txt'),
      StdErr: join(cwd, 'deep', 'b', 'err.txt'),
      Comment: 'from-directive',
    };
    t.strictSame(fields(job, want), want);
    const none = tl(['submit', '--export', 'none', '--wait', '--poll', '0.2', '--json', jobEnv], { cwd, env: { GREETING: 'from-submitter' } });
    t.equal(none.code, 0, none.stderr);
    const all = tl(['submit', '--export', 'all', '--wait', '--poll', '0.2', '--json', jobEnv], { cwd, env: { GREETING: 'from-submitter' } });
    const greeting = (res: typeof none) => (parseRecords(tl(['logs', JSON.parse(res.stdout).id], o).stdout)[0]?.env as Record<string, string>)?.GREETING;
    t.equal(greeting(all), 'from-submitter', '--export all: the job sees this environment');
    t.equal(greeting(none), undefined, '--export none: it does not');
  });

  t.test('inside the job, srun can launch the ranks instead of mpirun', async (t) => {
    const r = tl(['submit', '--ntasks-per-node', '2', '--run-option=--launcher', '--run-option=srun', '--wait', '--poll', '0.2', '--json', jobEnv], o);
    t.equal(r.code, 0, r.stderr);
    const { id, script } = JSON.parse(r.stdout);
    t.match(readFileSync(script, 'utf8'), /main\.js run --launcher srun -- /);
    const recs = parseRecords(tl(['logs', id], o).stdout);
    t.same(recs.map((x) => x.size), [2, 2], 'one world of 2 through srun --mpi=pmix');
    t.not(recs[0]!.cpus, recs[1]!.cpus, 'srun --cpu-bind=cores: a core each');
  });

  t.test('taskloaf run inside an allocation someone else made (salloc) uses it', async (t) => {
    const r = spawnSync('salloc', ['-n', '2', '--time', '5', process.execPath, cli, 'run', jobEnv], { cwd, encoding: 'utf8', timeout: 120_000 });
    t.equal(r.status, 0, r.stderr);
    const recs = parseRecords(r.stdout);
    t.equal(recs.length, 2, 'no -n: the allocation\'s two tasks');
    t.ok(recs.every((x) => x.size === 2 && (x.env as Record<string, string>).SLURM_JOB_ID));
    const over = spawnSync('salloc', ['-n', '1', '--time', '5', process.execPath, cli, 'run', '-n', '2', jobEnv], { cwd, encoding: 'utf8', timeout: 120_000 });
    t.equal(over.status, 2);
    t.match(over.stderr, /-n 2 asks for more ranks than the slurm allocation \d+ holds \(1\);.*\[ERR_OVERSUBSCRIBED\]/);
  });

  t.test('--wait on a failing job exits with its status', async (t) => {
    const r = tl(['submit', '--wait', '--poll', '0.2', '--json', jobEnv, '--exit', '3'], o);
    t.equal(r.code, 3, r.stderr);
    t.strictSame(fields(JSON.parse(r.stdout), { state: 'failed', exitCode: 3 }), { state: 'failed', exitCode: 3 });
    t.match(r.stderr, /job \d+ failed, exit status 3/);
  });

  t.test('cancel on a running job gives cancelled', async (t) => {
    const r = tl(['submit', '--json', jobEnv, '--sleep', '120'], o);
    t.equal(r.code, 0, r.stderr);
    const id = JSON.parse(r.stdout).id as string;
    t.equal(await statusUntil(id, (s) => s === 'running', o), 'running');
    // Cancelled once the ranks have started and written their line.
    for (let i = 0; i < 200 && parseRecords(tl(['logs', id], o).stdout).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const follow = tlAsync(['logs', id, '--follow', '--poll', '0.2'], o);
    const c = tl(['cancel', id], o);
    t.equal(c.code, 0, c.stderr);
    t.match(c.stderr, `cancelled ${id}`);
    t.equal(await statusUntil(id, (s) => s === 'cancelled', o), 'cancelled');
    const f = await follow;
    t.equal(f.code, 130, 'logs --follow ends with the cancelled status');
    t.equal(parseRecords(f.stdout).length, 1, 'and printed what the job wrote');
  });

  t.test('a job array', async (t) => {
    const r = tl(['submit', '--array', '1-3', '--wait', '--poll', '0.2', '--json', jobEnv], o);
    t.equal(r.code, 0, r.stderr);
    const { id } = JSON.parse(r.stdout) as { id: string };
    const tasks = [1, 2, 3].map((i) => parseRecords(tl(['logs', `${id}_${i}`], o).stdout)[0]);
    t.same(tasks.map((x) => x?.env && (x.env as Record<string, string>).SLURM_ARRAY_TASK_ID), ['1', '2', '3'], 'each task its own log');
    t.match(JSON.parse(tl(['status', `${id}_2`, '--json'], o).stdout), [{ state: 'completed' }]);
  });

  t.test('a dependency chain runs in order; a failed parent cancels its dependant', async (t) => {
    const file = join(cwd, 'chain.txt');
    const submit = (word: string, deps: string[]) => {
      const r = tl(['submit', '--json', ...deps.flatMap((d) => ['--dependency', d]), jobEnv, '--append', file, word, '--sleep', '1'], o);
      t.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).id as string;
    };
    const a = submit('a', []);
    const b = submit('b', [`afterok:${a}`]);
    const c = submit('c', [`afterok:${b}`]);
    const w = tl(['logs', c, '--follow', '--poll', '0.2'], o);
    t.equal(w.code, 0);
    t.equal(readFileSync(file, 'utf8'), 'a\nb\nc\n');
    const bad = tl(['submit', '--json', jobEnv, '--exit', '1'], o);
    const badId = JSON.parse(bad.stdout).id as string;
    const child = tl(['submit', '--json', '--dependency', `afterok:${badId}`, jobEnv], o);
    const childId = JSON.parse(child.stdout).id as string;
    const after = tl(['submit', '--json', '--dependency', `afternotok:${badId}`, jobEnv], o);
    const afterId = JSON.parse(after.stdout).id as string;
    t.equal(await statusUntil(childId, (s) => s !== 'pending', o), 'cancelled', 'afterok of a failed job never runs');
    t.match(JSON.parse(tl(['status', childId, '--json'], o).stdout), [{ reason: 'DependencyNeverSatisfied' }]);
    t.equal(await statusUntil(afterId, (s) => s === 'completed', o), 'completed', 'afternotok of it does');
  });

  t.test('the scheduler\'s own message when sbatch refuses', async (t) => {
    const r = tl(['submit', '--partition', 'nosuch', jobEnv], o);
    t.equal(r.code, 3);
    t.match(r.stderr, /sbatch failed: .*invalid partition/i);
    t.match(r.stderr, /\[ERR_SCHEDULER\]/);
  });

  t.test('--dry-run submits nothing', async (t) => {
    // The ids of the jobs known (other jobs of this file run meanwhile: their states change, the set does not).
    const ids = () => (JSON.parse(tl(['status', '--all', '--json'], o).stdout) as { id: string }[]).map((j) => j.id).sort();
    const before = ids();
    const r = tl(['submit', '--dry-run', '--time', '10m', jobEnv], o);
    t.equal(r.code, 0);
    t.match(r.stdout, /#SBATCH --time=00:10:00/);
    t.match(r.stdout, /# sbatch --parsable \S+\/taskloaf-jobs\/job-env-\S+\.sh/);
    t.same(ids(), before, 'no new job');
  });

  t.test('a job past its walltime gives timeout', async (t) => {
    const r = await overtime;
    t.equal(r.code, 124, r.stderr);
    t.match(r.stderr, /job \d+ timeout/);
    t.equal(seen(r.stderr).at(-1), 'timeout');
  });
});
