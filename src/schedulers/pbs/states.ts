// PBS's job state letters, told apart by exit status once a job has finished.
import type { JobState } from '../states.js';

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
