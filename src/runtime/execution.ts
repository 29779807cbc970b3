// Task execution: runs a queued task, sync or async; the rank goes on with
// other tasks while this one awaits (its continuation resumes here when what
// it awaits is done). The outcome goes straight to the rank that awaits it.
import { UnknownTaskError } from '../errors.js';
import { lookup } from './registry.js';
import { peerWrites, taskIndex, taskRunning, taskSuspended } from '../arena/peer-write.js';
import { Kind } from './messages.js';
import type { RankContext } from './context.js';
import type { FutureResolver } from './resolver.js';
import type { Job } from './queues.js';

export interface Suspended {
  task: string;
  id: number;
  for: number;
}

export class TaskExecution {
  /** Tasks started here that are suspended in an await (for the deadlock report). */
  readonly suspended = new Map<number, Suspended>();
  private suspendSeq = 0;

  constructor(
    private readonly ctx: RankContext,
    private readonly resolver: FutureResolver,
  ) {}

  execute(job: Job): void {
    this.ctx.counters.executed++;
    const fn = lookup(job.name);
    if (!fn) {
      this.fail(job, new UnknownTaskError(job.name, this.ctx.rank));
      return;
    }
    let r: unknown;
    // Named if it writes into another rank's memory (read-only here).
    const label = peerWrites.armed ? taskIndex(job.name) : -1;
    if (label >= 0) taskRunning(label);
    try {
      r = (fn as (...a: unknown[]) => unknown)(...job.args);
    } catch (e) {
      if (label >= 0) taskRunning(-1);
      this.fail(job, e);
      return;
    }
    if (label >= 0) taskRunning(-1);
    if (r !== null && typeof r === 'object' && typeof (r as Promise<unknown>).then === 'function') {
      const key = ++this.suspendSeq;
      this.suspended.set(key, { task: job.name, id: job.future, for: job.replyTo });
      if (label >= 0) taskSuspended(label, 1);
      (r as Promise<unknown>).then(
        (v) => {
          this.suspended.delete(key);
          if (label >= 0) taskSuspended(label, -1);
          this.succeed(job, v);
        },
        (e) => {
          this.suspended.delete(key);
          if (label >= 0) taskSuspended(label, -1);
          this.fail(job, e);
        },
      );
    } else {
      this.succeed(job, r);
    }
  }

  succeed(job: Job, value: unknown): void {
    const ctx = this.ctx;
    if (job.replyTo === ctx.rank) {
      this.resolver.resolveHere(job.future, value);
      return;
    }
    if (ctx.stopped) return;
    try {
      ctx.out.send(job.replyTo, Kind.Result, ctx.rank, job.future, 0, job.name, value, true, `result of '${job.name}'`);
    } catch (e) {
      this.fail(job, e);
      return;
    }
    ctx.counters.resultsSent++;
    ctx.wake();
  }

  fail(job: Job, e: unknown): void {
    const ctx = this.ctx;
    const error = e instanceof Error ? e : new Error(`a non-Error value was thrown: ${String(e)}`);
    if (job.replyTo === ctx.rank) {
      this.resolver.rejectHere(job.future, error, { rank: ctx.rank, host: ctx.host, task: job.name });
      return;
    }
    if (ctx.stopped) return;
    const info = { error, host: ctx.host, unknown: error instanceof UnknownTaskError };
    try {
      ctx.out.send(job.replyTo, Kind.Failure, ctx.rank, job.future, 0, job.name, info);
    } catch {
      // The error itself cannot travel (say, a cause holding a function): send what can.
      const plain = new Error(error.message);
      plain.stack = error.stack;
      ctx.out.send(job.replyTo, Kind.Failure, ctx.rank, job.future, 0, job.name, { error: plain, host: ctx.host, unknown: false });
    }
    ctx.counters.resultsSent++;
    ctx.wake();
  }
}
