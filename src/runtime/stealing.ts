// Work stealing. An idle rank asks one random victim at a time; after an
// empty answer it waits a little longer before asking again (doubling, up to
// MAX_STEAL_DELAY_MS, jittered). A victim gives half of its stealable tasks,
// the oldest (in recursive work the biggest), and keeps at least one (a lone
// task would otherwise bounce between idle ranks). A victim that had nothing
// remembers the thief and sends it half as soon as it has some, so a long
// back-off costs no latency.
import { performance } from 'node:perf_hooks';
import { Kind } from './messages.js';
import type { RankContext } from './context.js';
import type { Job, TaskQueues } from './queues.js';

export const MAX_STEAL_DELAY_MS = 10;
const MIN_STEAL_DELAY_MS = 0.02;

export interface StealingOptions {
  /** TASKLOAF_STEAL=off: no rank asks for work. */
  enabled: boolean;
  /** [0, 1): picks victims and jitters the back-off. */
  random?: () => number;
  now?: () => number;
}

export class Stealing {
  /** A request is out and its answer has not come. */
  private asking = false;
  /** Ranks that asked when this one had nothing to give. */
  private readonly hungry = new Set<number>();
  private delay = 0;
  private nextAsk = 0;
  private readonly random: () => number;
  private readonly now: () => number;
  readonly enabled: boolean;

  constructor(
    private readonly ctx: RankContext,
    private readonly queues: TaskQueues,
    opts: StealingOptions,
  ) {
    this.enabled = opts.enabled && ctx.size > 1;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Whether a request may go out now (none is out, the back-off has passed). */
  due(now: number): boolean {
    return this.enabled && !this.asking && !this.ctx.stopped && now >= this.nextAsk;
  }

  /** The back-off after the last empty answer (ms). */
  get backoff(): number {
    return this.delay;
  }

  /** This rank is idle: ask a random other rank for work, if due. */
  ask(): void {
    if (!this.enabled || this.asking || this.now() < this.nextAsk) return;
    const ctx = this.ctx;
    let victim = Math.floor(this.random() * (ctx.size - 1));
    if (victim >= ctx.rank) victim++;
    this.asking = true;
    ctx.counters.stealRequests++;
    ctx.out.send(victim, Kind.Steal, ctx.rank, 0, 0, '');
  }

  /** Rank `thief` asks for work: it gets half of the stealable tasks, or is remembered. */
  onRequest(thief: number): void {
    const ctx = this.ctx;
    if (ctx.stopped) return;
    const given = this.giveHalf(thief);
    if (given === 0) this.hungry.add(thief);
    ctx.out.send(thief, Kind.StealReply, ctx.rank, 0, given, '');
  }

  /** The answer to this rank's request: `given` tasks came before it. */
  onReply(given: number): void {
    this.asking = false;
    if (given > 0) {
      this.delay = 0;
      return;
    }
    this.ctx.counters.stealMisses++;
    this.delay = Math.min(MAX_STEAL_DELAY_MS, Math.max(MIN_STEAL_DELAY_MS, this.delay * 2));
    this.nextAsk = this.now() + this.delay * (0.5 + this.random());
  }

  /** Whether a remembered thief can be fed now. */
  get canFeed(): boolean {
    return this.hungry.size > 0 && this.queues.stealable.length >= 2 && !this.ctx.stopped;
  }

  /** Sends half of the stealable tasks to each remembered thief while there are some. */
  feedHungry(): void {
    for (const thief of this.hungry) {
      if (this.queues.stealable.length < 2) break;
      this.hungry.delete(thief);
      this.giveHalf(thief);
    }
  }

  private giveHalf(thief: number): number {
    const { ctx, queues } = this;
    let given = 0;
    const k = Math.floor(queues.stealable.length / 2);
    const kept: Job[] = [];
    for (let i = 0; i < k; i++) {
      const job = queues.stealable.shift()!;
      try {
        ctx.out.send(thief, Kind.Call, job.replyTo, job.future, 1, job.name, job.args, true, 'args');
        given++;
      } catch {
        kept.push(job); // arguments that cannot travel: the task stays here
      }
    }
    for (const job of kept) queues.fixed.push(job);
    ctx.counters.stolenOut += given;
    return given;
  }
}
