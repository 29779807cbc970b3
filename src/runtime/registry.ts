// Tasks by name. Every rank runs the same module, so every rank registers
// the same names; a task is found by its name, never by code on the wire.
import { InvalidArgumentError } from '../errors.js';

export type TaskFn = (...args: never[]) => unknown;

const tasks = new Map<string, TaskFn>();

export function register(name: string, fn: TaskFn): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 256) {
    throw new InvalidArgumentError('ERR_INVALID_ARG_VALUE', `task name must be a string of 1-256 characters, got ${JSON.stringify(name)}`);
  }
  if (typeof fn !== 'function') throw new InvalidArgumentError('ERR_INVALID_ARG_TYPE', `task '${name}': fn must be a function, got ${typeof fn}`);
  if (tasks.has(name)) throw new InvalidArgumentError('ERR_INVALID_ARG_VALUE', `a task named '${name}' is already registered`);
  tasks.set(name, fn);
}

export function lookup(name: string): TaskFn | undefined {
  return tasks.get(name);
}
