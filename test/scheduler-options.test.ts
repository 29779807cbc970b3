// Job options are checked before anything is rendered or submitted; every
// error names the option (and the config file it came from).
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from '../src/launch/jobs/render.js';
import { jobNameFor, jobSpec, type JobOptions } from '../src/launch/jobs/spec.js';

const cwd = '/home/user/proj';
const spec = (o: JobOptions, args: string[] = []) => jobSpec(o, 'app.ts', args, {}, cwd);

t.test('invalid resources are refused, naming the option', async (t) => {
  const cases: [JobOptions, string, RegExp][] = [
    [{ nodes: 0 }, '--nodes', /at least 1, got 0/],
    [{ nodes: 1.5 }, '--nodes', /integer/],
    [{ ntasksPerNode: -2 }, '--ntasks-per-node', /at least 1/],
    [{ cpusPerTask: 0 }, '--cpus-per-task', /at least 1/],
    [{ gpus: -1 }, '--gpus', /at least 0/],
    [{ time: '1:99' }, '--time', /ambiguous/],
    [{ time: '90' }, '--time', /bare number/],
    [{ mem: '-4G' }, '--mem', /negative/],
    [{ mem: '4Q' }, '--mem', /unknown unit/],
    [{ mem: '4G', memPerCpu: '1G' }, '--mem', /not both/],
    [{ scheduler: 'lsf' as 'slurm' }, '--scheduler', /slurm or pbs/],
    [{ dialect: 'sge' as 'torque' }, '--dialect', /pbspro or torque/],
    [{ mailType: ['end', 'often'] , mailUser: 'a@b' }, '--mail-type', /"often" is not one of/],
    [{ mailType: ['end'] }, '--mail-type', /needs --mail-user/],
    [{ mailUser: 'a b@c' }, '--mail-user', /not a mail address/],
    [{ export: 'some' as 'all' }, '--export', /all or none/],
    [{ array: '1-' }, '--array', /not an index list/],
    [{ array: '5-1' }, '--array', /ends before it starts/],
    [{ array: '1-9:0' }, '--array', /zero step/],
    [{ array: '1,3,5', scheduler: 'pbs' }, '--array', /PBS Pro takes one range/],
    [{ array: '1-5%2', scheduler: 'pbs' }, '--array', /PBS Pro takes one range/],
    [{ dependency: ['afterok'] }, '--dependency', /not a dependency/],
    [{ dependency: ['before:1'] }, '--dependency', /not a dependency/],
    [{ dependency: ['afterok:1;rm -rf /'] }, '--dependency', /not a job id/],
    [{ env: ['1X=2'] }, '--env', /NAME=VALUE/],
    [{ env: ['NOVALUE'] }, '--env', /NAME=VALUE/],
    [{ env: ['A=line1\nline2'] }, '--env', /single line/],
    [{ setup: ['echo a\nrm -rf ~'] }, '--setup', /single line/],
    [{ directive: ['--qos=x\n#SBATCH --nodes=99'] }, '--directive', /single line/],
    [{ directive: ['qos=x'] }, '--directive', /should start with its option/],
    [{ scheduler: 'pbs', signalBefore: '2m' }, '--signal-before', /needs Slurm: PBS sends no warning/],
    [{ scheduler: 'pbs', requeueOnTimeout: true }, '--requeue-on-timeout', /needs Slurm/],
    [{ signalBefore: '90' }, '--signal-before', /ambiguous/],
    [{ signalBefore: '1h', time: '30m' }, '--signal-before', /must be shorter than --time/],
    [{ signalBefore: '1d' }, '--signal-before', /at most 65535 s/],
  ];
  for (const [opts, option, why] of cases) {
    t.throws(() => spec(opts), { code: 'ERR_INVALID_OPTION', option, message: why }, `${option} ${JSON.stringify(opts)}`);
  }
  t.doesNotThrow(() => spec({ array: '1,3,5', scheduler: 'pbs', dialect: 'torque' }), 'Torque takes lists');
  t.doesNotThrow(() => spec({ array: '1-5%2' }), 'Slurm takes throttles');
});

t.test('hostile values are refused or rendered inert', async (t) => {
  const hostile = ['x$(touch /tmp/pwned)', 'x`id`', "x'y", 'x"y', 'x\ny', 'x y', 'x;y', 'x|y', 'x&y', 'x>y', '$HOME', '-x', ''];
  for (const v of hostile) {
    t.throws(() => spec({ jobName: v }), { option: '--job-name' }, `job name ${JSON.stringify(v)}`);
    t.throws(() => spec({ partition: v }), { option: '--partition' }, `partition ${JSON.stringify(v)}`);
    t.throws(() => spec({ account: v }), { option: '--account' }, `account ${JSON.stringify(v)}`);
    t.throws(() => spec({ module: [v] }), { option: '--module' }, `module ${JSON.stringify(v)}`);
  }
  t.throws(() => spec({ output: 'logs/$(id).out' }), { option: '--output', message: /contains '\$'/ });
  t.throws(() => spec({ logDir: 'my logs' }), { option: '--log-dir', message: /contains a space/ });
  t.throws(() => spec({ chdir: '/tmp/a`b`' }), { option: '--chdir' });

  // Script arguments and --env values may hold anything: they are quoted.
  const dir = t.testdir({});
  const pwned = join(dir, 'pwned');
  const args = [`$(touch ${pwned})`, `\`touch ${pwned}\``, `'; touch ${pwned}; '`, 'a\nb', '*', '~', '!x', '--x'];
  const s = jobSpec({ env: [`E=$(touch ${pwned})`], setup: [], module: ['gcc/12.2+mpi=on', 'OpenMPI/4.1'], chdir: 'run%1' }, 'app.ts', args, {}, dir);
  const script = render(s, { node: '/bin/echo', cli: 'ARGS', stamp: 's' }).script;
  // Run the whole rendered body: its working directory exists, `module` logs
  // its words, and the launch line prints its words instead of running.
  mkdirSync(s.workdir);
  const modules = join(dir, 'modules.log');
  const body = script.replace(/^exec \/bin\/echo /m, 'printf "%s\\0" ');
  const out = execFileSync('bash', ['-c', `module() { printf '%s\\0' "$@" >> "$MODULES"; }\n${body}\nprintf "%s\\0" "$PWD" "$E"`], { encoding: 'utf8', env: { ...process.env, MODULES: modules } });
  const words = out.split('\0').slice(0, -1);
  t.strictSame(words.slice(0, 3), ['ARGS', 'run', '--']);
  t.strictSame(words.slice(4, 4 + args.length), args, 'every argument arrives verbatim');
  t.equal(words.at(-2), join(dir, 'run%1'), 'the job runs in its working directory');
  t.equal(words.at(-1), `$(touch ${pwned})`, 'the --env value arrives verbatim');
  t.strictSame(readFileSync(modules, 'utf8').split('\0').slice(0, -1), ['load', 'gcc/12.2+mpi=on', 'load', 'OpenMPI/4.1'], 'module load gets each module verbatim, one at a time');
  t.notOk(existsSync(pwned), 'nothing ran');
});

t.test('defaults and names', async (t) => {
  const s = spec({});
  t.equal(s.scheduler, 'slurm');
  t.equal(s.nodes, 1);
  t.equal(s.ntasksPerNode, 1);
  t.equal(s.jobName, 'app');
  t.equal(s.logDir, '/home/user/proj/taskloaf-jobs');
  t.equal(s.workdir, '/home/user/proj');
  t.equal(s.script, '/home/user/proj/app.ts');
  t.equal(jobNameFor('2d stencil (v2).ts'), 'job-2d-stencil-v2-');
  t.equal(jobNameFor('/x/y/my.app.mts'), 'my.app');
  t.equal(spec({ logDir: '/scratch/logs', chdir: 'sub' }).workdir, '/home/user/proj/sub');
  t.same(spec({ dependency: ['afterok:1:2', 'afterany:3_1'] }).dependencies, [
    { type: 'afterok', ids: ['1', '2'] },
    { type: 'afterany', ids: ['3_1'] },
  ]);
  t.same(spec({ array: '1-10%4' }).array, { indices: '1-10', throttle: 4, isRange: true });
  t.equal(spec({ mem: '1000K' }).memPerNode, 2 ** 20, 'memory rounds up to whole MiB');
});

t.test('time-limit warning and requeue', async (t) => {
  const fixed = { node: '/usr/bin/node', cli: '/cli.js', stamp: 's' };
  const warn = render(spec({ time: '2h', signalBefore: '5m' }), fixed).script;
  t.match(warn, '\n#SBATCH --signal=B:USR2@300\n', 'to the batch shell, which is taskloaf run');
  t.notMatch(warn, '--requeue');
  const rq = render(spec({ time: '2h', requeueOnTimeout: true }), fixed).script;
  t.match(rq, '\n#SBATCH --signal=B:USR2@120\n', 'two minutes unless said');
  t.match(rq, '\n#SBATCH --requeue\n#SBATCH --open-mode=append\n');
  t.match(rq, '\nexport TASKLOAF_REQUEUE=1');
});

t.test('config sources appear in errors', async (t) => {
  t.throws(() => jobSpec({ nodes: 0 }, 'app.ts', [], { nodes: 'taskloaf.config.json profile big' }, cwd), {
    message: '--nodes (taskloaf.config.json profile big): must be an integer of at least 1, got 0',
  });
});
