// Inside a batch job `taskloaf run` launches into the job's allocation instead
// of on this machine alone: with mpirun/mpiexec (over the node file when the
// scheduler gives one, else reading the allocation themselves), or with the
// scheduler's own launcher (srun). Which allocation, if any, the schedulers
// say from the environment (src/schedulers/registry.ts).
import { LaunchError } from '../errors.js';
import { readEnv } from '../env.js';
import { allocationFromEnv, schedulers } from '../schedulers/registry.js';
import type { Allocation } from '../schedulers/scheduler.js';
import { localCommand, type Command, type Launcher } from './mpiexec.js';

export type { Allocation } from '../schedulers/scheduler.js';

/** The allocation this process runs in, or null outside a batch job (or with TASKLOAF_ALLOCATION=none). */
export function detectAllocation(env: NodeJS.ProcessEnv = process.env): Allocation | null {
  if (readEnv('TASKLOAF_ALLOCATION', env) === 'none') return null;
  return allocationFromEnv(env);
}

/** mpiexec, or a scheduler's own launcher (`srun`). */
export type AllocationLauncher = string;

/** The `--launcher` values that start ranks in an allocation: mpiexec, then the schedulers' own. */
export function allocationLaunchers(): string[] {
  return ['mpiexec', ...schedulers().flatMap((s) => (s.ownLauncher ? [s.ownLauncher.name] : []))];
}

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
  if (opts.launcher !== 'mpiexec') {
    const owner = schedulers().find((s) => s.ownLauncher?.name === opts.launcher);
    if (!owner || owner.name !== alloc.scheduler) {
      throw new LaunchError('ERR_INVALID_OPTION', `--launcher ${opts.launcher} needs a ${owner?.title ?? 'scheduler'} allocation`);
    }
    const [command, ...args] = owner.ownLauncher!.command({ np: opts.np, bind: opts.bind, mpiFlavor: mpiexec.flavor, program: opts.program });
    return { command: command!, args, env: { ...baseEnv }, forwardsUserSignals: true };
  }
  return localCommand(
    mpiexec,
    { np: opts.np, oversubscribe: false, bind: opts.bind, tcp: opts.tcp, program: opts.program, ...(alloc.nodefile ? { hostfile: alloc.nodefile } : {}) },
    baseEnv,
  );
}
