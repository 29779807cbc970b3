// Inside a batch job, `taskloaf run` launches across the job's allocation.
import t from 'tap';
import { join } from 'node:path';
import { allocationCommand, detectAllocation } from '../src/launch/allocation.js';
import { slurmTasksPerNode } from '../src/schedulers/slurm/environment.js';
import { runCommand } from '../src/launch/run.js';
import { root } from './helpers/ranks.js';

const ompi = { path: '/usr/bin/mpirun', flavor: 'openmpi' as const };
const mpich = { path: '/usr/bin/mpiexec.hydra', flavor: 'mpich' as const };
const program = ['node', 'app.js'];

t.test('which allocation, if any', async (t) => {
  t.equal(detectAllocation({}), null, 'none outside a job');
  t.same(detectAllocation({ SLURM_JOB_ID: '7', SLURM_NTASKS: '8', SLURM_JOB_NUM_NODES: '2' }), { scheduler: 'slurm', jobId: '7', tasks: 8, nodes: 2 });
  t.equal(detectAllocation({ SLURM_JOB_ID: '7', SLURM_TASKS_PER_NODE: '2(x3),1' })!.tasks, 7);
  t.equal(detectAllocation({ SLURM_JOB_ID: '7', SLURM_NTASKS_PER_NODE: '4', SLURM_NNODES: '3' })!.tasks, 12);
  t.equal(detectAllocation({ SLURM_JOB_ID: '7' })!.tasks, 1);
  t.equal(slurmTasksPerNode('4'), 4);
  t.equal(slurmTasksPerNode('junk'), 0);
  const dir = t.testdir({ nodes: 'n1\nn1\nn2\nn2\n' });
  const pbs = detectAllocation({ PBS_JOBID: '12.head', PBS_NODEFILE: join(dir, 'nodes'), SLURM_JOB_ID: '99' });
  t.same(pbs, { scheduler: 'pbs', jobId: '12.head', tasks: 4, nodes: 2, nodefile: join(dir, 'nodes') }, 'the node file first');
  t.same(
    detectAllocation({ PBS_JOBID: '48', SLURM_JOB_ID: '48', SLURM_NTASKS: '2' }),
    { scheduler: 'slurm', jobId: '48', tasks: 2, nodes: 1 },
    "Slurm's qsub wrapper: PBS_JOBID without a node file is the Slurm job it is",
  );
  t.equal(detectAllocation({ SLURM_JOB_ID: '7', TASKLOAF_ALLOCATION: 'none' }), null, 'TASKLOAF_ALLOCATION=none ignores it');
});

t.test('the launch command per MPI and launcher', async (t) => {
  const slurm = { scheduler: 'slurm' as const, jobId: '7', tasks: 4, nodes: 2 };
  const o = allocationCommand(slurm, ompi, { np: 4, bind: 'core', tcp: false, launcher: 'mpiexec', program }, {});
  t.equal(o.command, '/usr/bin/mpirun');
  t.same(o.args.slice(0, 2), ['-n', '4']);
  t.notOk(o.args.includes('--oversubscribe'), 'the allocation has the cores');
  t.notOk(o.args.includes('--hostfile'), 'mpirun reads the Slurm allocation itself');
  t.match(o.args.join(' '), /--bind-to core/);
  t.same(o.args.slice(-2), program);
  const s = allocationCommand(slurm, ompi, { np: 4, bind: 'core', tcp: false, launcher: 'srun', program }, {});
  t.equal(s.command, 'srun');
  t.same(s.args, ['--ntasks', '4', '--mpi=pmix', '--cpu-bind=cores', '--kill-on-bad-exit=1', ...program]);
  const sm = allocationCommand(slurm, mpich, { np: 2, bind: 'none', tcp: false, launcher: 'srun', program }, {});
  t.match(sm.args, ['--ntasks', '2', '--mpi=pmi2', '--cpu-bind=none']);
  const dir = t.testdir({ nodes: 'a\nb\n' });
  const pbs = { scheduler: 'pbs' as const, jobId: '1.h', tasks: 2, nodes: 2, nodefile: join(dir, 'nodes') };
  t.match(allocationCommand(pbs, ompi, { np: 2, bind: 'core', tcp: false, launcher: 'mpiexec', program }, {}).args.join(' '), `--hostfile ${join(dir, 'nodes')}`);
  t.match(allocationCommand(pbs, mpich, { np: 2, bind: 'core', tcp: false, launcher: 'mpiexec', program }, {}).args.join(' '), `-f ${join(dir, 'nodes')}`);
  t.throws(() => allocationCommand(pbs, ompi, { np: 2, bind: 'core', tcp: false, launcher: 'srun', program }, {}), { message: /needs a Slurm allocation/ });
  t.throws(() => allocationCommand(slurm, ompi, { np: 5, bind: 'core', tcp: false, launcher: 'mpiexec', program }, {}), {
    code: 'ERR_OVERSUBSCRIBED',
    message: /more ranks than the slurm allocation 7 holds \(4\)/,
  });
});

t.test('taskloaf run takes the allocation\'s size and launcher', async (t) => {
  const script = join(root, 'test', 'ranks', 'world.ts');
  const env = { ...process.env, SLURM_JOB_ID: '7', SLURM_NTASKS: '3', PBS_NODEFILE: '', PBS_JOBID: '' };
  const c = runCommand({ script }, env);
  t.same(c.args.slice(0, 2), ['-n', '3'], '-n defaults to the allocation\'s tasks');
  t.notOk(c.env.TASKLOAF_OVERSUBSCRIBED, 'not oversubscribed on the allocation\'s cores');
  t.equal(runCommand({ script, launcher: 'srun' }, env).command, 'srun');
  const local = runCommand({ script, launcher: 'local' }, env);
  t.same(local.args.slice(0, 2), ['-n', '1'], '--launcher local ignores the allocation');
  const outside = { ...process.env, SLURM_JOB_ID: '', PBS_JOBID: '', PBS_NODEFILE: '' };
  t.same(runCommand({ script }, outside).args.slice(0, 2), ['-n', '1']);
  t.throws(() => runCommand({ script, launcher: 'srun' }, outside), { code: 'ERR_NO_ALLOCATION' });
  t.throws(() => runCommand({ script, launcher: 'bogus' as 'srun' }, outside), { code: 'ERR_INVALID_OPTION', message: /--launcher/ });
});
