// Numbers on the command line are checked before anything runs: exit 2 and a
// message naming the option and what was typed, never NaN or the help text.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cli, root } from './helpers/ranks.js';

const fib = join(root, 'examples', 'fib.ts');
const cwd = t.testdir({});
const tl = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, TASKLOAF_JOBS_DIR: join(cwd, 'records') } });

const cases: [string[], RegExp][] = [
  [['run', '-n', 'two', fib], /-n: must be a whole number, got "two" \[ERR_INVALID_OPTION\]/],
  [['run', '-n', '-2', fib], /-n: must be a whole number, got "-2"/],
  [['run', '--np', '1.5', fib], /-n: must be a whole number, got "1\.5"/],
  [['run', '-n', '99999999999', fib], /-n: is too large \(at most 2147483647\), got "99999999999"/],
  [['run', '--simulate-nodes', 'x', fib], /--simulate-nodes: must be a whole number, got "x"/],
  [['template', 'slurm', '--time', '-1h', fib], /--time: "-1h" is not a walltime/],
  [['template', 'slurm', '--nodes', '-2', fib], /--nodes: must be a whole number, got "-2"/],
  [['template', 'slurm', '-N', '-2', fib], /--nodes: must be a whole number, got "-2"/],
  [['template', 'pbs', '--ntasks-per-node', '2.5', fib], /--ntasks-per-node: must be a whole number, got "2\.5"/],
  [['submit', '--dry-run', '--scheduler', 'slurm', '--cpus-per-task', '1e30', fib], /--cpus-per-task: must be a whole number, got "1e30"/],
  [['submit', '--dry-run', '--scheduler', 'slurm', '--gpus', '99999999999999999999', fib], /--gpus: is too large/],
  [['submit', '--dry-run', '--scheduler', 'slurm', '--poll', '-1', fib], /--poll: must be a number of seconds above 0/],
  [['submit', '--dry-run', '--scheduler', 'slurm', '--poll', 'soon', fib], /--poll: must be a number of seconds above 0 and at most 86400, got "soon"/],
  [['logs', '1', '--follow', '--poll', 'x'], /--poll: must be a number of seconds/],
];

for (const [args, re] of cases) {
  t.test(args.slice(0, -1).join(' '), async (t) => {
    const r = tl(args);
    t.equal(r.status, 2, r.stderr);
    t.match(r.stderr, re);
    t.notMatch(r.stdout, /Options:/, 'not the help text');
  });
}

t.test('good numbers still pass', async (t) => {
  const r = tl(['submit', '--dry-run', '--scheduler', 'slurm', '--poll', '0.2', '-N', '2', '--time', '1h', fib]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /#SBATCH --nodes=2\n/);
});
