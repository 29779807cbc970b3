// run(main): main on rank 0, every other rank serving tasks, then every rank
// ends cleanly — or, if main fails, the job ends non-zero after one report.
import { abortJob } from '../native/abort.js';
import { guardExit } from '../native/mpi.js';
import { start } from './world.js';
import { runtime, runtimeStarted, zeroCounters, type RuntimeCounters } from './runtime.js';
import type { Ref } from './refs.js';
import { RuntimeStateError } from '../errors.js';

let running = false;

/** Runs `main` on rank 0 while the other ranks serve; resolves to its result on rank 0 (undefined elsewhere). */
export async function run<T>(main: () => T | Promise<T>): Promise<T | undefined> {
  if (running) throw new Error('run() is already running');
  running = true;
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
  rt.watchForDeadlock();
  let result: T;
  try {
    result = await main();
  } catch (e) {
    abortJob('error in main', e);
  }
  rt.stopWatchingForDeadlock();
  await rt.shutdownAll();
  await rt.finish();
  done = true;
  return result;
}

/** This rank's runtime counters (all zero before run()). */
export function stats(): RuntimeCounters & { pendingFutures: number; liveRefs: number } {
  const rt = runtimeStarted();
  return { ...(rt?.counters ?? zeroCounters()), pendingFutures: rt?.futures.size ?? 0, liveRefs: rt?.liveRefs ?? 0 };
}

/** Keeps `value` on this rank; the Ref can go to any rank, and get() there returns the value. */
export function put<T>(value: T): Ref<T> {
  const rt = runtimeStarted();
  if (!rt) throw new RuntimeStateError('put() is called inside run()');
  return rt.put(value);
}
