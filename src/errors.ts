// Error classes with stable codes. Native failures arrive here through the
// factory the addon loader installs, so `instanceof` works across the boundary.

/** Base of every error taskloaf raises; `code` is stable across versions. */
export class TaskloafError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
  override get name(): string {
    return this.constructor.name;
  }
}

export interface MpiErrorDetails {
  /** The code MPI returned. */
  errorCode: number;
  /** Its MPI error class (MPI_Error_class). */
  errorClass: number;
  /** The class as a name, e.g. `MPI_ERR_RANK`. */
  errorClassName: string;
  /** MPI's own error string (MPI_Error_string). */
  mpiMessage: string;
  /** The MPI function that failed, e.g. `MPI_Isend`. */
  call: string;
}

/** An MPI call failed (MPI_ERRORS_RETURN is set on every communicator). */
export class MpiError extends TaskloafError implements MpiErrorDetails {
  errorCode: number;
  errorClass: number;
  errorClassName: string;
  mpiMessage: string;
  call: string;
  /** Set by testsome() when a particular request failed. */
  requestId?: number;
  constructor(message: string, details: MpiErrorDetails) {
    super('ERR_MPI', message);
    this.errorCode = details.errorCode;
    this.errorClass = details.errorClass;
    this.errorClassName = details.errorClassName;
    this.mpiMessage = details.mpiMessage;
    this.call = details.call;
  }
}

/** An argument of the wrong type (code ERR_INVALID_ARG_TYPE) or value (ERR_INVALID_ARG_VALUE). */
export class InvalidArgumentError extends TaskloafError {}

/** A buffer handed to MPI was detached (transferred) and holds no memory. */
export class BufferDetachedError extends TaskloafError {
  constructor(message: string) {
    super('ERR_BUFFER_DETACHED', message);
  }
}

/** MPI is in the wrong state for the call (not initialized, finalized, pending sends). */
export class MpiStateError extends TaskloafError {
  constructor(message: string) {
    super('ERR_MPI_STATE', message);
  }
}

/** A system call failed (shared memory, affinity...); carries `syscall` and `errno`. */
export class SystemError extends TaskloafError {
  syscall: string;
  errno: number;
  constructor(message: string, details: { syscall: string; errno: number }) {
    super('ERR_SYSTEM', message);
    this.syscall = details.syscall;
    this.errno = details.errno;
  }
}

/**
 * The arena cannot satisfy a request and cannot grow (code ERR_ARENA_FULL);
 * `cause` is why a new segment failed, when one was tried.
 */
export class ArenaFullError extends TaskloafError {
  constructor(
    message: string,
    readonly requested: number,
    readonly capacity: number,
    readonly inUse: number,
    readonly limit: number,
    options?: { cause?: unknown },
  ) {
    super('ERR_ARENA_FULL', message, options);
  }
}

/** A block handed to the arena is not one it gave out, or was already freed. */
export class ArenaBlockError extends TaskloafError {}

/** A value that cannot travel between ranks; `path` says where it is (`args[1].model.fn`). */
export class SerializationError extends TaskloafError {
  constructor(
    message: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super('ERR_NOT_SERIALIZABLE', message);
  }
}

/**
 * A received frame is malformed (bad magic, version, lengths, offsets,
 * alignment...). `sender` is the rank MPI says it came from; the frame is
 * dropped and the rank keeps running.
 */
/**
 * Bytes that do not decode: a frame, value or Arrow stream from a peer, or a
 * stream handed to the decoder (code ERR_MALFORMED). The frame reader reports
 * it as a WireError naming the sender; a rank never acts on such bytes.
 */
export class MalformedError extends TaskloafError {
  constructor(message: string) {
    super('ERR_MALFORMED', message);
  }
}

/** What a decoder rejects: its own MalformedError, or a RangeError a bounds-checked read raised. */
export function isMalformed(e: unknown): e is Error {
  return e instanceof MalformedError || e instanceof RangeError;
}

export class WireError extends TaskloafError {
  constructor(
    code: string,
    message: string,
    readonly sender: number,
  ) {
    super(code, message);
  }
}

/** A launcher or CLI problem (no mpiexec found, bad option...). */
export class LaunchError extends TaskloafError {}

/**
 * A job option is invalid (code ERR_INVALID_OPTION); `option` names it as the
 * user wrote it (`--time`), `source` says where it came from (the command line,
 * or a config file and profile). A config file refused as a whole has `option`
 * say how it was found and `source` name the file.
 */
export class OptionError extends LaunchError {
  constructor(
    readonly option: string,
    message: string,
    readonly source: string = 'command line',
  ) {
    super('ERR_INVALID_OPTION', source === 'command line' ? `${option}: ${message}` : `${option} (${source}): ${message}`);
  }
}

/**
 * A scheduler command failed or answered something we cannot read
 * (code ERR_SCHEDULER, ERR_JOB_ID, ERR_NO_SCHEDULER...). `command` is what ran,
 * `output` what it printed: the scheduler's own message, shown to the user.
 */
export class SchedulerError extends LaunchError {
  constructor(
    code: string,
    message: string,
    readonly command: string[] = [],
    readonly output: string = '',
    readonly exitCode: number | null = null,
  ) {
    super(code, message);
  }
}

/**
 * A TASKLOAF_* environment variable holds a value taskloaf cannot use (code
 * ERR_INVALID_ENV); `variable` names it and `value` is what it held. Bad
 * values are refused rather than replaced by the default, so a typo shows.
 */
export class EnvError extends TaskloafError {
  constructor(
    readonly variable: string,
    readonly value: string,
    message: string,
  ) {
    super('ERR_INVALID_ENV', message);
  }
}

/** Builds the error the addon throws; installed into the addon by the loader. */
export function nativeError(kind: string, message: string, details: Record<string, unknown>): Error {
  switch (kind) {
    case 'mpi':
      return new MpiError(message, details as unknown as MpiErrorDetails);
    case 'argType':
      return new InvalidArgumentError('ERR_INVALID_ARG_TYPE', message);
    case 'argValue':
      return new InvalidArgumentError('ERR_INVALID_ARG_VALUE', message);
    case 'detached':
      return new BufferDetachedError(message);
    case 'system':
      return new SystemError(message, details as unknown as { syscall: string; errno: number });
    default:
      return new MpiStateError(message);
  }
}

/** Where a task failed: the remote rank, its host and the task's name. */
export interface RemoteOrigin {
  rank: number;
  host: string;
  task: string;
}

/**
 * A task failed on another rank (or on this one: the same class wherever it
 * ran). `remoteStack` is the stack where it was thrown; `cause` is the error
 * rebuilt on this side (name, message, code, its own causes).
 */
export class RemoteTaskError extends TaskloafError {
  readonly rank: number;
  readonly host: string;
  readonly task: string;
  readonly remoteStack: string;
  constructor(origin: RemoteOrigin, cause: Error) {
    super('ERR_REMOTE_TASK', `task '${origin.task}' failed on rank ${origin.rank} (${origin.host}): ${cause.message}`, { cause });
    this.rank = origin.rank;
    this.host = origin.host;
    this.task = origin.task;
    this.remoteStack = cause.stack ?? '';
  }
}

/** The rank asked to run a task has none registered under that name (the ranks run different code). */
export class UnknownTaskError extends TaskloafError {
  readonly rank: number;
  readonly task: string;
  constructor(task: string, rank: number, detail = '') {
    super('ERR_UNKNOWN_TASK', `no task named '${task}' is registered on rank ${rank}${detail}`);
    this.rank = rank;
    this.task = task;
  }
}

/** The runtime is not running (a task was called outside run(), or after it ended). */
export class RuntimeStateError extends TaskloafError {
  constructor(message: string) {
    super('ERR_RUNTIME_STATE', message);
  }
}

/**
 * A task called with `.timeout(ms)` had no result in time (code
 * ERR_TASK_TIMEOUT). The task itself is not stopped: it may still run to its
 * end where it was placed; its result is then dropped.
 */
export class TaskTimeoutError extends TaskloafError {
  constructor(
    readonly task: string,
    readonly ms: number,
    readonly rank: number | undefined,
  ) {
    super('ERR_TASK_TIMEOUT', `task '${task}'${rank === undefined ? '' : ` on rank ${rank}`} had no result after ${ms} ms`);
  }
}

/**
 * Every `code` a taskloaf error can carry, with what it means. Codes are
 * stable across versions: match on them, not on messages. Tests check that
 * every code thrown in src/ is listed here and every listed code is thrown.
 */
export const ErrorCodes = {
  // MPI and the native addon
  ERR_MPI: 'an MPI call failed (MpiError: errorClassName, mpiMessage, call)',
  ERR_MPI_STATE: 'MPI is not initialized, already finalized, or has sends pending at finalize',
  ERR_BUFFER_DETACHED: 'a buffer handed to MPI was transferred away and holds no memory',
  ERR_SYSTEM: 'a system call failed (shared memory, affinity...): SystemError with syscall and errno',
  ERR_ADDON_NOT_BUILT: 'the native addon is not built (run npm run build:native)',
  ERR_WORKER_THREAD: 'taskloaf was used from a worker thread; MPI is reached from the main thread only',
  // Arguments and environment
  ERR_INVALID_ARG_TYPE: 'an argument has the wrong type',
  ERR_INVALID_ARG_VALUE: 'an argument has a value out of range or malformed',
  ERR_INVALID_ENV: 'a TASKLOAF_* environment variable holds a value taskloaf cannot use (EnvError: variable, value)',
  // Arena
  ERR_ARENA_FULL: 'the arena cannot satisfy an allocation and cannot grow (ArenaFullError)',
  ERR_ARENA_CLOSED: 'the arena was closed and cannot add a segment',
  ERR_INVALID_BLOCK: 'a block handed to the arena is not one it gave out',
  ERR_DOUBLE_FREE: 'a block was freed twice',
  ERR_BLOCK_FREED: 'a freed block was lent to a peer',
  ERR_NOT_LENT: 'a block was returned that is not lent to any peer',
  ERR_FOREIGN_BLOCK: 'a block of another rank was handed to this rank\'s arena',
  ERR_PEER_WRITE: 'a task wrote into a value another rank of its node shares with it (read-only there): the job ends, status 70, with a report naming the task and the owner',
  // Wire: a malformed frame or message from a peer (WireError: sender); the rank keeps running
  ERR_WIRE_TRUNCATED: 'a frame is shorter than its header or section table',
  ERR_WIRE_ALIGNMENT: 'a frame or section does not start 8-byte aligned',
  ERR_WIRE_BOUNDS: 'a frame or section runs past its buffer',
  ERR_WIRE_MAGIC: 'a frame does not start with the magic number',
  ERR_WIRE_VERSION: 'a frame of another wire version',
  ERR_WIRE_KIND: 'a frame of an unknown kind',
  ERR_WIRE_SENDER: 'a frame names another rank than MPI says sent it',
  ERR_WIRE_RESERVED: 'a reserved field of a frame is not zero',
  ERR_WIRE_SECTIONS: 'a frame holds more sections than allowed',
  ERR_WIRE_LENGTH: 'a frame\'s header disagrees with the bytes that arrived',
  ERR_WIRE_SECTION_KIND: 'a section of an unknown kind, or a frame that does not start with a batch',
  ERR_WIRE_OVERLAP: 'sections of a frame overlap',
  ERR_WIRE_PAYLOAD: 'a payload section or its block reference is malformed',
  ERR_WIRE_BATCH: 'a batch of calls or results is malformed',
  ERR_TRANSPORT_TIMEOUT: 'the transport waited too long for messages that never came (at shutdown: a rank stopped receiving, or died)',
  ERR_MALFORMED: 'bytes that do not decode (a value, batch or Arrow stream); from a peer it is reported as the WireError of its frame',
  ERR_ARROW_UNSUPPORTED: 'an apache-arrow version taskloaf cannot use: its own copy writes Arrow metadata of a shape taskloaf does not know, or the app\'s copy made a value of another shape or an unknown column type (the message names both versions)',
  ERR_WIRE_PIECES: 'a piece of a large payload arrived that follows no frame',
  ERR_WIRE_SEQUENCE: 'a frame arrived out of sequence',
  ERR_WIRE_RELEASE: 'a peer released a block that was not lent to it',
  ERR_UNKNOWN_MESSAGE: 'a peer sent a message of a kind this rank does not know (another taskloaf version?): refused, counted in stats().unknownMessages',
  ERR_NOT_SERIALIZABLE: 'a value cannot travel between ranks (SerializationError: path, reason)',
  // Runtime
  ERR_RUNTIME_STATE: 'the runtime is not running (a task or Ref used outside run(), or after it ended)',
  ERR_REMOTE_TASK: 'a task failed (RemoteTaskError: rank, host, task, remoteStack; cause is the error)',
  ERR_UNKNOWN_TASK: 'no task of that name is registered on the rank asked to run it',
  ERR_TASK_TIMEOUT: 'a task called with .timeout(ms) had no result in time',
  ERR_REF_RELEASED: 'a Ref was used after release()',
  ERR_REF_FREED: 'a Ref\'s value was freed by its owner',
  ERR_REF_WEIGHT: 'a Ref was sent on too often before a refill of its weight arrived',
  // Launch and CLI
  ERR_USAGE: 'the command line of the taskloaf CLI is wrong',
  ERR_INVALID_OPTION: 'a launch or job option is invalid, or a config file is refused (OptionError: option, source)',
  ERR_SCRIPT_NOT_FOUND: 'the program to run does not exist',
  ERR_SCRIPT_TYPE: 'the program to run is not JavaScript or TypeScript (its extension is not one node or tsx loads)',
  ERR_BENCH_MISSING: 'taskloaf bench cannot find the benchmark suite (it comes with a clone of the repository)',
  ERR_OVERSUBSCRIBED: 'more ranks asked for than cores (add --oversubscribe) or than the allocation holds',
  ERR_NO_ALLOCATION: '--launcher srun or mpiexec outside a batch job\'s allocation',
  ERR_NO_LAUNCHER: 'no mpiexec of the addon\'s MPI is found',
  ERR_LAUNCHER_MISMATCH: 'TASKLOAF_MPIEXEC names a launcher of another MPI than the addon\'s',
  ERR_LAUNCH_FAILED: 'the launcher could not be started',
  ERR_WATCH_LISTEN: 'taskloaf run could not open the private socket its ranks report to',
  ERR_JOB_SCRIPT_EXISTS: 'the job script\'s file name is taken already (a job script is only ever created as a new file)',
  // Schedulers (SchedulerError: command, output, exitCode)
  ERR_SCHEDULER: 'a scheduler command (sbatch, qsub, squeue...) failed',
  ERR_NO_SCHEDULER: 'neither Slurm nor PBS is installed here, or its command cannot be run',
  ERR_JOB_ID: 'no job id in what the submit command printed',
  ERR_UNKNOWN_JOB: 'taskloaf has no record of that job',
  ERR_NO_LOGS: 'the job has written no output yet',
} as const;
