// Inside a batch job `taskloaf run` launches into the job's allocation instead
// of on this machine alone: under PBS with mpiexec over $PBS_NODEFILE, under
// Slurm with mpirun/mpiexec (both read the Slurm allocation) or srun. A PBS
// script run by Slurm's qsub wrapper has no node file: the Slurm variables
// describe its allocation, so it is treated as the Slurm job it is.
import { existsSync, readFileSync } from 'node:fs';
import { LaunchError } from '../errors.js';
import { readEnv } from '../env.js';
import { localCommand, type Command, type Launcher } from './mpiexec.js';

export interface Allocation {
  scheduler: 'slurm' | 'pbs';
  jobId: string;
  /** Ranks the allocation holds (tasks under Slurm, node-file lines under PBS). */
  tasks: number;
  nodes: number;
  /** PBS only: the node file, one line per rank slot. */
  nodefile?: string;
}

function int(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  // SLURM_TASKS_PER_NODE looks like `2(x3),1`; NTASKS_PER_NODE is one number.
  const n = Number.parseInt(v, 10);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Tasks from SLURM_TASKS_PER_NODE (`2(x3),1` is 2+2+2+1). */
export function slurmTasksPerNode(text: string): number {
  let total = 0;
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:\(x(\d+)\))?$/.exec(part.trim());
    if (!m) return 0;
    total += Number(m[1]) * Number(m[2] ?? 1);
  }
  return total;
}

/** The allocation this process runs in, or null outside a batch job. */
export function detectAllocation(env: NodeJS.ProcessEnv = process.env): Allocation | null {
  if (readEnv('TASKLOAF_ALLOCATION', env) === 'none') return null;
  const nodefile = env.PBS_NODEFILE;
  if (env.PBS_JOBID && nodefile && existsSync(nodefile)) {
    const lines = readFileSync(nodefile, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
    return { scheduler: 'pbs', jobId: env.PBS_JOBID, tasks: lines.length || 1, nodes: new Set(lines).size || 1, nodefile };
  }
  if (env.SLURM_JOB_ID) {
    const nodes = int(env.SLURM_JOB_NUM_NODES) ?? int(env.SLURM_NNODES) ?? 1;
    const tasks =
      int(env.SLURM_NTASKS) ??
      int(env.SLURM_NPROCS) ??
      (env.SLURM_TASKS_PER_NODE ? slurmTasksPerNode(env.SLURM_TASKS_PER_NODE) || undefined : undefined) ??
      (int(env.SLURM_NTASKS_PER_NODE) ?? 1) * nodes;
    return { scheduler: 'slurm', jobId: env.SLURM_JOB_ID, tasks, nodes };
  }
  return null;
}

export type AllocationLauncher = 'mpiexec' | 'srun';

export interface AllocationRunOptions {
  np: number;
  bind: 'core' | 'self' | 'none';
  tcp: boolean;
  launcher: AllocationLauncher;
  program: string[];
}

/** The command that starts `np` ranks across the allocation. */
export function allocationCommand(
  alloc: Allocation,
  mpiexec: Launcher,
  opts: AllocationRunOptions,
  baseEnv: NodeJS.ProcessEnv,
): Command {
  if (opts.np > alloc.tasks) {
    throw new LaunchError(
      'ERR_OVERSUBSCRIBED',
      `-n ${opts.np} asks for more ranks than the ${alloc.scheduler} allocation ${alloc.jobId} holds (${alloc.tasks}); ask the scheduler for more tasks`,
    );
  }
  if (opts.launcher === 'srun') {
    if (alloc.scheduler !== 'slurm') throw new LaunchError('ERR_INVALID_OPTION', '--launcher srun needs a Slurm allocation');
    // PMIx for Open MPI, PMI-2 for MPICH: how each finds its peers without mpirun.
    const args = ['--ntasks', String(opts.np), `--mpi=${mpiexec.flavor === 'openmpi' ? 'pmix' : 'pmi2'}`];
    args.push(`--cpu-bind=${opts.bind === 'core' ? 'cores' : 'none'}`, '--kill-on-bad-exit=1', ...opts.program);
    return { command: 'srun', args, env: { ...baseEnv }, forwardsUserSignals: true };
  }
  return localCommand(
    mpiexec,
    { np: opts.np, oversubscribe: false, bind: opts.bind, tcp: opts.tcp, program: opts.program, ...(alloc.nodefile ? { hostfile: alloc.nodefile } : {}) },
    baseEnv,
  );
}
