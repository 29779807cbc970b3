// One vocabulary for job states, mapped from Slurm's state names and PBS's
// state letters, and the exit status `taskloaf submit --wait` returns for each.

export type JobState = 'pending' | 'running' | 'completing' | 'completed' | 'failed' | 'cancelled' | 'timeout' | 'unknown';

export interface JobStatus {
  id: string;
  state: JobState;
  /** The job's exit status when it has ended (a signal adds 128). */
  exitCode?: number;
  name?: string;
  /** Why it waits or ended, in the scheduler's words (`Priority`, `TimeLimit`). */
  reason?: string;
  /** Which command said so. */
  source: string;
}

export const ENDED: ReadonlySet<JobState> = new Set(['completed', 'failed', 'cancelled', 'timeout']);

const SLURM: Record<string, JobState> = {
  PENDING: 'pending', CONFIGURING: 'pending', REQUEUED: 'pending', REQUEUE_FED: 'pending', REQUEUE_HOLD: 'pending',
  RESV_DEL_HOLD: 'pending', SPECIAL_EXIT: 'failed',
  RUNNING: 'running', RESIZING: 'running', SUSPENDED: 'running', STOPPED: 'running', SIGNALING: 'running', STAGE_OUT: 'completing',
  COMPLETING: 'completing',
  COMPLETED: 'completed',
  FAILED: 'failed', NODE_FAIL: 'failed', BOOT_FAIL: 'failed', OUT_OF_MEMORY: 'failed',
  CANCELLED: 'cancelled', REVOKED: 'cancelled', PREEMPTED: 'cancelled',
  TIMEOUT: 'timeout', DEADLINE: 'timeout',
};

/** Slurm's state (`RUNNING`, `CANCELLED by 0`, `CANCELLED+`, `PD`) in our words. */
export function slurmState(raw: string): JobState {
  const word = raw.trim().split(/[\s+]/)[0]!.toUpperCase();
  const short: Record<string, string> = { PD: 'PENDING', R: 'RUNNING', CG: 'COMPLETING', CD: 'COMPLETED', F: 'FAILED', CA: 'CANCELLED', TO: 'TIMEOUT', NF: 'NODE_FAIL', OOM: 'OUT_OF_MEMORY', S: 'SUSPENDED', CF: 'CONFIGURING', PR: 'PREEMPTED', BF: 'BOOT_FAIL', DL: 'DEADLINE', RQ: 'REQUEUED', RS: 'RESIZING', SE: 'SPECIAL_EXIT', ST: 'STOPPED', SO: 'STAGE_OUT' };
  return SLURM[short[word] ?? word] ?? 'unknown';
}

// PBS exit statuses with a meaning of their own (PBS Pro and Torque):
// -29 / -11 the walltime ran out; above 256, killed by signal (status - 256).
const PBS_WALLTIME = new Set([-29, -11]);

/**
 * A PBS state letter in our words. Finished jobs (PBS Pro F, Torque and the
 * Slurm wrapper's C) are told apart by their exit status.
 */
export function pbsState(letter: string, exitStatus?: number): JobState {
  switch (letter.trim().toUpperCase()) {
    case 'Q': case 'H': case 'W': case 'T': case 'M':
      return 'pending';
    case 'R': case 'S': case 'U': case 'B':
      return 'running';
    case 'E':
      return 'completing';
    case 'C': case 'F': case 'X':
      if (exitStatus === undefined) return 'completed';
      if (exitStatus === 0) return 'completed';
      if (PBS_WALLTIME.has(exitStatus)) return 'timeout';
      // Killed by SIGTERM/SIGKILL without a walltime: qdel.
      if (exitStatus === 256 + 15 || exitStatus === 256 + 9) return 'cancelled';
      return 'failed';
    default:
      return 'unknown';
  }
}

/** The exit status `--wait` ends with: the job's own when it failed. */
export function waitExitCode(state: JobState, jobExit?: number): number {
  switch (state) {
    case 'completed':
      return 0;
    case 'failed':
      return jobExit !== undefined && jobExit > 0 && jobExit < 256 ? jobExit : 1;
    case 'timeout':
      return 124;
    case 'cancelled':
      return 130;
    default:
      return 1;
  }
}
