// Reading what the schedulers print. Slurm and its qsub wrapper run for real in
// slurm-jobs/pbs-jobs; PBS Pro and Torque are not packaged for Debian, so their
// outputs are checked here in the forms their manuals and servers print.
import t from 'tap';
import type { Exec } from '../src/schedulers/commands.js';
import { dialectFor, pbsKindOf, pbsList, pbsStatus, qstatFields, outputPaths } from '../src/schedulers/pbs/commands.js';
import { combine, scontrolFields, slurmExit, slurmStatus } from '../src/schedulers/slurm/commands.js';
import { splitAtScript } from '../src/cli/argv.js';

/** Answers scheduler commands from a table of canned outputs. */
function answers(table: Record<string, { code?: number; stdout?: string; stderr?: string }>): Exec {
  return async (cmd, args) => {
    const key = [cmd, ...args].join(' ');
    const a = table[key];
    if (!a) return { code: 1, stdout: '', stderr: `unexpected: ${key}` };
    return { code: a.code ?? 0, stdout: a.stdout ?? '', stderr: a.stderr ?? '' };
  };
}

t.test('scontrol lines, exit codes and array states', async (t) => {
  const f = scontrolFields('JobId=56 JobName=timer UserId=root(0) JobState=TIMEOUT Reason=TimeLimit Dependency=(null) ExitCode=0:9 StdOut=/tmp/x.out');
  t.match(f, { JobId: '56', JobName: 'timer', JobState: 'TIMEOUT', Reason: 'TimeLimit', ExitCode: '0:9', StdOut: '/tmp/x.out' });
  t.equal(slurmExit('3:0'), 3);
  t.equal(slurmExit('0:9'), 137, 'a signal counts as 128 + signal');
  t.equal(slurmExit('junk'), undefined);
  t.equal(combine(['completed', 'running', 'pending']), 'running');
  t.equal(combine(['completed', 'failed', 'completed']), 'failed');
  t.equal(combine(['completed', 'completed']), 'completed');
  const run = answers({
    'scontrol show job -o 61': {
      stdout:
        'JobId=62 ArrayJobId=61 ArrayTaskId=1 JobName=wrap JobState=COMPLETED Reason=None ExitCode=0:0\n' +
        'JobId=63 ArrayJobId=61 ArrayTaskId=2 JobName=wrap JobState=FAILED Reason=NonZeroExitCode ExitCode=4:0\n' +
        'JobId=61 ArrayJobId=61 ArrayTaskId=3 JobName=wrap JobState=RUNNING Reason=None ExitCode=0:0\n',
    },
    'scontrol show job -o 61_2': { stdout: 'JobId=63 ArrayJobId=61 ArrayTaskId=2 JobName=wrap JobState=FAILED Reason=NonZeroExitCode ExitCode=4:0\n' },
    'scontrol show job -o 5': { code: 1, stderr: 'slurm_load_jobs error: Invalid job id specified' },
    'sacct -n -P -X -j 5 -o JobID,State,ExitCode,JobName': { code: 1, stderr: 'Slurm accounting storage is disabled' },
    'sacct -c -n -P -X -j 5 -o JobID,State,ExitCode,JobName': { stdout: '5|COMPLETED|0:0|old\n' },
    'scontrol show job -o 6': { code: 1, stderr: 'slurm_load_jobs error: Invalid job id specified' },
    'sacct -n -P -X -j 6 -o JobID,State,ExitCode,JobName': { stdout: '6|TIMEOUT|0:15|long\n' },
  });
  t.match(await slurmStatus('61', run), { state: 'running', source: 'scontrol' }, 'an array runs while a task runs');
  t.match(await slurmStatus('61_2', run), { state: 'failed', exitCode: 4, reason: 'NonZeroExitCode' });
  t.match(await slurmStatus('5', run), { state: 'completed', exitCode: 0, name: 'old', source: 'sacct' }, 'forgotten by the controller: sacct -c');
  t.match(await slurmStatus('6', run), { state: 'timeout', source: 'sacct' }, 'sacct with accounting');
  t.match(await slurmStatus('7', run), { state: 'unknown' });
});

const PRO = `Job Id: 1234.pbs-server.example.org
    Job_Name = fib
    Job_Owner = me@login1
    job_state = F
    queue = workq
    Exit_status = 3
    Output_Path = login1.example.org:/home/me/taskloaf-jobs/fib-20261129-120000-a1b2.o
\tut
    Error_Path = login1:/home/me/taskloaf-jobs/fib.err
    comment = Job run at Sun Nov 29 at 12:00 on (n01:ncpus=8) and finished

Job Id: 1235.pbs-server.example.org
    Job_Name = other
    job_state = R
`;

const TORQUE = `Job Id: 88.head
    Job_Name = fib
    job_state = C
    exit_status = -11
`;

t.test('qstat -f in PBS Pro and Torque forms', async (t) => {
  const f = qstatFields(PRO, '1234')!;
  t.equal(f.job_state, 'F');
  t.equal(f.Output_Path, 'login1.example.org:/home/me/taskloaf-jobs/fib-20261129-120000-a1b2.out', 'continuation lines joined');
  t.same(outputPaths(f), { output: '/home/me/taskloaf-jobs/fib-20261129-120000-a1b2.out', error: '/home/me/taskloaf-jobs/fib.err' });
  t.equal(qstatFields(PRO, '1235.pbs-server.example.org')!.Job_Name, 'other');
  t.equal(qstatFields(PRO, '999'), null);
  const run = answers({
    'qstat --version': { stdout: 'pbs_version = 2022.1.1' },
    'qstat -x -f 1234': { stdout: PRO },
    'qstat -x -f 88.head': { code: 2, stderr: 'qstat: invalid option -- x' },
    'qstat -f 88.head': { stdout: TORQUE },
  });
  t.match(await pbsStatus('1234', run), { state: 'failed', exitCode: 3, name: 'fib', source: 'qstat' }, 'PBS Pro keeps finished jobs with -x');
  t.match(await pbsStatus('88.head', run), { state: 'timeout', source: 'qstat' }, 'Torque: no -x, walltime exit status');
});

t.test('which PBS is installed', async (t) => {
  t.equal(pbsKindOf('pbs_version = 2022.1.1\n'), 'pbspro');
  t.equal(pbsKindOf('Version: 6.1.3\nCommit: abc\n'), 'torque');
  t.equal(pbsKindOf('Unknown option: version\nUsage:\n    qstat [-f] [-a|-i|-r] [-n [-1]]'), 'slurm-wrapper');
  t.equal(pbsKindOf(''), 'unknown');
  t.equal(dialectFor('pbspro'), 'pbspro');
  t.equal(dialectFor('torque'), 'torque');
  t.equal(dialectFor('slurm-wrapper'), 'torque');
  t.equal(dialectFor('unknown'), 'pbspro');
});

t.test('qstat -u tables, truncated ids included', async (t) => {
  const table = `
head:
                                                                 Req'd       Req'd       Elap
Job ID                  Username    Queue    Jobname    SessID  NDS   TSK   Memory      Time    S   Time
----------------------- ----------- -------- ---------- ------ ----- ------ --------- --------- - ---------
1234567.very-long-ser*  me          workq    fib          4242     2     16       --   01:00:00 R  00:10:00
1234568.very-long-ser*  me          workq    other          --     1      1       --   01:00:00 Q       --
1234569.very-long-ser*  me          workq    done           --     1      1       --   01:00:00 F       --
`;
  const run = answers({ 'qstat -u me': { stdout: table } });
  t.match(await pbsList('me', false, run), [
    { id: '1234567.very-long-ser*', state: 'running', name: 'fib' },
    { id: '1234568.very-long-ser*', state: 'pending', name: 'other' },
  ]);
  t.equal((await pbsList('me', true, run)).length, 3, '--all keeps the finished one');
});

t.test('the script splits off its own arguments for submit and template too', async (t) => {
  t.same(splitAtScript(['submit', '--time', '1h', '-N', '2', 'app.ts', '--time', 'x']), {
    own: ['submit', '--time', '1h', '-N', '2', 'app.ts'],
    scriptArgs: ['--time', 'x'],
  });
  t.same(splitAtScript(['submit', '--exclusive', '--wait', 'app.ts', 'a']), { own: ['submit', '--exclusive', '--wait', 'app.ts'], scriptArgs: ['a'] });
  t.same(splitAtScript(['template', 'pbs', '--dialect', 'torque', 'app.ts', '-n', '3']), {
    own: ['template', 'pbs', '--dialect', 'torque', 'app.ts'],
    scriptArgs: ['-n', '3'],
  });
  t.same(splitAtScript(['submit', '--time=1h', 'app.ts', '--x']), { own: ['submit', '--time=1h', 'app.ts'], scriptArgs: ['--x'] });
  t.same(splitAtScript(['status', '12', '13']), { own: ['status', '12', '13'], scriptArgs: [] });
});
