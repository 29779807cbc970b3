// One rank's runtime, put together from parts with one job each. There is no
// scheduler anywhere else: a task is queued where it is spawned (or stolen
// from there), and its result goes from the rank that ran it straight to the
// rank that awaits it. The path of one task, out and back, is written in
// docs/architecture.md.
//
//   submission   a call → a future and a queued job, or a Call row
//   queues       fixed and stealable jobs of this rank
//   execution    runs a job; its outcome → the future here, or a row back
//   stealing     asks idle, gives half, remembers hungry thieves
//   resolver     Result/Failure rows → the futures
//   references   the reference counter, owner and holder sides
//   deadlock     probes and the report when nothing can move
//   shutdown     stop, drain, exit
//   dispatch     row kind → the part that owns it; unknown kinds refused
//   outbound     when queued rows leave
//   turn         one turn of the progress engine
import { hostname } from 'node:os';
import { connect } from './connect.js';
import type { WireError } from '../errors.js';
import { readEnv } from '../env.js';
import { world } from './world.js';
import { Kind } from './messages.js';
import { Progress, progressMode, type ProgressMode } from './progress.js';
import { setRefHost, type Ref } from './refs.js';
import { resourceCounts, type QuietReport } from './deadlock.js';
import { onSignalledTimeLimit, warnTimeLimit } from './time-limit.js';
import { zeroCounters, type RuntimeCounters } from './counters.js';
import { Outbound } from './outbound.js';
import { TaskQueues } from './queues.js';
import { FutureResolver } from './resolver.js';
import { TaskExecution } from './execution.js';
import { Stealing } from './stealing.js';
import { TaskSubmission, type SubmissionLimits } from './submission.js';
import { ReferenceCounter } from './references.js';
import { DeadlockWatch } from './deadlock-watch.js';
import { Shutdown } from './shutdown.js';
import { Arrival, Dispatch } from './dispatch.js';
import { Turn } from './turn.js';
import type { RankContext } from './context.js';
import type { Connect, Link } from './link.js';

export type { RuntimeCounters } from './counters.js';
export { zeroCounters } from './counters.js';

export interface RuntimeOptions {
  /** Makes this rank's link (default: the transport over MPI, with this rank's arena). */
  connect: Connect;
  host: string;
  progress: ProgressMode;
  /** Ranks share cores: an idle rank gives its core back sooner (asked once the link is up). */
  sharedCores: () => boolean;
  /** Whether idle ranks ask others for work. */
  steal: boolean;
  /** Tasks queued, and calls out, beyond which a spawner is held back. */
  limits?: SubmissionLimits;
  /** [0, 1), for victims and back-off (tests pass a seeded one). */
  random?: () => number;
  /** A message this rank refuses (default: a line on stderr). */
  report?: (e: WireError) => void;
}

export class Runtime {
  readonly rank: number;
  readonly size: number;
  readonly counters: RuntimeCounters = zeroCounters();
  readonly progress: Progress;
  readonly link: Link;
  readonly queues = new TaskQueues();
  readonly resolver: FutureResolver;
  readonly execution: TaskExecution;
  readonly stealing: Stealing;
  readonly submission: TaskSubmission;
  readonly references: ReferenceCounter;
  readonly deadlock: DeadlockWatch;
  readonly shutdown: Shutdown;
  readonly dispatch: Dispatch;
  private readonly ctx: RankContext;

  constructor(opts: RuntimeOptions) {
    const report = opts.report ?? ((e: WireError) => process.stderr.write(`taskloaf: rank ${this.rank}: ${e.message} [${e.code}]\n`));
    // What was active before the program's own work began (stdout and stderr exist from here on).
    void process.stdout;
    void process.stderr;
    const baseline = resourceCounts();
    this.dispatch = new Dispatch(this.counters, report);
    const link = (this.link = opts.connect(this.dispatch.deliver));
    this.rank = link.rank;
    this.size = link.size;
    const ctx: RankContext = (this.ctx = {
      rank: link.rank,
      size: link.size,
      host: opts.host,
      counters: this.counters,
      out: new Outbound(link),
      wake: () => this.progress.wake(),
      stopped: false,
    });
    const queues = this.queues;
    const resolver = (this.resolver = new FutureResolver(this.counters));
    const execution = (this.execution = new TaskExecution(ctx, resolver));
    const stealing = (this.stealing = new Stealing(ctx, queues, { enabled: opts.steal, random: opts.random }));
    this.submission = new TaskSubmission(ctx, { queues, resolver, execution, stealing, link }, opts.limits);
    this.references = new ReferenceCounter(ctx, resolver, execution, (v) => link.inArena(v));
    this.shutdown = new Shutdown(ctx, queues, link);
    const turn = new Turn(ctx, { link, dispatch: this.dispatch, queues, execution, stealing, shutdown: this.shutdown });
    this.progress = new Progress(turn.run, turn.probe, opts.progress, opts.sharedCores());
    this.deadlock = new DeadlockWatch(ctx, baseline, { queues, execution, resolver, link, ownHandles: () => this.progress.ownHandles() });
    this.routeMessages();
  }

  // Every kind of row, to the part that owns it; what each returns says what it brought.
  private routeMessages(): void {
    const { dispatch: d, submission, resolver, stealing, shutdown, references: refs, deadlock, queues } = this;
    const U = Arrival.Useful;
    const settled = (done: boolean) => (done ? U | Arrival.Settled : U);
    d.on(Kind.Call, (row) => (submission.accept(row), U));
    d.on(Kind.Result, (row) => settled(resolver.resolved(row.id, row.value)));
    d.on(Kind.Failure, (row, source) => settled(resolver.failed(row.id, row.value, source)));
    d.on(Kind.Steal, (row) => {
      const some = queues.stealable.length >= 2;
      stealing.onRequest(row.rank);
      return some ? U : Arrival.Chatter;
    });
    d.on(Kind.StealReply, (row) => (stealing.onReply(row.aux), row.aux > 0 ? U : Arrival.Chatter));
    d.on(Kind.Shutdown, () => (shutdown.stop(), U));
    d.on(Kind.Drained, () => (shutdown.onDrained(), U));
    d.on(Kind.Exit, () => (shutdown.onExitMessage(), U));
    d.on(Kind.Fetch, (row) => (refs.onFetch(row.rank, row.id, row.aux), U));
    d.on(Kind.RefRelease, (row) => (refs.onRelease(row.aux, row.id), U));
    d.on(Kind.RefRefill, (row, source) => (refs.onRefill(source, row.aux), U));
    d.on(Kind.RefGrant, (row, source) => (refs.onGrant(source, row.aux, row.id), U));
    d.on(Kind.Probe, (row) => (deadlock.onProbe(row.id), U));
    d.on(Kind.ProbeReply, (row) => (deadlock.onProbeReply(row.value as QuietReport, row.id), U));
    d.on(Kind.TimeLimit, () => (warnTimeLimit('rank'), U));
  }

  /** Refs made and read on this rank go through this runtime; a signalled time limit is passed on to every rank. */
  attach(): this {
    setRefHost(this.references.host);
    // A signal warned this rank of the time limit: every other rank hears it from here.
    onSignalledTimeLimit(() => {
      const ctx = this.ctx;
      if (ctx.stopped) return;
      for (let r = 0; r < ctx.size; r++) if (r !== ctx.rank) ctx.out.send(r, Kind.TimeLimit, ctx.rank, 0, 0, '');
      this.progress.wake();
    });
    return this;
  }

  spawn(name: string, args: unknown[], target?: number, timeoutMs?: number): Promise<unknown> {
    return this.submission.spawn(name, args, target, timeoutMs);
  }

  put<T>(value: T): Ref<T> {
    return this.references.put(value);
  }

  get liveRefs(): number {
    return this.references.live;
  }

  get pendingFutures(): number {
    return this.resolver.futures.size;
  }

  get stopped(): boolean {
    return this.ctx.stopped;
  }

  /** Serves tasks until rank 0 says the job is over. */
  served(): Promise<void> {
    const exited = this.shutdown.exited();
    this.progress.start();
    return exited;
  }

  /** Rank 0: stops every rank, waits until every message in flight has arrived, then lets all exit. */
  shutdownAll(): Promise<void> {
    return this.shutdown.all();
  }

  /** Sends what is left and stops the engine. */
  async finish(): Promise<void> {
    this.progress.stop();
    await this.link.end();
  }
}

/** This rank's runtime as a job runs it: over MPI, configured by the environment. */
function rankRuntime(): Runtime {
  // Settings are checked before MPI starts: a bad one ends the rank before it joins.
  const steal = readEnv('TASKLOAF_STEAL') === 'on';
  const progress = progressMode();
  return new Runtime({
    // The transport starts MPI and fills in `world`; sharedCores is read after it.
    connect: (onRow) => connect({ onRow }).transport,
    host: hostname(),
    progress,
    sharedCores: () => world.oversubscribed,
    steal,
  });
}

let current: Runtime | undefined;

/** This rank's runtime (started on first use). */
export function runtime(): Runtime {
  current ??= rankRuntime().attach();
  return current;
}

export function runtimeStarted(): Runtime | undefined {
  return current;
}

