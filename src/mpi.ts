// Low-level MPI access for programs and tests that want it directly.
export { init, world, isend, isendv } from './native/mpi.js';
export { addon as native } from './native/addon.js';
export type { NativeComm as Comm, InitResult, ThreadLevel, ReduceOp, Bytes } from './native/addon.js';
