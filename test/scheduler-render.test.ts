// Golden files: the scripts each dialect renders for the same requests.
// TASKLOAF_UPDATE_GOLDEN=1 rewrites them; the diff is then reviewed like code.
import t from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from '../src/launch/jobs/render.js';
import { jobSpec, type JobOptions } from '../src/launch/jobs/spec.js';
import { root } from './helpers/ranks.js';

const golden = join(root, 'test', 'golden');
const fixed = { node: '/usr/bin/node', cli: '/opt/taskloaf/dist/cli/main.js', stamp: '20261129-120000-a1b2' };
const cwd = '/home/user/proj';

function check(t: Tap.Test, name: string, opts: JobOptions, args: string[] = []) {
  const text = render(jobSpec(opts, 'app.ts', args, {}, cwd), fixed).script;
  const file = join(golden, name);
  if (process.env.TASKLOAF_UPDATE_GOLDEN === '1') writeFileSync(file, text);
  // A missing golden file is a failure, never written and compared with itself.
  if (!existsSync(file)) t.fail(`${name}: no golden file test/golden/${name} (TASKLOAF_UPDATE_GOLDEN=1 writes it, for review)`);
  else t.equal(text, readFileSync(file, 'utf8'), name);
  return text;
}

const full: JobOptions = {
  nodes: 2,
  ntasksPerNode: 4,
  cpusPerTask: 2,
  mem: '16G',
  time: '1h30m',
  partition: 'compute',
  account: 'proj42',
  gpus: 1,
  exclusive: true,
  jobName: 'fib',
  mailUser: 'me@example.org',
  mailType: ['end', 'fail'],
  export: 'all',
  env: ['OMP_PROC_BIND=close', "GREETING=it's $(not run)"],
  module: ['openmpi/4.1'],
  setup: ['source ~/venv.sh'],
};

for (const [scheduler, dialect] of [['slurm', undefined], ['pbs', 'pbspro'], ['pbs', 'torque']] as const) {
  const tag = dialect ?? scheduler;
  t.test(`${tag}: the smallest job`, async (t) => {
    const s = check(t, `${tag}-minimal.sh`, { scheduler, dialect });
    t.match(s, /^#!\/bin\/bash\n/);
    t.match(s, /exec \/usr\/bin\/node \/opt\/taskloaf\/dist\/cli\/main\.js run -- \/home\/user\/proj\/app\.ts\n$/);
    t.notMatch(s, /\{\{\w+\}\}/, 'every field filled');
  });
  t.test(`${tag}: every resource`, async (t) => {
    check(t, `${tag}-full.sh`, { ...full, scheduler, dialect }, ['--size', 'big one']);
  });
  t.test(`${tag}: array and dependencies`, async (t) => {
    check(t, `${tag}-array.sh`, { scheduler, dialect, array: '1-9:2', dependency: ['afterok:100:101', 'afterany:102'], mem: '512M' });
  });
}

t.test('the resource lines each dialect needs', async (t) => {
  const slurm = render(jobSpec({ ...full, scheduler: 'slurm' }, 'app.ts', [], {}, cwd), fixed).script;
  for (const line of [
    '--nodes=2', '--ntasks-per-node=4', '--cpus-per-task=2', '--mem=16G', '--time=01:30:00', '--partition=compute',
    '--account=proj42', '--gpus-per-node=1', '--exclusive', '--job-name=fib', '--mail-user=me@example.org',
    '--mail-type=END,FAIL', '--export=ALL', '--chdir=/home/user/proj',
    '--output=/home/user/proj/taskloaf-jobs/fib-%j.out', '--error=/home/user/proj/taskloaf-jobs/fib-%j.err',
  ]) {
    t.match(slurm, `\n#SBATCH ${line}\n`, line);
  }
  const pro = render(jobSpec({ ...full, scheduler: 'pbs', dialect: 'pbspro' }, 'app.ts', [], {}, cwd), fixed).script;
  for (const line of [
    '-l select=2:ncpus=8:mpiprocs=4:ompthreads=2:mem=16gb:ngpus=1', '-l place=scatter:excl', '-l walltime=01:30:00',
    '-q compute', '-A proj42', '-N fib', '-M me@example.org', '-m ae', '-V',
  ]) {
    t.match(pro, `\n#PBS ${line}\n`, line);
  }
  const torque = render(jobSpec({ ...full, scheduler: 'pbs', dialect: 'torque' }, 'app.ts', [], {}, cwd), fixed).script;
  for (const line of ['-l nodes=2:ppn=8:gpus=1', '-l mem=32gb', '-n', '-l walltime=01:30:00', '-q compute']) {
    t.match(torque, `\n#PBS ${line}\n`, line);
  }
  const perCpu = render(jobSpec({ scheduler: 'pbs', dialect: 'torque', memPerCpu: '2G', cpusPerTask: 2 }, 'app.ts', [], {}, cwd), fixed).script;
  t.match(perCpu, '\n#PBS -l pmem=4gb\n', 'Torque: per-cpu memory becomes per-process');
  const perCpuPro = render(jobSpec({ scheduler: 'pbs', memPerCpu: '2G', ntasksPerNode: 2 }, 'app.ts', [], {}, cwd), fixed).script;
  t.match(perCpuPro, ':mem=4gb\n', 'PBS Pro: per-cpu memory times the chunk\'s cpus');
  const slurmPerCpu = render(jobSpec({ memPerCpu: '1536M' }, 'app.ts', [], {}, cwd), fixed).script;
  t.match(slurmPerCpu, '\n#SBATCH --mem-per-cpu=1536M\n');
  const days = render(jobSpec({ time: '2-00:00:00' }, 'app.ts', [], {}, cwd), fixed).script;
  t.match(days, '\n#SBATCH --time=2-00:00:00\n');
  const pbsDays = render(jobSpec({ scheduler: 'pbs', time: '2-00:00:00' }, 'app.ts', [], {}, cwd), fixed).script;
  t.match(pbsDays, '\n#PBS -l walltime=48:00:00\n');
});

t.test('user directives win over the generated ones in every dialect', async (t) => {
  const slurm = render(
    jobSpec({ time: '1h', directive: ['-t 2:00:00', '--constraint=haswell', '--nodes=3'] }, 'app.ts', [], {}, cwd),
    fixed,
  ).script;
  t.notMatch(slurm, '--time=01:00:00', 'the generated --time is left out');
  t.notMatch(slurm, '--nodes=1');
  t.match(slurm, '#SBATCH -t 2:00:00\n#SBATCH --constraint=haswell\n#SBATCH --nodes=3\n', 'user lines come last, in order');
  const pro = render(
    jobSpec({ scheduler: 'pbs', time: '1h', directive: ['-l walltime=02:00:00,mem=1gb', '-l select=1:ncpus=1:host=n01', '-N mine'] }, 'app.ts', [], {}, cwd),
    fixed,
  ).script;
  t.notMatch(pro, 'walltime=01:00:00');
  t.notMatch(pro, 'mpiprocs=');
  t.notMatch(pro, '-N app');
  t.match(pro, '#PBS -l place=pack', 'lines the user did not set stay');
  t.match(pro, '#PBS -l walltime=02:00:00,mem=1gb\n#PBS -l select=1:ncpus=1:host=n01\n#PBS -N mine\n');
  const torque = render(
    jobSpec({ scheduler: 'pbs', dialect: 'torque', directive: ['-l nodes=1:ppn=2:haswell', '-W depend=afterok:7'], dependency: ['afterok:6'] }, 'app.ts', [], {}, cwd),
    fixed,
  ).script;
  t.notMatch(torque, 'nodes=1:ppn=1\n');
  t.notMatch(torque, 'afterok:6');
  t.match(torque, '#PBS -l nodes=1:ppn=2:haswell\n#PBS -W depend=afterok:7\n');
});

t.test('a template of the user\'s own', async (t) => {
  const dir = t.testdir({
    'mine.sh': '#!/bin/bash\n{{directives}}\n#SBATCH --qos=high\nmodule purge\n{{setup}}\n{{launch}}\n',
    'bad.sh': '#!/bin/bash\n{{directives}}\n{{launch}}\n{{nonsense}}\n',
    'nolaunch.sh': '#!/bin/bash\n{{directives}}\n',
  });
  const spec = jobSpec({ module: ['gcc'] }, 'app.ts', [], {}, cwd);
  const s = render(spec, { ...fixed, template: join(dir, 'mine.sh') }).script;
  t.match(s, '#SBATCH --qos=high\nmodule purge\nmodule load gcc\nexec ');
  t.throws(() => render(spec, { ...fixed, template: join(dir, 'bad.sh') }), { code: 'ERR_INVALID_OPTION', option: '--template', message: /unknown field \{\{nonsense\}\}/ });
  t.throws(() => render(spec, { ...fixed, template: join(dir, 'nolaunch.sh') }), { message: /needs a \{\{directives\}\} and a \{\{launch\}\}/ });
  t.throws(() => render(spec, { ...fixed, template: join(dir, 'missing.sh') }), { message: /cannot read/ });
});
