// The one module that loads the native addon, and the types of what it offers.
// Everything else in taskloaf reaches MPI through here.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, markAsUntransferable } from 'node:worker_threads';
import { nativeError, TaskloafError } from '../errors.js';
import { readEnv } from '../env.js';

export type ThreadLevel = 'single' | 'funneled' | 'serialized' | 'multiple';
export type Bytes = ArrayBuffer | ArrayBufferView;
export type ReduceOp = 'sum' | 'prod' | 'min' | 'max' | 'band' | 'bor' | 'bxor' | 'land' | 'lor';

export interface InitResult {
  required: ThreadLevel;
  provided: ThreadLevel;
  alreadyInitialized: boolean;
}

/** A wrapped MPI communicator (created by world() or splitShared()/dup()). */
export interface NativeComm {
  readonly rank: number;
  readonly size: number;
  /** The ranks sharing memory with this one (MPI_COMM_TYPE_SHARED). */
  splitShared(): NativeComm;
  /** The ranks with the same color, ordered by key. */
  split(color: number, key: number): NativeComm;
  dup(): NativeComm;
  free(): void;
  /** Sends `data` in place; 0 if already complete, else a request id for testsome(). */
  isend(dest: number, tag: number, data: Bytes): number;
  /** One message gathered from `parts` where they lie; returns like isend(). */
  isendv(dest: number, tag: number, parts: Bytes[]): number;
  /** 0 if nothing matches, else a message id for mrecv(); `probeStatus` then holds [source, tag, bytes]. */
  improbe(source: number, tag: number): number;
  /**
   * improbe(ANY_SOURCE, ANY_TAG), except that a message the receive slab takes
   * (its tag, at most its limit) is received at once: -1, and `probeStatus`
   * then holds [source, tag, bytes, offset in the slab].
   */
  improbeInto(): number;
  barrier(): void;
  /** A request id for testsome(). */
  ibarrier(): number;
  allreduce<T extends ArrayBufferView>(values: T, op: ReduceOp): T;
  bcast<T extends Bytes>(data: T, root: number): T;
  allgather<T extends Bytes>(send: Bytes, recv: T): T;
}

export interface NativeAddon {
  setErrorFactory(factory: (kind: string, message: string, details: Record<string, unknown>) => Error): void;
  init(threadLevel?: ThreadLevel): InitResult;
  finalize(): void;
  abort(code?: number): never;
  state(): { initialized: boolean; finalized: boolean };
  wtime(): number;
  wtick(): number;
  processorName(): string;
  libraryVersion(): { library: string; standard: string };
  world(): NativeComm;
  /** Writes completed request ids into `out`; returns how many. */
  testsome(out: Uint32Array): number;
  pendingRequests(): number;
  /** [pendingRequests()], kept current by the addon: read without a call. */
  readonly requestCount: Float64Array;
  /** Receives a matched message into `target` (or a new Buffer) and returns it. */
  mrecv<T extends Bytes = Buffer>(message: number, target?: T): T;
  /** Starts receiving a matched message into `target`; returns a request id for wait() or testsome(). */
  imrecv(message: number, target: Bytes): number;
  /** Blocks until request `id` (pending, or completed and not yet reported) completes. */
  wait(id: number): void;
  pendingMessages(): number;
  /**
   * From now on improbeInto() receives messages of `tag` up to `limit` bytes
   * into `slab` (8-aligned), one after another, until the next does not fit.
   * The addon keeps `slab` until the next call.
   */
  receiveSlab(slab: Uint8Array, tag: number, limit: number): void;
  /** [source, tag, bytes, slab offset] of the last successful improbe (rewritten by the next one). */
  readonly probeStatus: Float64Array;
  /** CPUs this process may run on. */
  allowedCpus(): number[];
  /** Restricts the whole process to one CPU. */
  pinToCpu(cpu: number): void;
  /** Sets every other thread's nice value (0-19); returns how many were changed. */
  niceHelpers(nice: number): number;
  /** Physical cores this process may use, each as the OS indices of its hardware threads (hwloc order). */
  cores(): number[][];
  numaNodeOfCpu(cpu: number): number;
  numaNodes(): number;
  /** A new POSIX shared memory segment of `bytes`, its pages bound to `numaNode` (-1: first touch). */
  shmCreate(name: string, bytes: number, numaNode: number): ArrayBuffer;
  /** Maps a segment of rank `owner` on this node read-only (this user's regular objects only). */
  shmOpen(name: string, owner: number): ArrayBuffer;
  /**
   * The label a write into a peer's segment is reported with (static memory,
   * one buffer): int32 task length, 256 task bytes, int32 where length, 124 where bytes.
   */
  peerWriteLabel(): ArrayBuffer;
  /** Removes a segment's name; false if it did not exist. */
  shmUnlink(name: string): boolean;
  /** NUMA node of each page under `view` (negative errno for untouched pages). */
  pageNodes(view: Bytes): Int32Array;
  /**
   * A new ArrayBuffer over exactly the view's bytes; V8 counts `counted` of
   * them (default all). A Node-API alias keeps the view's segment mapped while
   * it lives; with `lightAliases` the caller keeps the view's ArrayBuffer
   * alive and calls uncount(counted) once the alias is collected. `light`
   * false asks for a Node-API alias regardless.
   */
  alias(view: Bytes, counted?: number, light?: boolean): ArrayBuffer;
  /** Detaches an ArrayBuffer (its views become empty). */
  detach(ab: ArrayBuffer): void;
  /** Takes bytes a light alias counted off V8's external-memory count. */
  uncount(bytes: number): void;
  /** Aliases are V8 backing stores V8 does not count (the addon was built against this Node's V8). */
  readonly lightAliases: boolean;
  /** The address of the view's first byte in this process. */
  addressOf(view: Bytes): bigint;
  constants: { ANY_SOURCE: number; ANY_TAG: number; PROC_NULL: number; MAX_MESSAGE_BYTES: number };
}

/** Where the package lives (works from src/ under a TS loader and from dist/). */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The build directory: `build` unless TASKLOAF_BUILD names another (e.g. build-mpich). */
export function buildDir(): string {
  return readEnv('TASKLOAF_BUILD', process.env, packageRoot);
}

export interface BuildInfo {
  mpicc: string;
  mpiexec: string | null;
  /** The first line of the MPI library's version, as the addon saw it when built (null: not known). */
  mpiLibrary?: string | null;
  /** The Node version it was built under. */
  node?: string;
  /** Whether it was compiled with that Node's V8 headers (light aliases, native/alias.cc). */
  v8Headers?: boolean;
}

/** What the build recorded about the MPI it compiled against. */
export function buildInfo(): BuildInfo | null {
  const file = join(buildDir(), 'mpi.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BuildInfo) : null;
}

/**
 * How this addon's build differs from what runs it: another Node major (the
 * V8 headers it was built with no longer match: aliases are counted in full)
 * or another MPI library than the one it was built against (a different
 * `module load`). Empty when they match or the build did not record them.
 */
export function buildMismatch(): string[] {
  const info = buildInfo();
  if (!info) return [];
  const out: string[] = [];
  const major = (v: string) => v.split('.')[0];
  if (info.node && major(info.node) !== major(process.versions.node)) {
    out.push(`the addon was built under Node ${info.node} and runs under Node ${process.versions.node}${info.v8Headers ? ' (its light aliases fall back to counted ones)' : ''}`);
  }
  const now = addon().libraryVersion().library.split('\n')[0]!.trim();
  if (info.mpiLibrary && info.mpiLibrary !== now) out.push(`the addon was built against ${info.mpiLibrary} and runs with ${now}`);
  return out;
}

let loaded: NativeAddon | undefined;

/** Loads the addon once; a missing build is a clear error, not a stack of require internals. */
export function addon(): NativeAddon {
  if (loaded) return loaded;
  // MPI is the process's, driven from the main thread's event loop; the
  // addon's tables of requests and messages are not shared between threads.
  if (!isMainThread) {
    throw new TaskloafError('ERR_WORKER_THREAD', 'taskloaf reaches MPI from the main thread only; it cannot be used inside a worker thread (spread work over ranks with task() instead)');
  }
  const file = join(buildDir(), 'Release', 'taskloaf.node');
  if (!existsSync(file)) {
    throw new TaskloafError(
      'ERR_ADDON_NOT_BUILT',
      `the taskloaf native addon is not built (${file} is missing); run \`npm run build:native\` in ${packageRoot}`,
    );
  }
  // UCX (MPICH ch4:ucx, Open MPI's pml/ucx) patches malloc, mmap and brk in
  // place at startup; with V8's threads already running inside those
  // functions that corrupts the heap. Off unless the user decides otherwise.
  process.env.UCX_MEM_MALLOC_HOOKS ??= 'no';
  process.env.UCX_MEM_EVENTS ??= 'no';
  const native = createRequire(import.meta.url)(file) as NativeAddon;
  native.setErrorFactory(nativeError);
  // The addon writes into this array's memory: it must never be detached.
  markAsUntransferable(native.probeStatus.buffer);
  markAsUntransferable(native.requestCount.buffer);
  loaded = native;
  return native;
}
