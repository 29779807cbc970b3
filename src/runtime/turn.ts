// One turn of the progress engine, and its probe between turns: receive what
// has arrived, run tasks for a while, feed waiting thieves, ask for work when
// idle, send. The turn decides when its rows leave (Outbound) and when to look
// for more arrivals; progress.ts decides when a turn happens.
import { performance } from 'node:perf_hooks';
import { Arrival, type Dispatch } from './dispatch.js';
import type { RankContext } from './context.js';
import type { TaskQueues } from './queues.js';
import type { TaskExecution } from './execution.js';
import type { Stealing } from './stealing.js';
import type { Shutdown } from './shutdown.js';
import type { Link } from './link.js';

const TURN_BUDGET_MS = 2;
const FLUSH_AFTER_MS = 0.1;
const POLL_AFTER_MS = 0.5;

export class Turn {
  constructor(
    private readonly ctx: RankContext,
    private readonly parts: { link: Pick<Link, 'poll'>; dispatch: Dispatch; queues: TaskQueues; execution: TaskExecution; stealing: Stealing; shutdown: Shutdown },
  ) {}

  // A poll stops at the first frame that settles a future or brings a task:
  // what else has arrived waits for the next poll (within the turn, or the
  // next), not the task or the code awaiting the future.
  private readonly stopPolling = (): boolean => (this.parts.dispatch.brought & Arrival.Settled) !== 0 || this.parts.queues.length > 0;

  /** Receives for a turn or a probe: frames received. */
  private receive(): number {
    this.parts.dispatch.reset();
    return this.parts.link.poll(TURN_BUDGET_MS, this.stopPolling);
  }

  /** Between turns while spinning: receives what has arrived and says whether a turn is due. */
  readonly probe = (now: number): boolean => {
    if (this.receive() > 0) return true;
    if (this.parts.queues.length > 0) return true;
    return this.parts.stealing.due(now);
  };

  /** One turn (`probed`: probe() has just received); whether there was work. */
  readonly run = (probed: boolean, start: number): boolean => {
    const out = this.ctx.out;
    out.beginTurn();
    try {
      return this.work(probed, start);
    } finally {
      out.endTurn();
    }
  };

  private work(probed: boolean, start: number): boolean {
    const { ctx } = this;
    const { dispatch, queues, execution, stealing, shutdown, link } = this.parts;
    const out = ctx.out;
    if (!probed) this.receive();
    let work = (dispatch.brought & Arrival.Useful) !== 0 ? 1 : 0;
    // Only results came, nothing to run: let the code awaiting them go on at once.
    if ((dispatch.brought & Arrival.Settled) !== 0 && queues.length === 0) return true;
    if (stealing.canFeed) stealing.feedHungry();
    // What is queued leaves before a task starts: a long task must not hold
    // back the calls main just made to other ranks, or a thief's share.
    out.flush();
    const deadline = start + TURN_BUDGET_MS;
    let flushed = start;
    let polled = start;
    let ran = 0;
    for (;;) {
      const job = queues.next();
      if (!job) break;
      execution.execute(job);
      ran++;
      // A thief that found nothing here gets half of what this task spawned at once.
      if (stealing.canFeed) {
        stealing.feedHungry();
        out.flush();
      }
      // The last task queued: its result leaves without a look at the clock.
      if (queues.length === 0) break;
      const now = performance.now();
      if (now > deadline) break; // a long task must not keep thieves and results waiting
      // Tiny tasks share one batch; after a longer one, its results leave now.
      if (now - flushed > FLUSH_AFTER_MS) {
        out.flush();
        flushed = now;
      }
      // What arrived meanwhile is taken in every POLL_AFTER_MS: a thief asking
      // for work gets its answer within a task or so, not at the end of the turn.
      if (now - polled > POLL_AFTER_MS) {
        if (link.poll(TURN_BUDGET_MS) > 0 && stealing.canFeed) stealing.feedHungry();
        out.flush();
        polled = now;
      }
    }
    if (ran === 0 && !ctx.stopped) stealing.ask();
    out.flush();
    shutdown.reportIfDrained();
    work += ran;
    return work > 0 || queues.length > 0;
  }
}
