// Task submission: a call becomes a future here and a job queued here
// (anywhere: stealable; `.on(this rank)`: fixed) or a Call row to the rank it
// is sent to. A spawner far ahead of the work is held back: it runs queued
// tasks itself, or waits for some results, instead of growing memory without end.
import { performance } from 'node:perf_hooks';
import { InvalidArgumentError, RuntimeStateError, TaskTimeoutError, UnknownTaskError } from '../errors.js';
import { lookup } from './registry.js';
import { Kind } from './messages.js';
import type { RankContext } from './context.js';
import type { TaskQueues } from './queues.js';
import type { FutureResolver } from './resolver.js';
import type { TaskExecution } from './execution.js';
import type { Stealing } from './stealing.js';
import type { Link, Row } from './link.js';

export interface SubmissionLimits {
  /** Tasks queued on this rank beyond which spawning runs some of them at once. */
  queued: number;
  /** Calls out on other ranks beyond which spawning waits for some results. */
  outstanding: number;
}

export const DEFAULT_LIMITS: SubmissionLimits = { queued: 1 << 16, outstanding: 1 << 16 };

export class TaskSubmission {
  // Set while runInline() or awaitSomeResults() runs tasks: their spawns only queue.
  private inline = false;
  private outstandingLimit: number;

  constructor(
    private readonly ctx: RankContext,
    private readonly parts: { queues: TaskQueues; resolver: FutureResolver; execution: TaskExecution; stealing: Stealing; link: Pick<Link, 'poll'> },
    private readonly limits: SubmissionLimits = DEFAULT_LIMITS,
  ) {
    this.outstandingLimit = limits.outstanding;
  }

  /** Anywhere (`target` undefined: stealable) or on rank `target`. */
  spawn(name: string, args: unknown[], target?: number, timeoutMs?: number): Promise<unknown> {
    const { ctx, parts } = this;
    if (ctx.stopped) return Promise.reject(new RuntimeStateError(`task '${name}' was called after the job ended`));
    if (!lookup(name)) return Promise.reject(new UnknownTaskError(name, ctx.rank, ' (the calling rank)'));
    if (target !== undefined && !(Number.isInteger(target) && target >= 0 && target < ctx.size)) {
      return Promise.reject(new InvalidArgumentError('ERR_INVALID_ARG_VALUE', `task '${name}': rank must be an integer in [0, ${ctx.size - 1}], got ${String(target)}`));
    }
    const { id, promise } = parts.resolver.futures.create(
      name,
      timeoutMs === undefined ? undefined : { ms: timeoutMs, error: () => new TaskTimeoutError(name, timeoutMs, target) },
      target,
    );
    if (target === undefined || target === ctx.rank) {
      (target === undefined ? parts.queues.stealable : parts.queues.fixed).push({ name, args, replyTo: ctx.rank, future: id });
      if (parts.queues.length > this.limits.queued && !this.inline) this.runInline();
    } else {
      try {
        ctx.out.send(target, Kind.Call, ctx.rank, id, 0, name, args, true, 'args');
      } catch (e) {
        parts.resolver.futures.take(id);
        return Promise.reject(e);
      }
      ctx.counters.callsSent++;
      if (parts.resolver.futures.size > this.outstandingLimit && !this.inline) this.awaitSomeResults();
    }
    ctx.counters.spawned++; // only once it is on its way
    ctx.wake();
    return promise;
  }

  /** A Call row: a task sent here by rank `row.rank` with .on(), or stolen from it (`aux` 1). */
  accept(row: Row): void {
    const { ctx, parts } = this;
    if (ctx.stopped) {
      ctx.counters.cancelled++; // arrived after the end: dropped, and counted
      return;
    }
    ctx.counters.callsReceived++;
    const args = Array.isArray(row.value) ? (row.value as unknown[]) : [];
    const job = { name: row.name, args, replyTo: row.rank, future: row.id };
    if (row.aux === 1) {
      ctx.counters.stolenIn++;
      parts.queues.stealable.push(job);
    } else {
      parts.queues.fixed.push(job);
    }
  }

  /**
   * The spawner is far ahead (`limits.queued` tasks queued here): run the
   * newest tasks now, on the spawner's time, until half are left — serving
   * thieves and results in between — so a loop spawning millions of tasks
   * keeps this rank's queue bounded.
   */
  private runInline(): void {
    const { ctx, parts } = this;
    this.inline = true;
    try {
      let n = 0;
      while (parts.queues.length > this.limits.queued / 2) {
        const job = parts.queues.next();
        if (!job) break;
        parts.execution.execute(job);
        if (++n % 1024 === 0) {
          parts.link.poll(0);
          if (parts.stealing.canFeed) parts.stealing.feedHungry();
          ctx.out.flush();
        }
      }
      ctx.out.flush();
    } finally {
      this.inline = false;
    }
  }

  /**
   * `limits.outstanding` calls are out on other ranks: send, receive and run
   * what is here, on the spawner's time, until half the results are back — or
   * for at most a second, since what they wait for might need this rank's
   * event loop (then the spawner goes on and memory grows instead of the job
   * stalling).
   */
  private awaitSomeResults(): void {
    const { ctx, parts } = this;
    this.inline = true;
    try {
      const deadline = performance.now() + 1000;
      const target = this.outstandingLimit - this.limits.outstanding / 2;
      while (parts.resolver.futures.size > target && performance.now() < deadline) {
        ctx.out.flush();
        parts.link.poll(1);
        for (let i = 0; i < 256; i++) {
          const job = parts.queues.next();
          if (!job) break;
          parts.execution.execute(job);
        }
      }
      ctx.out.flush();
      // Results that will not come while the spawner holds the loop: stop
      // waiting for them (until another `limits.outstanding` calls are out).
      const size = parts.resolver.futures.size;
      this.outstandingLimit = size > target ? size + this.limits.outstanding : this.limits.outstanding;
    } finally {
      this.inline = false;
    }
  }
}
