// The future resolver: settles the promises this rank handed out with the
// results and failures that come back, from this rank or any other. A reply
// that finds no future (its call timed out) is dropped and counted.
import { RemoteTaskError, UnknownTaskError } from '../errors.js';
import { Futures, type Pending } from './futures.js';
import { RefError } from './refs.js';
import type { RuntimeCounters } from './counters.js';

/** The name futures of Ref.get() carry (no task has it: names are 1-256 characters of the program's choosing). */
export const REF_GET = '(Ref.get)';

export class FutureResolver {
  readonly futures = new Futures();

  constructor(private readonly counters: RuntimeCounters) {}

  /** A task run on this rank for this rank settled. */
  resolveHere(id: number, value: unknown): void {
    const p = this.futures.take(id);
    if (p) p.resolve(value);
    else this.counters.strayResults++;
  }

  rejectHere(id: number, error: Error, where: { rank: number; host: string; task: string }): void {
    const p = this.futures.take(id);
    if (p) p.reject(error instanceof UnknownTaskError ? error : new RemoteTaskError(where, error));
    else this.counters.strayResults++;
  }

  /** A Result row arrived: whether it settled a future. */
  resolved(id: number, value: unknown): boolean {
    const p = this.take(id);
    if (!p) return false;
    p.resolve(value);
    return true;
  }

  /** A Failure row arrived from `source`: whether it settled a future. */
  failed(id: number, value: unknown, source: number): boolean {
    const p = this.take(id);
    if (!p) return false;
    p.reject(remoteError(value, source, p.task));
    return true;
  }

  private take(id: number): Pending | undefined {
    const p = this.futures.take(id);
    if (p) this.counters.resultsReceived++;
    else this.counters.strayResults++;
    return p;
  }
}

/** The error a failure row stands for, rebuilt on this side. */
export function remoteError(value: unknown, source: number, task: string): Error {
  const info = (value ?? {}) as { error?: unknown; host?: unknown; unknown?: unknown };
  const host = typeof info.host === 'string' ? info.host : '?';
  if (info.unknown === true) return new UnknownTaskError(task, source);
  const cause = info.error instanceof Error ? info.error : new Error(`rank ${source} sent a failure without an error`);
  // A Ref's owner no longer has the value: the same RefError as on the owner.
  const code = (cause as { code?: unknown }).code;
  if (task === REF_GET && code === 'ERR_REF_FREED') return new RefError('ERR_REF_FREED', cause.message);
  return new RemoteTaskError({ rank: source, host, task }, cause);
}
