// The end of a job. Rank 0, once main has settled, tells every rank to stop:
// queued tasks are dropped (counted), nothing more runs, nothing more is sent
// but a Drained report once all a rank sent has arrived; every rank keeps
// receiving (and dropping) until all have drained, so no send is left waiting
// for a receiver that has gone; then rank 0 lets every rank exit.
import { Kind } from './messages.js';
import type { RankContext } from './context.js';
import type { TaskQueues } from './queues.js';
import type { Link } from './link.js';

export class Shutdown {
  private drained = 0;
  private reportedDrained = false;
  private onExit: (() => void) | null = null;

  constructor(
    private readonly ctx: RankContext,
    private readonly queues: TaskQueues,
    private readonly link: Link,
  ) {}

  /** Stops this rank (a Shutdown message, or rank 0 itself). */
  stop(): void {
    const ctx = this.ctx;
    if (ctx.stopped) return;
    ctx.stopped = true;
    ctx.counters.cancelled += this.queues.drop();
    this.link.close();
  }

  /** Another rank has drained. */
  onDrained(): void {
    this.drained++;
  }

  /** Rank 0 says every rank has drained. */
  onExitMessage(): void {
    this.onExit?.();
  }

  /** At the end of a turn: a stopped rank whose sends have all completed says so, once (the last thing it sends). */
  reportIfDrained(): void {
    const ctx = this.ctx;
    if (ctx.stopped && ctx.rank !== 0 && !this.reportedDrained && this.link.pendingSends === 0) {
      this.reportedDrained = true;
      ctx.out.send(0, Kind.Drained, ctx.rank, 0, 0, '');
    }
  }

  /** A serving rank: resolves when rank 0 says the job is over. */
  exited(): Promise<void> {
    return new Promise((resolve) => {
      this.onExit = resolve;
    });
  }

  /** Rank 0: stops every rank, waits until every message in flight has arrived, then lets all exit. */
  async all(): Promise<void> {
    const { ctx, link } = this;
    for (let r = 0; r < ctx.size; r++) if (r !== ctx.rank) ctx.out.send(r, Kind.Shutdown, ctx.rank, 0, 0, '');
    ctx.out.flush();
    this.stop();
    await link.until(() => this.drained === ctx.size - 1 && link.pendingSends === 0 && link.queued === 0, 60_000);
    for (let r = 0; r < ctx.size; r++) if (r !== ctx.rank) ctx.out.send(r, Kind.Exit, ctx.rank, 0, 0, '');
    ctx.out.flush();
  }
}
