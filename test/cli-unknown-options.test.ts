// An option the command does not have is named, with where to look, instead
// of yargs' "Not enough non-option arguments" (it took the script as the
// unknown option's value).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cli, root } from './helpers/ranks.js';

const fib = join(root, 'examples', 'fib.ts');
const cwd = t.testdir({});
const tl = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, TASKLOAF_JOBS_DIR: join(cwd, 'records') } });

const cases: [string[], string][] = [
  [['-x'], 'unknown option -x (see taskloaf --help) [ERR_USAGE]'],
  [['run', '--dry-run', fib], 'unknown option --dry-run (see taskloaf run --help) [ERR_USAGE]'],
  [['run', '-n', '2', '--oversubscribe', '--bogus', fib], 'unknown option --bogus (see taskloaf run --help) [ERR_USAGE]'],
  [['template', 'slurm', '-x', fib], 'unknown option -x (see taskloaf template --help) [ERR_USAGE]'],
  [['submit', '--bogus', '--other', fib], 'unknown options --bogus, --other (see taskloaf submit --help) [ERR_USAGE]'],
];

for (const [args, want] of cases) {
  t.test(args.join(' '), async (t) => {
    const r = tl(args);
    t.equal(r.status, 2);
    t.equal(r.stderr, `taskloaf: ${want}\n`);
  });
}

t.test('known options, aliases and --no- forms are not reported', async (t) => {
  const r = tl(['template', 'slurm', '-N', '2', '-c', '2', '--no-exclusive', '-J', 'x', fib]);
  t.equal(r.status, 0, r.stderr);
  const missing = tl(['template', 'slurm']);
  t.equal(missing.status, 2);
  t.match(missing.stderr, /Not enough non-option arguments/, 'a missing script is still said so');
});
