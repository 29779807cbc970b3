// What a process inside a Slurm job learns from its environment: the job and
// step, the array index, restarts after a requeue, and the allocation's tasks
// and nodes. Slurm's qsub wrapper starts jobs with only these variables, so a
// PBS script run there is described here too.
import type { Allocation, RunningJob } from '../scheduler.js';

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

/** The Slurm job this process runs in (the batch step is step 0), or null. */
export function slurmRunningJob(env: NodeJS.ProcessEnv): RunningJob | null {
  if (!env.SLURM_JOB_ID) return null;
  const job: RunningJob = { scheduler: 'slurm', id: env.SLURM_JOB_ID, step: env.SLURM_STEP_ID ?? '0' };
  if (env.SLURM_ARRAY_TASK_ID) job.arrayIndex = env.SLURM_ARRAY_TASK_ID;
  // Set from the first requeue on; a job that never restarted has none.
  const restarts = Number.parseInt(env.SLURM_RESTART_COUNT ?? '', 10);
  if (Number.isInteger(restarts) && restarts >= 0) job.restarts = restarts;
  return job;
}

/** The Slurm allocation: its tasks from whichever variable this Slurm sets. */
export function slurmAllocation(env: NodeJS.ProcessEnv): Allocation | null {
  if (!env.SLURM_JOB_ID) return null;
  const nodes = int(env.SLURM_JOB_NUM_NODES) ?? int(env.SLURM_NNODES) ?? 1;
  const tasks =
    int(env.SLURM_NTASKS) ??
    int(env.SLURM_NPROCS) ??
    (env.SLURM_TASKS_PER_NODE ? slurmTasksPerNode(env.SLURM_TASKS_PER_NODE) || undefined : undefined) ??
    (int(env.SLURM_NTASKS_PER_NODE) ?? 1) * nodes;
  return { scheduler: 'slurm', jobId: env.SLURM_JOB_ID, tasks, nodes };
}
