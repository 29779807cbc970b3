// The deadlock watch, as it runs: every rank answers rank 0's probes with what
// it has queued, sends, waits for and runs; rank 0, while main runs, ends the
// job with a report when every rank has been quiet, with the same counters,
// for the whole window (deadlock.ts holds the rules and the report).
import { endJob } from '../native/abort.js';
import { Kind } from './messages.js';
import { deadlockReport, externalResources, quiet, type QuietReport } from './deadlock.js';
import type { RankContext } from './context.js';
import type { TaskQueues } from './queues.js';
import type { TaskExecution } from './execution.js';
import type { FutureResolver } from './resolver.js';
import type { Link } from './link.js';

export class DeadlockWatch {
  private timer: NodeJS.Timeout | null = null;
  private onReply: ((r: QuietReport, round: number) => void) | null = null;

  constructor(
    private readonly ctx: RankContext,
    /** What was active before the program's own work began. */
    private readonly baseline: Map<string, number>,
    private readonly parts: {
      queues: TaskQueues;
      execution: TaskExecution;
      resolver: FutureResolver;
      link: Pick<Link, 'queued'>;
      /** The progress engine's own timers and immediates. */
      ownHandles: () => Map<string, number>;
    },
  ) {}

  /** This rank, for a probe. */
  report(): QuietReport {
    const c = this.ctx.counters;
    const { queues, execution, resolver, link, ownHandles } = this.parts;
    return {
      rank: this.ctx.rank,
      host: this.ctx.host,
      signature: c.spawned + c.executed + c.callsSent + c.callsReceived + c.resultsSent + c.resultsReceived + c.refMessagesSent + c.refMessagesReceived,
      queued: queues.length,
      unsent: link.queued,
      external: externalResources(this.baseline, ownHandles()),
      suspended: [...execution.suspended.values()].slice(0, 20),
      waiting: resolver.futures.list(),
    };
  }

  /** A probe of round `round` from rank 0. */
  onProbe(round: number): void {
    if (!this.ctx.stopped) this.ctx.out.send(0, Kind.ProbeReply, this.ctx.rank, round, 0, '', this.report());
  }

  onProbeReply(report: QuietReport, round: number): void {
    this.onReply?.(report, round);
  }

  /** Rank 0, while main runs: a probe round every second, or four per window when it is shorter. */
  start(seconds: number): void {
    const ctx = this.ctx;
    if (seconds === 0 || ctx.rank !== 0) return;
    let round = 0;
    let replies: QuietReport[] = [];
    let previous: Map<number, number> | null = null;
    let quietSince = 0;
    this.onReply = (r, n) => {
      if (n === round) replies.push(r);
    };
    const tick = () => {
      const now = Date.now();
      if (replies.length === ctx.size && replies.every(quiet)) {
        const same = previous !== null && replies.every((r) => previous!.get(r.rank) === r.signature);
        if (!same) quietSince = 0;
        else if (quietSince === 0) quietSince = now;
        previous = new Map(replies.map((r) => [r.rank, r.signature]));
        if (quietSince !== 0 && now - quietSince >= seconds * 1000) {
          process.stderr.write(deadlockReport(replies, Math.round((now - quietSince) / 1000) + 1) + '\n');
          endJob('found the job deadlocked', 1);
        }
      } else {
        // A rank busy, or slow to answer: it is doing something.
        quietSince = 0;
        previous = null;
      }
      round++;
      replies = [this.report()];
      for (let r = 1; r < ctx.size; r++) ctx.out.send(r, Kind.Probe, 0, round, 0, '');
      ctx.out.flush();
      ctx.wake();
    };
    this.timer = setInterval(tick, Math.max(100, Math.min(1000, (seconds * 1000) / 4)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.onReply = null;
  }
}
