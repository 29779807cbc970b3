// What a process inside a PBS job learns from its environment: the job id,
// the array index (PBS Pro's PBS_ARRAY_INDEX, Torque's PBS_ARRAYID), and the
// node file, one line per rank slot. Without a node file (Slurm's qsub
// wrapper) there is no PBS allocation: the Slurm variables describe it.
import { existsSync, readFileSync } from 'node:fs';
import type { Allocation, RunningJob } from '../scheduler.js';

/** The PBS job this process runs in, or null. */
export function pbsRunningJob(env: NodeJS.ProcessEnv): RunningJob | null {
  if (!env.PBS_JOBID) return null;
  const job: RunningJob = { scheduler: 'pbs', id: env.PBS_JOBID };
  const index = env.PBS_ARRAY_INDEX || env.PBS_ARRAYID;
  if (index) job.arrayIndex = index;
  return job;
}

/** The allocation from $PBS_NODEFILE: its lines are the ranks, its distinct names the nodes. */
export function pbsAllocation(env: NodeJS.ProcessEnv): Allocation | null {
  const nodefile = env.PBS_NODEFILE;
  if (!env.PBS_JOBID || !nodefile || !existsSync(nodefile)) return null;
  const lines = readFileSync(nodefile, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  return { scheduler: 'pbs', jobId: env.PBS_JOBID, tasks: lines.length || 1, nodes: new Set(lines).size || 1, nodefile };
}
