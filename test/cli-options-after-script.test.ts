// Job options written after the script go to the script, verbatim, as its
// arguments; a warning names them so `app.ts --nodes 2` is not silently one node.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cli, root } from './helpers/ranks.js';

const fib = join(root, 'examples', 'fib.ts');
const cwd = t.testdir({});
const tl = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, TASKLOAF_JOBS_DIR: join(cwd, 'records') } });
const warning = /^taskloaf: warning: (.*) after the script go(?:es)? to the script as its arguments, not to the job; put job options before the script/m;

t.test('template slurm app.ts --nodes 2', async (t) => {
  const r = tl(['template', 'slurm', fib, '--nodes', '2']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /#SBATCH --nodes=1\n/, 'the job is still the one asked for');
  t.match(r.stdout, /fib\.ts --nodes 2\n$/, 'and the words reach the script');
  t.equal(warning.exec(r.stderr)?.[1], '--nodes');
});

t.test('several, in = and short forms; submit too', async (t) => {
  const r = tl(['submit', '--dry-run', '--scheduler', 'slurm', fib, '--time=1h', '-N', '2', '--wait', '--size', '9']);
  t.equal(r.status, 0, r.stderr);
  t.equal(warning.exec(r.stderr)?.[1], '--time, -N, --wait', 'only the job options, not the script\'s own --size');
});

t.test('no warning for the script\'s own options, or after --', async (t) => {
  t.notMatch(tl(['template', 'slurm', fib, '--size', '9', '--exit', '3']).stderr, /warning/);
  const r = tl(['template', 'slurm', '--', fib, '--nodes', '2']);
  t.equal(r.status, 0, r.stderr);
  t.notMatch(r.stderr, /warning/);
  t.match(r.stdout, /fib\.ts --nodes 2\n$/);
});
