// MPI for the layers above: init with exit hooks, and a send that protects
// the memory it reads. Thin over the addon; no extra work on the fast path.
import { markAsUntransferable } from 'node:worker_threads';
import { addon, type Bytes, type InitResult, type NativeComm, type ThreadLevel } from './addon.js';
import { endJob, installAbortOnError } from './abort.js';
import { endingSignal } from './cleanup.js';
import { readEnv } from '../env.js';

let initResult: InitResult | undefined;
let exitTooEarly: (() => string | null) | undefined;

/**
 * Says whether ending the process now would strand the peers (the runtime is
 * mid-run): a reason, or null. An exit then ends the whole job with a report
 * instead of finalizing as if all were well.
 */
export function guardExit(check: () => string | null): void {
  exitTooEarly = check;
}

/**
 * Initializes MPI (once), at thread level `funneled` unless `level` or
 * TASKLOAF_THREAD_LEVEL asks for another: every MPI call comes from the main
 * thread (the addon refuses worker threads), and `multiple` would make each
 * call take locks on the per-task path. On exit, MPI is finalized when the
 * process ends with code 0 and aborted otherwise, so no peer waits for a rank
 * that died.
 */
export function init(level?: ThreadLevel): InitResult {
  if (initResult) return initResult;
  const requested = level ?? readEnv('TASKLOAF_THREAD_LEVEL');
  initResult = addon().init(requested);
  installAbortOnError();
  process.once('exit', (code) => {
    const native = addon();
    const { initialized, finalized } = native.state();
    if (!initialized || finalized) return;
    // Ended by a signal (the launcher ending the job, or a user's kill): the
    // non-zero exit tells the launcher, which ends the rest; an abort here
    // would only add a second report.
    if (endingSignal()) return;
    const early = exitTooEarly?.();
    // Finalizing here would leave the peers waiting for this rank forever.
    if (early) endJob(`exited with code ${code} ${early}`, code === 0 ? 1 : code);
    if (code === 0 && native.pendingRequests() === 0) native.finalize();
    else native.abort(code === 0 ? 1 : code);
  });
  return initResult;
}

/** The world communicator (initializes MPI if needed). */
export function world(): NativeComm {
  init();
  return addon().world();
}

/**
 * Sends `data` without copying it. While the send is pending the buffer is
 * kept alive by the addon and marked untransferable, so a postMessage or
 * structuredClone transfer copies it instead of detaching the memory MPI reads.
 */
export function isend(comm: NativeComm, dest: number, tag: number, data: Bytes): number {
  const id = comm.isend(dest, tag, data);
  if (id !== 0) protect(data);
  return id;
}

/** Sends one message gathered from `parts` without concatenating them (see isend). */
export function isendv(comm: NativeComm, dest: number, tag: number, parts: Bytes[]): number {
  const id = comm.isendv(dest, tag, parts);
  if (id !== 0) for (const p of parts) protect(p);
  return id;
}

// A transfer of a buffer MPI still reads copies it instead of detaching it.
// Small frames share a slab: it is marked once, not once per frame (only a
// small buffer is remembered, so no large one is kept alive by it).
let lastProtected: ArrayBufferLike | null = null;
function protect(data: Bytes): void {
  const buffer = ArrayBuffer.isView(data) ? data.buffer : data;
  if (buffer === lastProtected) return;
  markAsUntransferable(buffer);
  if (buffer.byteLength <= 64 * 1024) lastProtected = buffer;
}
