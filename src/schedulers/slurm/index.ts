// Slurm as a Scheduler: everything taskloaf knows about it, gathered from this
// folder. Arrays and logs use Slurm's own patterns (%j, %A_%a), so the script
// and its logs are named after the job id once sbatch has given it.
import { join } from 'node:path';
import type { Scheduler } from '../scheduler.js';
import { scancel, sbatchCommand, slurmList, slurmStatus } from './commands.js';
import { slurmKey, slurmLines } from './directives.js';
import { slurmAllocation, slurmRunningJob } from './environment.js';
import { parseSlurmJobId } from './jobid.js';
import { slurmMemory, slurmWalltime } from './quantities.js';
import { slurmState } from './states.js';

export const slurm: Scheduler = {
  name: 'slurm',
  title: 'Slurm',
  dialects: [],
  submitProgram: 'sbatch',
  queryProgram: 'squeue',

  template: () => join('slurm', 'job.sh'),
  directivePrefix: '#SBATCH',
  directives: slurmLines,
  directiveKeys: (d) => [slurmKey(d)],
  logPaths(spec) {
    const base = join(spec.logDir, spec.jobName);
    const id = spec.array ? '%A_%a' : '%j';
    return { output: `${base}-${id}.out`, error: `${base}-${id}.err` };
  },
  fillLogPath: (p, { name, seq, index }) =>
    p.replace(/%j/g, index ? `${seq}_${index}` : seq).replace(/%A/g, seq).replace(/%a/g, index).replace(/%x/g, name),
  // --signal's warning time is a 16-bit field.
  timeLimitWarning: { maxSeconds: 65535 },

  walltime: slurmWalltime,
  memory: slurmMemory,
  parseJobId: parseSlurmJobId,
  state: (raw) => slurmState(raw),

  submitCommand: (script) => sbatchCommand(script),
  submitDirectory: (spec) => spec.workdir,
  namesFilesById: true,
  status: slurmStatus,
  list: slurmList,
  cancel: scancel,
  requeueCommand: (id) => ['scontrol', 'requeue', id],

  runningJob: slurmRunningJob,
  allocation: slurmAllocation,
  allocationVariable: 'SLURM_JOB_ID',
  ownLauncher: {
    name: 'srun',
    rankVariable: 'SLURM_PROCID',
    command({ np, bind, mpiFlavor, program }) {
      // PMIx for Open MPI, PMI-2 for MPICH: how each finds its peers without mpirun.
      return ['srun', '--ntasks', String(np), `--mpi=${mpiFlavor === 'openmpi' ? 'pmix' : 'pmi2'}`, `--cpu-bind=${bind === 'core' ? 'cores' : 'none'}`, '--kill-on-bad-exit=1', ...program];
    },
  },
};
