// task(name, fn): the public face of task submission.
import { InvalidArgumentError, RuntimeStateError } from '../errors.js';
import { register, type TaskFn } from './registry.js';
import { runtimeStarted } from './runtime.js';

export interface Call<A extends unknown[], R> {
  /** Runs the task on any rank (this one, or another that steals it). */
  (...args: A): Promise<R>;
  /** Runs the task on rank `rank`. */
  on(rank: number): (...args: A) => Promise<R>;
}

export interface Task<A extends unknown[], R> extends Call<A, R> {
  /**
   * The same calls, rejecting with a TaskTimeoutError (ERR_TASK_TIMEOUT) when
   * no result has come after `ms` milliseconds. The task is not stopped
   * where it runs; a late result is dropped.
   */
  timeout(ms: number): Call<A, R>;
  readonly taskName: string;
}

/**
 * Registers `fn` under `name` — on every rank, since every rank runs the
 * program — and returns a callable that spawns it. Call it inside run().
 */
export function task<A extends unknown[], R>(name: string, fn: (...args: A) => R | Promise<R>): Task<A, Awaited<R>> {
  register(name, fn as unknown as TaskFn);
  const call = (target: number | undefined, args: A, ms?: number): Promise<Awaited<R>> => {
    const rt = runtimeStarted();
    if (!rt) return Promise.reject(new RuntimeStateError(`task '${name}' was called outside run()`));
    return rt.spawn(name, args, target, ms) as Promise<Awaited<R>>;
  };
  const calls = (ms?: number): Call<A, Awaited<R>> => {
    const c = ((...args: A) => call(undefined, args, ms)) as Call<A, Awaited<R>>;
    c.on = (rank: number) => (...args: A) => call(rank, args, ms);
    return c;
  };
  const t = calls() as Task<A, Awaited<R>>;
  t.timeout = (ms: number) => {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 2 ** 31 - 1) {
      throw new InvalidArgumentError('ERR_INVALID_ARG_VALUE', `task '${name}'.timeout(ms): ms must be a number of milliseconds from 0 to 2147483647, got ${String(ms)}`);
    }
    return calls(ms);
  };
  Object.defineProperty(t, 'taskName', { value: name });
  return t;
}
