// run(main): main on rank 0, every other rank serving tasks, then every rank
// ends cleanly — or, if main fails, the job ends non-zero after one report.
import { abortJob } from '../native/abort.js';
import { guardExit } from '../native/mpi.js';
import { start } from './world.js';
import { runtime, runtimeStarted, zeroCounters, type RuntimeCounters } from './runtime.js';
import type { Ref } from './refs.js';
import { deadlockSeconds } from './deadlock.js';
import { RuntimeStateError } from '../errors.js';

// A process is one job: MPI starts once and ends once, so run() may be called once.
let ran = false;

/** Runs `main` on rank 0 while the other ranks serve; resolves to its result on rank 0 (undefined elsewhere). */
export async function run<T>(main: () => T | Promise<T>): Promise<T | undefined> {
  if (ran) throw new RuntimeStateError('run() was called a second time in this process: a process runs one job, so call run() once with all of main inside it');
  ran = true;
  start();
  const rt = runtime();
  let done = false;
  guardExit(() => (done ? null : 'inside run(), before every rank had finished (process.exit in a task or in main?)'));
  if (rt.rank !== 0) {
    await rt.served();
    await rt.finish();
    done = true;
    return undefined;
  }
  rt.progress.start();
  rt.deadlock.start(deadlockSeconds());
  let result: T;
  try {
    result = await main();
  } catch (e) {
    abortJob('error in main', e);
  }
  rt.deadlock.stop();
  await rt.shutdownAll();
  await rt.finish();
  done = true;
  return result;
}

/** This rank's runtime counters (all zero before run()). */
export function stats(): RuntimeCounters & { pendingFutures: number; liveRefs: number } {
  const rt = runtimeStarted();
  return { ...(rt?.counters ?? zeroCounters()), pendingFutures: rt?.pendingFutures ?? 0, liveRefs: rt?.liveRefs ?? 0 };
}

/** Keeps `value` on this rank; the Ref can go to any rank, and get() there returns the value. */
export function put<T>(value: T): Ref<T> {
  const rt = runtimeStarted();
  if (!rt) throw new RuntimeStateError('put() is called inside run()');
  return rt.put(value);
}
