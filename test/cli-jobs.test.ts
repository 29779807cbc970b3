// The job commands of the CLI: help everywhere, errors that name the option,
// exit statuses, templates printed without submitting.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cli, root } from './helpers/ranks.js';

const fib = join(root, 'examples', 'fib.ts');
// Not the repository: `template` creates ./taskloaf-jobs where it runs.
const scratch = t.testdir({ 'a-file': '' });
function tl(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: scratch, encoding: 'utf8', env: { ...process.env, TASKLOAF_JOBS_DIR: '/nonexistent/records', ...env } });
}

t.test('--help on every command', async (t) => {
  const expect: Record<string, RegExp[]> = {
    run: [/--launcher/, /--oversubscribe/],
    template: [/--dialect/, /--walltime|--time/, /--ntasks-per-node/, /--directive/, /--template/],
    submit: [/--dry-run/, /--wait/, /--json/, /--array/, /--dependency/, /--profile/],
    status: [/--json/, /--all/],
    logs: [/--follow/],
    cancel: [/ids/],
  };
  for (const [cmd, res] of Object.entries(expect)) {
    const r = tl([cmd, '--help']);
    t.equal(r.status, 0, `${cmd} --help`);
    for (const re of res) t.match(r.stdout, re, `${cmd} --help mentions ${re}`);
  }
  const top = tl(['--help']);
  t.match(top.stdout.replace(/\s+/g, ' '), /Exit status: 0 ok; 1 doctor found a problem; 2 bad usage or option; 3 the scheduler failed/);
});

t.test('template prints a script and submits nothing', async (t) => {
  const r = tl(['template', 'slurm', '--nodes', '2', '--ntasks-per-node', '4', '--time', '2h', '--mem', '8G', fib, '30']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^#!\/bin\/bash\n/);
  t.match(r.stdout, /#SBATCH --nodes=2\n#SBATCH --ntasks-per-node=4\n/);
  t.match(r.stdout, /#SBATCH --time=02:00:00\n/);
  t.match(r.stdout, /run -- \S+\/examples\/fib\.ts 30\n$/);
  const p = tl(['template', 'pbs', '--dialect', 'torque', '--time', '36h', fib]);
  t.match(p.stdout, /#PBS -l walltime=36:00:00\n/);
  const pro = tl(['template', 'pbs', '--dialect', 'pbspro', '-N', '3', '--ntasks-per-node', '2', fib]);
  t.match(pro.stdout, /#PBS -l select=3:ncpus=2:mpiprocs=2:ompthreads=1\n#PBS -l place=scatter\n/);
  const nowhere = tl(['template', 'slurm', '--log-dir', join(scratch, 'a-file', 'logs'), fib]);
  t.equal(nowhere.status, 0, 'a log directory it cannot make does not stop the script');
  t.match(nowhere.stdout, `#SBATCH --output=${join(scratch, 'a-file', 'logs')}/fib-%j.out\n`);
  t.match(nowhere.stderr, /warning: cannot create the log directory .*; create it before submitting, or use --log-dir/);
});

t.test('bad options: exit 2, the option named, nothing submitted', async (t) => {
  const cases: [string[], RegExp][] = [
    [['template', 'slurm', '--time', '90', fib], /--time: "90" is ambiguous.*\[ERR_INVALID_OPTION\]/],
    [['template', 'slurm', '--time', '1:99', fib], /--time: "1:99" is ambiguous/],
    [['submit', '--nodes', '0', fib], /--nodes: must be an integer of at least 1, got 0/],
    [['submit', '--nodes', 'two', fib], /--nodes: must be a whole number, got "two"/],
    [['submit', '--mem=-1G', fib], /--mem: "-1G" is negative/],
    [['submit', '--mem', '4', fib], /--mem: "4" has no unit/],
    [['submit', '--job-name', 'x$(touch /tmp/pwned)', fib], /--job-name: .* is not a job name/],
    [['submit', '--partition', "a'b", fib], /--partition: .* contains '''/],
    [['template', 'lsf', fib], /Invalid values|Choices/],
    [['submit', 'no/such.ts'], /script not found: no\/such\.ts \[ERR_SCRIPT_NOT_FOUND\]/],
    [['submit', '--profile', 'x', fib], /--profile: there is no config file/],
  ];
  for (const [args, re] of cases) {
    const r = tl(args, { XDG_CONFIG_HOME: '/nonexistent' });
    t.equal(r.status, 2, args.join(' '));
    t.match(r.stderr, re, args.join(' '));
  }
  t.notOk(existsSync('/tmp/pwned'), 'nothing ran');
});

t.test('a config file gives defaults; the command line wins', async (t) => {
  const dir = t.testdir({
    'taskloaf.config.json': JSON.stringify({ defaults: { account: 'proj9', time: '30m' }, profiles: { gpu: { partition: 'gpu', gpus: 2 } } }),
  });
  const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8' });
  const r = run(['template', 'slurm', '--profile', 'gpu', '--time', '1h', fib]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /#SBATCH --account=proj9\n/);
  t.match(r.stdout, /#SBATCH --partition=gpu\n/);
  t.match(r.stdout, /#SBATCH --gpus-per-node=2\n/);
  t.match(r.stdout, /#SBATCH --time=01:00:00\n/);
  const named = `taskloaf: config ${join(dir, 'taskloaf.config.json')} (taskloaf.config.json, profile gpu)\n`;
  t.equal(r.stderr, `${named}taskloaf: created ${join(dir, 'taskloaf-jobs')} for the job's logs\n`, 'the config file used and the log directory made, on stderr alone');
  const dry = run(['submit', '--dry-run', '--scheduler', 'slurm', '--profile', 'gpu', fib]);
  t.equal(dry.status, 0, dry.stderr);
  t.equal(dry.stderr, named);
  t.match(dry.stdout, /^#!\/bin\/bash\n/);
  const bad = run(['template', 'slurm', '--profile', 'cpu', fib]);
  t.equal(bad.status, 2);
  t.match(bad.stderr, /--profile: "cpu" is not a profile .* it has: gpu/);
});

t.test('logs of a job taskloaf did not submit', async (t) => {
  const r = tl(['logs', '424242']);
  t.equal(r.status, 3);
  t.match(r.stderr, /no record of job 424242: .*\[ERR_UNKNOWN_JOB\]/);
});
