// One vocabulary for job states (each scheduler maps its own names onto it, in
// its folder's states.ts), and the exit status `taskloaf submit --wait` returns for each.

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
