// Slurm's own walltime forms through the CLI: D-HH (4-12) and UNLIMITED are
// taken and written as Slurm reads them; PBS, which has no unlimited
// walltime, refuses that with the option named.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cli, root } from './helpers/ranks.js';

const fib = join(root, 'examples', 'fib.ts');
const cwd = t.testdir({});
const tl = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, TASKLOAF_JOBS_DIR: join(cwd, 'records') } });

t.test('Slurm', async (t) => {
  const forms: [string, string][] = [
    ['4-12', '4-12:00:00'],
    ['0-6', '06:00:00'],
    ['4-12:30', '4-12:30:00'],
    ['UNLIMITED', 'UNLIMITED'],
    ['unlimited', 'UNLIMITED'],
    ['INFINITE', 'UNLIMITED'],
  ];
  for (const [typed, written] of forms) {
    const r = tl(['template', 'slurm', '--time', typed, fib]);
    t.equal(r.status, 0, r.stderr);
    t.match(r.stdout, `\n#SBATCH --time=${written}\n`, typed);
  }
});

t.test('PBS', async (t) => {
  const r = tl(['template', 'pbs', '--dialect', 'torque', '--time', '4-12', fib]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /\n#PBS -l walltime=108:00:00\n/, 'D-HH as hours');
  for (const dialect of ['torque', 'pbspro']) {
    const u = tl(['template', 'pbs', '--dialect', dialect, '--time', 'UNLIMITED', fib]);
    t.equal(u.status, 2);
    t.match(u.stderr, /--time: PBS has no unlimited walltime, got "UNLIMITED"; give a length .*\[ERR_INVALID_OPTION\]/);
  }
});

t.test('still refused', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--time', '4-24'], /--time: "4-24" has 24 hours after the day count/],
    [['--time', '0-0'], /--time: "0-0" must be longer than zero/],
    [['--signal-before', 'UNLIMITED'], /--signal-before: "UNLIMITED" is not a length of time here/],
  ];
  for (const [args, re] of cases) {
    const r = tl(['template', 'slurm', ...args, fib]);
    t.equal(r.status, 2, args.join(' '));
    t.match(r.stderr, re);
  }
});
