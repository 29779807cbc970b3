// task(name, fn): the public face of task submission.
import { RuntimeStateError } from '../errors.js';
import { register, type TaskFn } from './registry.js';
import { runtimeStarted } from './runtime.js';

export interface Task<A extends unknown[], R> {
  /** Runs the task on any rank (this one, or another that steals it). */
  (...args: A): Promise<R>;
  /** Runs the task on rank `rank`. */
  on(rank: number): (...args: A) => Promise<R>;
  readonly taskName: string;
}

/**
 * Registers `fn` under `name` — on every rank, since every rank runs the
 * program — and returns a callable that spawns it. Call it inside run().
 */
export function task<A extends unknown[], R>(name: string, fn: (...args: A) => R | Promise<R>): Task<A, Awaited<R>> {
  register(name, fn as unknown as TaskFn);
  const call = (target: number | undefined, args: A): Promise<Awaited<R>> => {
    const rt = runtimeStarted();
    if (!rt) return Promise.reject(new RuntimeStateError(`task '${name}' was called outside run()`));
    return rt.spawn(name, args, target) as Promise<Awaited<R>>;
  };
  const t = ((...args: A) => call(undefined, args)) as Task<A, Awaited<R>>;
  t.on = (rank: number) => (...args: A) => call(rank, args);
  Object.defineProperty(t, 'taskName', { value: name });
  return t;
}
