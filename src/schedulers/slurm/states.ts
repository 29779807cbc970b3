// Slurm's job state names (long and squeue's short ones) in taskloaf's words.
import type { JobState } from '../states.js';

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
