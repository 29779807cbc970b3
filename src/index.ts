// taskloaf's public API.
export {
  TaskloafError,
  MpiError,
  InvalidArgumentError,
  BufferDetachedError,
  MpiStateError,
  LaunchError,
} from './errors.js';
export type { MpiErrorDetails } from './errors.js';
export * as mpi from './mpi.js';
