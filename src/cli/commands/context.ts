// What every command handler shares: the script's own arguments (split off
// before yargs sees them) and the exit status it sets.
export interface Context {
  scriptArgs: string[];
  code: number;
  /** Where human-readable progress goes (stderr), and whether it is a terminal. */
  err: NodeJS.WriteStream;
  out: NodeJS.WriteStream;
}

/** Exit statuses of the CLI besides a job's own. */
export const EXIT = {
  ok: 0,
  /** taskloaf doctor found something a job needs missing. */
  doctor: 1,
  usage: 2,
  scheduler: 3,
  /**
   * The scheduler failed while `submit --wait` or `logs --follow` would have
   * exited with the job's own status, where 3 may be the job's: 125, as
   * `timeout` and `env` say they failed themselves.
   */
  schedulerWhileWaiting: 125,
} as const;
