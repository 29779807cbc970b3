// What taskloaf needs to know about a batch scheduler, in one interface: each
// folder beside this file (slurm/, pbs/) implements it, and the registry lists
// them. Everything outside src/schedulers asks a Scheduler instead of testing
// a scheduler's name or reading its environment variables.
import type { Exec } from './commands.js';
import type { JobSpec } from './job-spec.js';
import type { JobState, JobStatus } from './states.js';

/** A job id as a scheduler prints it, taken apart. */
export interface JobId {
  /** The id to hand back to the scheduler: `123`, `123_4`, `123.server`, `123[4].server`. */
  id: string;
  /** The job number alone. */
  seq: string;
  /** Slurm's cluster (multi-cluster setups) or PBS's server name. */
  cluster?: string;
  server?: string;
  /** An array job (`123[]`), or one of its tasks (`index`). */
  array?: boolean;
  index?: string;
}

/** A generated directive and the key a user directive overrides it by. */
export interface Directive {
  key: string;
  text: string;
}

/** Where the job's output goes. */
export interface LogPaths {
  output: string;
  error: string;
}

/** The job this process runs in, from the scheduler's environment variables. */
export interface RunningJob {
  scheduler: string;
  id: string;
  /** The step within the job (Slurm: SLURM_STEP_ID, 0 for the batch step). */
  step?: string;
  /** The array task's index, in an array job. */
  arrayIndex?: string;
  /** How often the job was requeued and started again. */
  restarts?: number;
}

/** The resources of the job this process runs in, for `taskloaf run` to launch into. */
export interface Allocation {
  scheduler: string;
  jobId: string;
  /** Ranks the allocation holds (tasks under Slurm, node-file lines under PBS). */
  tasks: number;
  nodes: number;
  /** One line per rank slot (PBS's node file), when the scheduler gives one. */
  nodefile?: string;
}

/** A launcher of the scheduler's own that starts ranks in its allocation (srun). */
export interface OwnLauncher {
  /** Its `--launcher` value. */
  name: string;
  /** The variable it gives each rank its number in (`SLURM_PROCID`). */
  rankVariable: string;
  /** The command line that starts `np` ranks of `program`. */
  command(opts: { np: number; bind: 'core' | 'self' | 'none'; mpiFlavor: string; program: string[] }): string[];
}

export interface Scheduler {
  /** The `--scheduler` value, the record's and the template's `scheduler` field. */
  readonly name: string;
  /** The name people use in messages: `Slurm`, `PBS`. */
  readonly title: string;
  /** Dialects of its directives (`--dialect`), the default first; empty when it has one form. */
  readonly dialects: readonly string[];
  /** What tells each dialect apart, for --help: `{ torque: '-l nodes=:ppn=' }`. */
  readonly dialectForms?: Readonly<Record<string, string>>;

  // Installed here?
  /** Its submit command: on PATH means the scheduler is installed (`sbatch`). */
  readonly submitProgram: string;
  /** Its query command: answering `--help` means the scheduler is reachable (`squeue`). */
  readonly queryProgram: string;
  /** The dialect the installed scheduler speaks, when it has several. */
  detectDialect?(run?: Exec): Promise<string>;

  // The job script.
  /** The shipped template for a dialect, relative to the package root. */
  template(dialect: string): string;
  /** What starts each directive line: `#SBATCH`. */
  readonly directivePrefix: string;
  /** The generated directives for a request, before the user's own. */
  directives(spec: JobSpec, logs: LogPaths): Directive[];
  /** The keys a user directive sets, to drop the generated ones it overrides. */
  directiveKeys(directive: string): string[];
  /** Default output and error paths in `logDir`; `stamp` names them when no job-id pattern exists. */
  logPaths(spec: JobSpec, stamp: string): LogPaths;
  /** A recorded output path with the scheduler's patterns (`%j`) filled in for one job. */
  fillLogPath(path: string, job: { name: string; seq: string; index: string }): string;
  /**
   * Why a checked request cannot go to this scheduler, naming the option;
   * undefined if it can. `given` holds the options as typed, for the message.
   */
  refuse?(spec: JobSpec, given: object): { option: string; why: string } | undefined;
  /** Warns the job before the walltime (`--signal-before`); the most seconds it takes. */
  readonly timeLimitWarning?: { maxSeconds: number };

  // Time and memory, in the scheduler's own forms.
  walltime(seconds: number): string;
  memory(bytes: number): string;

  // Job ids and states.
  /** An id in one of the forms this scheduler prints, or null. */
  parseJobId(text: string): JobId | null;
  /** A state as the scheduler names it, in taskloaf's vocabulary. */
  state(raw: string, exitStatus?: number): JobState;

  // Commands.
  /** The command that submits a script; `logs` for schedulers that take them on the command line. */
  submitCommand(script: string, logs: LogPaths): string[];
  /** The directory to submit from. */
  submitDirectory(spec: JobSpec): string;
  /** Renames the submitted script after the job id, as its logs are (`fib-123.sh`). */
  readonly namesFilesById: boolean;
  status(id: string, run?: Exec): Promise<JobStatus>;
  list(user: string, all?: boolean, run?: Exec): Promise<JobStatus[]>;
  cancel(id: string, run?: Exec): Promise<void>;
  /** The command that requeues a running job, when the scheduler can. */
  requeueCommand?(jobId: string): string[];

  // The environment of a running job.
  runningJob(env: NodeJS.ProcessEnv): RunningJob | null;
  /** The allocation to launch into, or null (also when the job's variables do not describe one). */
  allocation(env: NodeJS.ProcessEnv): Allocation | null;
  /** The variable that tells an allocation, for messages: `SLURM_JOB_ID`. */
  readonly allocationVariable: string;
  ownLauncher?: OwnLauncher;
}
