// taskloaf's public API.
export {
  TaskloafError,
  MpiError,
  InvalidArgumentError,
  BufferDetachedError,
  MpiStateError,
  SystemError,
  ArenaFullError,
  ArenaBlockError,
  WireError,
  SerializationError,
  LaunchError,
  OptionError,
  SchedulerError,
  RemoteTaskError,
  UnknownTaskError,
  RuntimeStateError,
  TaskTimeoutError,
  EnvError,
  ErrorCodes,
} from './errors.js';
export type { MpiErrorDetails } from './errors.js';
export * as mpi from './mpi.js';
export { world, start } from './runtime/world.js';
export type { World } from './runtime/world.js';
export { Arena } from './arena/arena.js';
export type { Block, BlockName, ArenaOptions, ArenaStats } from './arena/arena.js';
export { PeerMemory } from './arena/peers.js';
export { task } from './runtime/task.js';
export type { Task, Call } from './runtime/task.js';
export { run, stats, put } from './runtime/run.js';
export { onTimeLimit } from './runtime/time-limit.js';
export { Ref, RefError } from './runtime/refs.js';
export { release } from './wire/memory/release.js';
export type { RuntimeCounters } from './runtime/counters.js';
