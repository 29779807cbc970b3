// One file though over 400 lines: submission, execution, stealing and the
// future resolver share one rank's queues, counters and progress engine in
// one class; they come apart when the scheduling policy moves out of it.
// One rank's runtime: task submission, task execution, work stealing and the
// future resolver, driven by the progress engine. There is no scheduler
// anywhere else: a task is placed where it is spawned (or stolen from there),
// and its result goes from the rank that ran it straight to the rank that
// awaits it.
import { performance } from 'node:perf_hooks';
import { hostname } from 'node:os';
import { connect, type Connection } from './connect.js';
import type { Row } from '../wire/frame/batch.js';
import { InvalidArgumentError, RemoteTaskError, RuntimeStateError, TaskTimeoutError, UnknownTaskError } from '../errors.js';
import { world } from './world.js';
import { Deque } from './deque.js';
import { Futures } from './futures.js';
import { Kind } from './messages.js';
import { Progress, progressMode } from './progress.js';
import { lookup } from './registry.js';
import { INITIAL_WEIGHT, Ref, RefError, setRefHost, type WeightBox } from './refs.js';
import { deadlockReport, deadlockSeconds, externalResources, quiet, resourceCounts, type QuietReport } from './deadlock.js';
import { endJob } from '../native/abort.js';
import { onSignalledTimeLimit, warnTimeLimit } from './time-limit.js';

interface Job {
  name: string;
  args: unknown[];
  /** Who awaits the result, and under which future id. */
  replyTo: number;
  future: number;
}

/** Per-rank counters (exported through stats()). */
export interface RuntimeCounters {
  /** Tasks spawned on this rank (anywhere or placed). */
  spawned: number;
  /** Tasks run on this rank. */
  executed: number;
  /** Tasks this rank stole from others, and that others stole from it. */
  stolenIn: number;
  stolenOut: number;
  /** Steal requests sent, and how many came back empty. */
  stealRequests: number;
  stealMisses: number;
  /** Task calls and results sent to and received from other ranks. */
  callsSent: number;
  callsReceived: number;
  resultsSent: number;
  resultsReceived: number;
  /** Queued tasks dropped at shutdown. */
  cancelled: number;
  /** Results and failures that found no future (their call had timed out): dropped. */
  strayResults: number;
  /** Values put on this rank, and freed because no Ref to them is left anywhere. */
  refsPut: number;
  refsFreed: number;
  /** Ref weight messages sent and received (releases, refills). */
  refMessagesSent: number;
  refMessagesReceived: number;
}

export function zeroCounters(): RuntimeCounters {
  return {
    spawned: 0, executed: 0, stolenIn: 0, stolenOut: 0, stealRequests: 0, stealMisses: 0,
    callsSent: 0, callsReceived: 0, resultsSent: 0, resultsReceived: 0, cancelled: 0, strayResults: 0,
    refsPut: 0, refsFreed: 0, refMessagesSent: 0, refMessagesReceived: 0,
  };
}

// An idle rank asks less and less often (a victim that had nothing sends work
// as soon as it has some, so a long back-off costs no latency).
const MAX_STEAL_DELAY_MS = 10;
const TURN_BUDGET_MS = 2;
const FLUSH_AFTER_MS = 0.1;
const POLL_AFTER_MS = 0.5;
// Tasks queued on one rank beyond which spawning runs some of them at once.
const QUEUE_LIMIT = 1 << 16;
// Calls out on other ranks beyond which spawning waits for some results.
const FUTURE_LIMIT = 1 << 16;

export class Runtime {
  readonly rank: number;
  readonly size: number;
  readonly host = hostname();
  readonly counters: RuntimeCounters = zeroCounters();
  readonly futures = new Futures();
  readonly progress: Progress;
  private readonly conn: Connection;
  private readonly stealable = new Deque<Job>();
  private readonly placed = new Deque<Job>();
  private stealing = false;
  // Ranks that asked this one for work when it had none: they get some as soon as it has.
  private readonly hungry = new Set<number>();
  private stealDelay = 0;
  private nextSteal = 0;
  private stopped = false;
  private drained = 0;
  private reportedDrained = false;
  /** TASKLOAF_STEAL=off: no rank asks for work (placement only where spawned). */
  private readonly steals = stealSetting();
  private onExit: (() => void) | null = null;
  // The reference counter, owner side: values put here and the weight handed out for each.
  private readonly store = new Map<number, { value: unknown; total: number }>();
  private nextRef = 1;
  // Holder side: Refs waiting for a refill from their owner.
  private readonly refilling = new Map<string, WeightBox[]>();

  // Deadlock detection: what was active before the program's own work began,
  // the tasks suspended in an await, and rank 0's probe rounds.
  private readonly baseline: Map<string, number>;
  private readonly suspended = new Map<number, { task: string; id: number; for: number }>();
  private suspendSeq = 0;
  private probeTimer: NodeJS.Timeout | null = null;
  private onProbeReply: ((r: QuietReport, round: number) => void) | null = null;

  constructor() {
    // stdout and stderr exist from here on, before the baseline is taken.
    void process.stdout;
    void process.stderr;
    this.baseline = resourceCounts();
    this.conn = connect({ onRow: (row, source) => this.onRow(row, source) });
    this.rank = this.conn.transport.rank;
    this.size = this.conn.transport.size;
    this.progress = new Progress((probed, now) => this.turn(probed, now), (now) => this.probe(now), progressMode(), world.oversubscribed);
    setRefHost({
      rank: this.rank,
      local: (id) => {
        const e = this.store.get(id);
        if (!e) throw new RefError('ERR_REF_FREED', `Ref ${this.rank}:${id} has been freed`);
        return e.value;
      },
      fetch: (owner, id) => {
        const { id: future, promise } = this.futures.create('(Ref.get)');
        this.transport.send(owner, Kind.Fetch, this.rank, future, id, '');
        this.progress.wake();
        return promise;
      },
      giveBack: (owner, id, weight) => {
        if (owner === this.rank) return this.unweigh(id, weight);
        if (this.stopped) return;
        this.transport.send(owner, Kind.RefRelease, this.rank, weight, id, '');
        this.counters.refMessagesSent++;
        this.progress.wake();
      },
      mint: (id, weight) => {
        const e = this.store.get(id);
        if (!e) throw new RefError('ERR_REF_FREED', `Ref ${this.rank}:${id} has been freed`);
        e.total += weight;
      },
      refill: (owner, id, box) => {
        const k = `${owner}/${id}`;
        const waiting = this.refilling.get(k);
        if (waiting) waiting.push(box);
        else this.refilling.set(k, [box]);
        this.transport.send(owner, Kind.RefRefill, this.rank, 0, id, '');
        this.counters.refMessagesSent++;
      },
    });
    // A signal warned this rank of the time limit: every other rank hears it from here.
    onSignalledTimeLimit(() => {
      if (this.stopped) return;
      for (let r = 0; r < this.size; r++) if (r !== this.rank) this.transport.send(r, Kind.TimeLimit, this.rank, 0, 0, '');
      this.progress.wake();
    });
  }

  /**
   * put(value): keeps `value` here and returns the first Ref to it. An Arrow
   * value is kept in this rank's arena (copied once, now), where ranks of this
   * node read it in place.
   */
  put<T>(value: T): Ref<T> {
    const id = this.nextRef++;
    this.store.set(id, { value: this.transport.inArena(value), total: INITIAL_WEIGHT });
    this.counters.refsPut++;
    return new Ref<T>(this.rank, id, INITIAL_WEIGHT);
  }

  /** Values put here that some rank still holds a Ref to. */
  get liveRefs(): number {
    return this.store.size;
  }

  // Weight came back; at zero no rank holds a Ref: the value goes.
  private unweigh(id: number, weight: number): void {
    const e = this.store.get(id);
    if (!e) return;
    e.total -= weight;
    if (e.total <= 0) {
      this.store.delete(id);
      this.counters.refsFreed++;
    }
  }

  get transport() {
    return this.conn.transport;
  }

  /** Task submission: anywhere (`target` undefined: stealable) or on rank `target`. */
  spawn(name: string, args: unknown[], target?: number, timeoutMs?: number): Promise<unknown> {
    if (this.stopped) return Promise.reject(new RuntimeStateError(`task '${name}' was called after the job ended`));
    if (!lookup(name)) return Promise.reject(new UnknownTaskError(name, this.rank, ' (the calling rank)'));
    if (target !== undefined && !(Number.isInteger(target) && target >= 0 && target < this.size)) {
      return Promise.reject(new InvalidArgumentError('ERR_INVALID_ARG_VALUE', `task '${name}': rank must be an integer in [0, ${this.size - 1}], got ${String(target)}`));
    }
    const { id, promise } = this.futures.create(
      name,
      timeoutMs === undefined ? undefined : { ms: timeoutMs, error: () => new TaskTimeoutError(name, timeoutMs, target) },
      target,
    );
    if (target === undefined || target === this.rank) {
      (target === undefined ? this.stealable : this.placed).push({ name, args, replyTo: this.rank, future: id });
      // Backpressure: a spawner far ahead of the work runs some of it right here.
      if (this.placed.length + this.stealable.length > QUEUE_LIMIT && !this.inline) this.runInline();
    } else {
      try {
        this.transport.send(target, Kind.Call, this.rank, id, 0, name, args, true, 'args');
      } catch (e) {
        this.futures.take(id);
        return Promise.reject(e);
      }
      this.counters.callsSent++;
      // Backpressure: too many results outstanding; let some come back first.
      if (this.futures.size > this.futureLimit && !this.inline) this.awaitSomeResults();
    }
    this.counters.spawned++; // only once it is on its way
    this.progress.wake();
    return promise;
  }

  // Set while runInline() or awaitSomeResults() runs tasks: their spawns only queue.
  private inline = false;
  private futureLimit = FUTURE_LIMIT;

  /**
   * The spawner is far ahead (QUEUE_LIMIT tasks queued here): run the newest
   * tasks now, on the spawner's time, until half are left — serving thieves
   * and results in between — so a loop spawning millions of tasks keeps this
   * rank's queue bounded instead of growing without end.
   */
  private runInline(): void {
    this.inline = true;
    try {
      const t = this.transport;
      let n = 0;
      while (this.placed.length + this.stealable.length > QUEUE_LIMIT / 2) {
        const job = this.placed.shift() ?? this.stealable.pop();
        if (!job) break;
        this.execute(job);
        if (++n % 1024 === 0) {
          t.poll(0);
          if (this.hungry.size > 0 && this.stealable.length >= 2) this.feedHungry();
          t.flushAll();
        }
      }
      t.flushAll();
    } finally {
      this.inline = false;
    }
  }

  /**
   * FUTURE_LIMIT calls are out on other ranks: send, receive and run what is
   * here, on the spawner's time, until half the results are back — or for at
   * most a second, since what they wait for might need this rank's event loop
   * (then the spawner goes on and memory grows instead of the job stalling).
   */
  private awaitSomeResults(): void {
    this.inline = true;
    try {
      const t = this.transport;
      const deadline = performance.now() + 1000;
      const target = this.futureLimit - FUTURE_LIMIT / 2;
      while (this.futures.size > target && performance.now() < deadline) {
        t.flushAll();
        t.poll(1);
        for (let i = 0; i < 256; i++) {
          const job = this.placed.shift() ?? this.stealable.pop();
          if (!job) break;
          this.execute(job);
        }
      }
      t.flushAll();
      // Results that will not come while the spawner holds the loop: stop
      // waiting for them (until another FUTURE_LIMIT calls are out).
      this.futureLimit = this.futures.size > target ? this.futures.size + FUTURE_LIMIT : FUTURE_LIMIT;
    } finally {
      this.inline = false;
    }
  }

  /**
   * Between turns while spinning: receives what has arrived and says whether
   * a turn is due (something arrived, tasks wait, or a steal is due).
   */
  private probe(now: number): boolean {
    if (this.receive() > 0) return true;
    if (this.placed.length + this.stealable.length > 0) return true;
    return !this.stealing && this.steals && this.size > 1 && !this.stopped && now >= this.nextSteal;
  }

  // A future of this rank settled in this poll: the code awaiting it runs
  // once the turn returns. A poll stops at the first frame that settles a
  // future or brings a task: what else has arrived waits for the next poll
  // (within the turn, or the next), not the task or the awaiting code.
  private settled = false;
  private readonly stopPolling = () => this.settled || this.placed.length + this.stealable.length > 0;

  /** A turn's (or a probe's) receiving: frames received. */
  private receive(): number {
    this.useful = false;
    this.settled = false;
    return this.transport.poll(TURN_BUDGET_MS, this.stopPolling);
  }

  /** One turn of the progress engine: receive, run tasks for a while, steal if idle, send. */
  private turn(probed: boolean, start: number): boolean {
    // The turn sends what it queued itself, at the latest here as it ends.
    const t = this.transport;
    t.holding = true;
    try {
      return this.turnHolding(probed, start);
    } finally {
      t.holding = false;
      t.flushAll();
    }
  }

  private turnHolding(probed: boolean, start: number): boolean {
    const t = this.transport;
    if (!probed) this.receive();
    let work = this.useful ? 1 : 0;
    // Only results came, nothing to run: let the code awaiting them go on at once.
    if (this.settled && this.placed.length + this.stealable.length === 0) return true;
    if (this.hungry.size > 0 && this.stealable.length >= 2 && !this.stopped) this.feedHungry();
    // What is queued leaves before a task starts: a long task must not hold
    // back the calls main just made to other ranks, or a thief's share.
    t.flushAll();
    const deadline = start + TURN_BUDGET_MS;
    let flushed = start;
    let polled = start;
    let ran = 0;
    for (;;) {
      const job = this.placed.shift() ?? this.stealable.pop();
      if (!job) break;
      this.execute(job);
      ran++;
      // A thief that found nothing here gets half of what this task spawned at
      // once, not at the next poll or turn.
      if (this.hungry.size > 0 && this.stealable.length >= 2 && !this.stopped) {
        this.feedHungry();
        t.flushAll();
      }
      // The last task queued: its result leaves without a look at the clock.
      if (this.placed.length + this.stealable.length === 0) break;
      const now = performance.now();
      if (now > deadline) break; // a long task must not keep thieves and results waiting
      // Tiny tasks share one batch; after a longer one, its results leave now.
      if (now - flushed > FLUSH_AFTER_MS) {
        t.flushAll();
        flushed = now;
      }
      // What arrived meanwhile is taken in every POLL_AFTER_MS: a thief asking
      // for work gets its answer within a task or so, not at the end of the turn.
      if (now - polled > POLL_AFTER_MS) {
        if (t.poll(TURN_BUDGET_MS) > 0 && this.hungry.size > 0 && this.stealable.length >= 2 && !this.stopped) this.feedHungry();
        t.flushAll();
        polled = now;
      }
    }
    if (ran === 0 && !this.stopped) this.maybeSteal();
    t.flushAll();
    if (this.stopped && this.rank !== 0 && !this.reportedDrained && t.pendingSends === 0) {
      // Everything this rank sent has been received: say so (the last thing it sends).
      this.reportedDrained = true;
      t.send(0, Kind.Drained, this.rank, 0, 0, '');
    }
    work += ran;
    return work > 0 || this.placed.length + this.stealable.length > 0;
  }

  // Task execution: sync or async; the rank goes on with other tasks while
  // this one awaits (its continuation resumes here when its children are done).
  private execute(job: Job): void {
    this.counters.executed++;
    const fn = lookup(job.name);
    if (!fn) {
      this.fail(job, new UnknownTaskError(job.name, this.rank));
      return;
    }
    let r: unknown;
    try {
      r = (fn as (...a: unknown[]) => unknown)(...job.args);
    } catch (e) {
      this.fail(job, e);
      return;
    }
    if (r !== null && typeof r === 'object' && typeof (r as Promise<unknown>).then === 'function') {
      const key = ++this.suspendSeq;
      this.suspended.set(key, { task: job.name, id: job.future, for: job.replyTo });
      (r as Promise<unknown>).then(
        (v) => {
          this.suspended.delete(key);
          this.succeed(job, v);
        },
        (e) => {
          this.suspended.delete(key);
          this.fail(job, e);
        },
      );
    } else {
      this.succeed(job, r);
    }
  }

  private succeed(job: Job, value: unknown): void {
    if (job.replyTo === this.rank) {
      const p = this.futures.take(job.future);
      if (p) p.resolve(value);
      else this.counters.strayResults++;
      return;
    }
    if (this.stopped) return;
    try {
      this.transport.send(job.replyTo, Kind.Result, this.rank, job.future, 0, job.name, value, true, `result of '${job.name}'`);
    } catch (e) {
      this.fail(job, e);
      return;
    }
    this.counters.resultsSent++;
    this.progress.wake();
  }

  private fail(job: Job, e: unknown): void {
    const error = e instanceof Error ? e : new Error(`a non-Error value was thrown: ${String(e)}`);
    if (job.replyTo === this.rank) {
      const p = this.futures.take(job.future);
      if (p) p.reject(error instanceof UnknownTaskError ? error : new RemoteTaskError({ rank: this.rank, host: this.host, task: job.name }, error));
      else this.counters.strayResults++;
      return;
    }
    if (this.stopped) return;
    const info = { error, host: this.host, unknown: error instanceof UnknownTaskError };
    try {
      this.transport.send(job.replyTo, Kind.Failure, this.rank, job.future, 0, job.name, info);
    } catch {
      // The error itself cannot travel (say, a cause holding a function): send what can.
      const plain = new Error(error.message);
      plain.stack = error.stack;
      this.transport.send(job.replyTo, Kind.Failure, this.rank, job.future, 0, job.name, { error: plain, host: this.host, unknown: false });
    }
    this.counters.resultsSent++;
    this.progress.wake();
  }

  // Work stealing: an idle rank asks one random victim at a time; after an
  // empty answer it waits a little longer before asking again (up to MAX_STEAL_DELAY_MS).
  private maybeSteal(): void {
    if (this.size < 2 || this.stealing || !this.steals) return;
    const now = performance.now();
    if (now < this.nextSteal) return;
    let victim = Math.floor(Math.random() * (this.size - 1));
    if (victim >= this.rank) victim++;
    this.stealing = true;
    this.counters.stealRequests++;
    this.transport.send(victim, Kind.Steal, this.rank, 0, 0, '');
  }

  // Steal-half from the old end: one request moves many tasks when there are
  // many, and the oldest are the biggest in recursive work. A victim keeps at
  // least one (a lone task would otherwise bounce between idle ranks).
  private giveWork(thief: number): void {
    const given = this.stopped ? 0 : this.sendHalf(thief);
    if (given === 0 && !this.stopped) this.hungry.add(thief);
    this.transport.send(thief, Kind.StealReply, this.rank, 0, given, '');
  }

  // A rank that found nothing here asked before this rank had work: rather
  // than wait for its next request (after a back-off), send it half now.
  private feedHungry(): void {
    for (const thief of this.hungry) {
      if (this.stealable.length < 2) break;
      this.hungry.delete(thief);
      this.sendHalf(thief);
    }
  }

  private sendHalf(thief: number): number {
    let given = 0;
    const k = Math.floor(this.stealable.length / 2);
    const kept: Job[] = [];
    for (let i = 0; i < k; i++) {
      const job = this.stealable.shift()!;
      try {
        this.transport.send(thief, Kind.Call, job.replyTo, job.future, 1, job.name, job.args, true, 'args');
        given++;
      } catch {
        kept.push(job); // arguments that cannot travel: the task stays here
      }
    }
    for (const job of kept) this.placed.push(job);
    this.counters.stolenOut += given;
    return given;
  }

  // Whether the last poll brought anything but steal chatter (a request when
  // there is nothing to give, an empty answer): only that keeps the engine
  // spinning, or idle ranks asking each other for work would never rest.
  private useful = false;

  private onRow(row: Row, source: number): void {
    if (!((row.kind === Kind.Steal && this.stealable.length < 2) || (row.kind === Kind.StealReply && row.aux === 0))) this.useful = true;
    switch (row.kind) {
      case Kind.Call: {
        if (this.stopped) {
          this.counters.cancelled++; // arrived after the end: dropped, and counted
          return;
        }
        this.counters.callsReceived++;
        const args = Array.isArray(row.value) ? (row.value as unknown[]) : [];
        const job: Job = { name: row.name, args, replyTo: row.rank, future: row.id };
        if (row.aux === 1) {
          this.counters.stolenIn++;
          this.stealable.push(job);
        } else {
          this.placed.push(job);
        }
        return;
      }
      case Kind.Result: {
        const p = this.futures.take(row.id);
        if (!p) {
          this.counters.strayResults++;
          return;
        }
        this.counters.resultsReceived++;
        this.settled = true;
        p.resolve(row.value);
        return;
      }
      case Kind.Failure: {
        const p = this.futures.take(row.id);
        if (!p) {
          this.counters.strayResults++;
          return;
        }
        this.counters.resultsReceived++;
        this.settled = true;
        p.reject(this.remoteError(row.value, source, p.task));
        return;
      }
      case Kind.Steal:
        if (!this.stopped) this.giveWork(row.rank);
        return;
      case Kind.StealReply:
        this.stealing = false;
        if (row.aux > 0) {
          this.stealDelay = 0;
        } else {
          this.counters.stealMisses++;
          this.stealDelay = Math.min(MAX_STEAL_DELAY_MS, Math.max(0.02, this.stealDelay * 2));
          this.nextSteal = performance.now() + this.stealDelay * (0.5 + Math.random());
        }
        return;
      case Kind.Shutdown:
        this.stop();
        return;
      case Kind.Drained:
        this.drained++;
        return;
      case Kind.Exit:
        this.onExit?.();
        return;
      case Kind.Fetch: {
        if (this.stopped) return;
        const job: Job = { name: '(Ref.get)', args: [], replyTo: row.rank, future: row.id };
        const e = this.store.get(row.aux);
        if (e) this.succeed(job, e.value);
        else this.fail(job, new RefError('ERR_REF_FREED', `Ref ${this.rank}:${row.aux} has been freed`));
        return;
      }
      case Kind.RefRelease:
        this.counters.refMessagesReceived++;
        this.unweigh(row.aux, row.id);
        return;
      case Kind.RefRefill: {
        this.counters.refMessagesReceived++;
        const e = this.store.get(row.aux);
        if (!e || this.stopped) return;
        e.total += INITIAL_WEIGHT; // counted before it is handed out
        this.transport.send(source, Kind.RefGrant, this.rank, INITIAL_WEIGHT, row.aux, '');
        this.counters.refMessagesSent++;
        return;
      }
      case Kind.Probe:
        if (!this.stopped) this.transport.send(0, Kind.ProbeReply, this.rank, row.id, 0, '', this.quietReport());
        return;
      case Kind.ProbeReply:
        this.onProbeReply?.(row.value as QuietReport, row.id);
        return;
      case Kind.TimeLimit:
        warnTimeLimit('rank');
        return;
      case Kind.RefGrant: {
        this.counters.refMessagesReceived++;
        const k = `${source}/${row.aux}`;
        const waiting = this.refilling.get(k);
        const box = waiting?.shift();
        if (waiting && waiting.length === 0) this.refilling.delete(k);
        if (!box || box.released) {
          // Its Ref is gone meanwhile: the weight goes straight back.
          this.transport.send(source, Kind.RefRelease, this.rank, row.id, row.aux, '');
          this.counters.refMessagesSent++;
          return;
        }
        box.weight += row.id;
        box.refilling = false;
        return;
      }
      default:
        return;
    }
  }

  private remoteError(value: unknown, source: number, task: string): Error {
    const info = (value ?? {}) as { error?: unknown; host?: unknown; unknown?: unknown };
    const host = typeof info.host === 'string' ? info.host : '?';
    if (info.unknown === true) return new UnknownTaskError(task, source);
    const cause = info.error instanceof Error ? info.error : new Error(`rank ${source} sent a failure without an error`);
    // A Ref's owner no longer has the value: the same RefError as on the owner.
    const code = (cause as { code?: unknown }).code;
    if (task === '(Ref.get)' && code === 'ERR_REF_FREED') return new RefError('ERR_REF_FREED', cause.message);
    return new RemoteTaskError({ rank: source, host, task }, cause);
  }

  // Shutdown: queued tasks are dropped (counted); nothing more runs; nothing
  // more is sent but the Drained report; every rank keeps receiving (and
  // dropping) until all have drained, so no send is left waiting for a
  // receiver that has gone.
  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.counters.cancelled += this.placed.drain().length + this.stealable.drain().length;
    this.transport.close();
  }

  /** This rank, for a deadlock probe. */
  quietReport(): QuietReport {
    const c = this.counters;
    return {
      rank: this.rank,
      host: this.host,
      signature: c.spawned + c.executed + c.callsSent + c.callsReceived + c.resultsSent + c.resultsReceived + c.refMessagesSent + c.refMessagesReceived,
      queued: this.placed.length + this.stealable.length,
      unsent: this.transport.queued,
      external: externalResources(this.baseline, this.progress.ownHandles()),
      suspended: [...this.suspended.values()].slice(0, 20),
      waiting: this.futures.list(),
    };
  }

  /**
   * Rank 0, while main runs: a probe round every second (or four per window); when every rank has
   * been quiet, with the same counters, for TASKLOAF_DEADLOCK_SECONDS, the
   * job ends with a report instead of hanging.
   */
  watchForDeadlock(): void {
    const seconds = deadlockSeconds();
    if (seconds === 0 || this.rank !== 0) return;
    let round = 0;
    let replies: QuietReport[] = [];
    let previous: Map<number, number> | null = null;
    let quietSince = 0;
    this.onProbeReply = (r, n) => {
      if (n === round) replies.push(r);
    };
    const tick = () => {
      const now = Date.now();
      if (replies.length === this.size && replies.every(quiet)) {
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
      replies = [this.quietReport()];
      for (let r = 1; r < this.size; r++) this.transport.send(r, Kind.Probe, 0, round, 0, '');
      this.transport.flushAll();
      this.progress.wake();
    };
    // A round a second, or four per window when the window is shorter.
    this.probeTimer = setInterval(tick, Math.max(100, Math.min(1000, (seconds * 1000) / 4)));
    this.probeTimer.unref();
  }

  stopWatchingForDeadlock(): void {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    this.onProbeReply = null;
  }

  /** Serves tasks until rank 0 says the job is over. */
  served(): Promise<void> {
    return new Promise((resolve) => {
      this.onExit = resolve;
      this.progress.start();
    });
  }

  /** Rank 0: stops every rank, waits until every message in flight has arrived, then lets all exit. */
  async shutdownAll(): Promise<void> {
    for (let r = 0; r < this.size; r++) if (r !== this.rank) this.transport.send(r, Kind.Shutdown, this.rank, 0, 0, '');
    this.transport.flushAll();
    this.stop();
    const t = this.transport;
    await t.until(() => this.drained === this.size - 1 && t.pendingSends === 0 && t.queued === 0, 60_000);
    for (let r = 0; r < this.size; r++) if (r !== this.rank) t.send(r, Kind.Exit, this.rank, 0, 0, '');
    t.flushAll();
  }

  /** Sends what is left and stops the engine. */
  async finish(): Promise<void> {
    this.progress.stop();
    await this.transport.end();
  }
}

function stealSetting(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.TASKLOAF_STEAL ?? 'on';
  if (v !== 'on' && v !== 'off') throw new InvalidArgumentError('ERR_INVALID_ARG_VALUE', `TASKLOAF_STEAL must be 'on' or 'off', got '${v}'`);
  return v === 'on';
}

let current: Runtime | undefined;

/** This rank's runtime (started on first use). */
export function runtime(): Runtime {
  current ??= new Runtime();
  return current;
}

export function runtimeStarted(): Runtime | undefined {
  return current;
}

