import t from 'tap';
import { jobIdFromOutput, parseJobId, sameJob } from '../src/schedulers/jobid.js';
import { pbsState } from '../src/schedulers/pbs/states.js';
import { slurmState } from '../src/schedulers/slurm/states.js';
import { waitExitCode } from '../src/schedulers/states.js';

t.test('job ids in the forms the schedulers print', async (t) => {
  t.same(parseJobId('123'), { id: '123', seq: '123' });
  t.same(parseJobId('123;cluster1'), { id: '123', seq: '123', cluster: 'cluster1' });
  t.same(parseJobId('Submitted batch job 123'), { id: '123', seq: '123' });
  t.same(parseJobId('Submitted batch job 123 on cluster x'), { id: '123', seq: '123', cluster: 'x' });
  t.same(parseJobId('123.server'), { id: '123.server', seq: '123', server: 'server' });
  t.same(parseJobId('123.pbs01.cluster.example.org'), { id: '123.pbs01.cluster.example.org', seq: '123', server: 'pbs01.cluster.example.org' });
  t.same(parseJobId('123[].server'), { id: '123[].server', seq: '123', server: 'server', array: true });
  t.same(parseJobId('123[4].server'), { id: '123[4].server', seq: '123', server: 'server', index: '4' });
  t.same(parseJobId('123_4'), { id: '123_4', seq: '123', index: '4' });
  t.same(parseJobId('123_[1-3]'), { id: '123_[1-3]', seq: '123', array: true });
  t.same(parseJobId('  123\n'), { id: '123', seq: '123' });
  for (const bad of ['', 'abc', '12a', 'sbatch: error: Batch job submission failed', '123;', '123 456', '$(x)']) {
    t.equal(parseJobId(bad), null, JSON.stringify(bad));
  }
});

t.test('the id is the last line that holds one; none is an error with the output', async (t) => {
  t.equal(jobIdFromOutput('sbatch: warning: something odd\n4567\n').id, '4567');
  t.equal(jobIdFromOutput('qsub: waiting\n88.head\n').id, '88.head');
  t.throws(() => jobIdFromOutput('nothing useful\n', ['sbatch', '--parsable']), {
    code: 'ERR_JOB_ID',
    message: /no job id in the output of sbatch: "nothing useful"/,
    output: 'nothing useful\n',
  });
});

t.test('truncated qstat ids still match', async (t) => {
  t.ok(sameJob('1234567.very-long-ser*', '1234567.very-long-server.example.org'));
  t.notOk(sameJob('1234567.other*', '1234567.very-long-server'));
  t.ok(sameJob('88.head', '88'), 'the number alone matches the full id');
  t.ok(sameJob('88', '88.head'));
  t.notOk(sameJob('88.head', '89'));
  t.notOk(sameJob('88[1].head', '88[2].head'));
  t.notOk(sameJob('88.a', '88.b'));
});

t.test('one state vocabulary', async (t) => {
  t.equal(slurmState('PENDING'), 'pending');
  t.equal(slurmState('PD'), 'pending');
  t.equal(slurmState('RUNNING'), 'running');
  t.equal(slurmState('COMPLETING'), 'completing');
  t.equal(slurmState('COMPLETED'), 'completed');
  t.equal(slurmState('FAILED'), 'failed');
  t.equal(slurmState('OUT_OF_MEMORY'), 'failed');
  t.equal(slurmState('CANCELLED by 0'), 'cancelled');
  t.equal(slurmState('CANCELLED+'), 'cancelled');
  t.equal(slurmState('TIMEOUT'), 'timeout');
  t.equal(slurmState('WHATEVER'), 'unknown');
  t.equal(pbsState('Q'), 'pending');
  t.equal(pbsState('H'), 'pending');
  t.equal(pbsState('R'), 'running');
  t.equal(pbsState('E'), 'completing');
  t.equal(pbsState('F', 0), 'completed', 'PBS Pro finished');
  t.equal(pbsState('C', 0), 'completed', 'Torque completed');
  t.equal(pbsState('F', 3), 'failed');
  t.equal(pbsState('F', -29), 'timeout', 'PBS Pro walltime');
  t.equal(pbsState('C', -11), 'timeout', 'Torque walltime');
  t.equal(pbsState('F', 271), 'cancelled', 'SIGTERM from qdel');
  t.equal(pbsState('Z'), 'unknown');
  t.equal(waitExitCode('completed'), 0);
  t.equal(waitExitCode('failed', 3), 3);
  t.equal(waitExitCode('failed'), 1);
  t.equal(waitExitCode('failed', 271), 1);
  t.equal(waitExitCode('timeout'), 124);
  t.equal(waitExitCode('cancelled'), 130);
});
