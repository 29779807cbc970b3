// `--directive` through the real command line takes a value that is itself
// an option, written as a separate word, as the README shows.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cli, root } from './helpers/ranks.js';

const fib = join(root, 'examples', 'fib.ts');
const cwd = t.testdir({});
const tl = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, TASKLOAF_JOBS_DIR: join(cwd, 'records') } });

t.test('Slurm: --directive --constraint=x, long and short', async (t) => {
  const r = tl(['template', 'slurm', '--directive', '--constraint=x', '--directive', '-t 4:00:00', '--time', '1h', fib, '5']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^#SBATCH --constraint=x$/m);
  t.match(r.stdout, /^#SBATCH -t 4:00:00$/m, 'a short one too');
  t.notMatch(r.stdout, /--time=01:00:00/, 'and it replaces the generated walltime');
  t.match(r.stdout, /run -- \S+fib\.ts 5\n$/, 'the script and its arguments are still the script\'s');
});

t.test('PBS: --directive \'-l feature=y\'', async (t) => {
  const r = tl(['template', 'pbs', '--dialect', 'pbspro', '--directive', '-l feature=y', fib]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^#PBS -l feature=y$/m);
});

t.test('submit --dry-run and --run-option take them the same way', async (t) => {
  const r = tl(['submit', '--dry-run', '--scheduler', 'slurm', '--directive', '--constraint=x', '--run-option', '--launcher', '--run-option', 'srun', fib]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^#SBATCH --constraint=x$/m);
  t.match(r.stdout, /main\.js run --launcher srun -- /);
});
