// The progress engine: MPI has no events, so the runtime polls from the
// Node event loop. Each turn receives what has arrived, runs some tasks and
// sends what they produced; between turns timers, I/O and user callbacks run
// as usual (no blocking wait ever sits on the loop).
//
//   spin   poll every event-loop turn (setImmediate), always: lowest latency,
//          one core busy per rank.
//   yield  poll every turn while there is work, every millisecond when idle.
//   auto   (default) spin while busy and for a short while after the last
//          work (2 ms, 0.2 ms when ranks share cores), then poll every
//          millisecond: microsecond latency in bursts, an idle rank leaves
//          its core to others.
//
// While spinning and finding nothing, a turn keeps looking for up to 50 µs
// before it gives the loop back: a reply then costs microseconds, not an
// event-loop turn (several µs), and timers and I/O still run at least every
// 50 µs. Looking is a probe (has anything arrived, is anything due?), a
// fraction of a whole turn; a turn follows when it finds something. Not when
// ranks share cores: there the peer needs the core.
import { performance } from 'node:perf_hooks';
import { readEnv } from '../env.js';

export type ProgressMode = 'spin' | 'yield' | 'auto';

/** TASKLOAF_PROGRESS, checked. */
export function progressMode(env: NodeJS.ProcessEnv = process.env): ProgressMode {
  return readEnv('TASKLOAF_PROGRESS', env);
}

export class Progress {
  private immediate: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private lastActive = 0;
  private readonly spinMs: number;
  private readonly sliceMs: number;

  /**
   * `turn(probed, now)` does one round of work and says whether there was any
   * (`probed`: `probe()` has just received what had arrived; `now`: the
   * clock just before). `probe(now)`
   * receives what has arrived and says whether a turn is due.
   */
  constructor(
    private readonly turn: (probed: boolean, now: number) => boolean,
    private readonly probe: (now: number) => boolean,
    readonly mode: ProgressMode,
    sharedCores: boolean,
  ) {
    this.spinMs = mode === 'spin' ? Infinity : mode === 'yield' ? 0 : sharedCores ? 0.2 : 2;
    this.sliceMs = mode === 'yield' || sharedCores ? 0 : 0.05;
  }

  /** The engine's own handles now, as process.getActiveResourcesInfo() names them. */
  ownHandles(): Map<string, number> {
    const m = new Map<string, number>();
    if (this.immediate) m.set('Immediate', 1);
    if (this.timer) m.set('Timeout', 1);
    // Node counts a timer or immediate as active until its callback returns.
    if (this.inTick) m.set(this.inTick, (m.get(this.inTick) ?? 0) + 1);
    return m;
  }

  private inTick: 'Timeout' | 'Immediate' | null = null;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.wake();
  }

  stop(): void {
    this.running = false;
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = null;
    this.timer = null;
  }

  /** New work: take a turn as soon as the loop allows. */
  wake(): void {
    if (!this.running || this.immediate) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.immediate = setImmediate(this.tick);
  }

  // The clock is read only where nothing waits on it: after a busy turn the
  // next tick's first reading stands for the turn's end (the turn ran before
  // it), so a reply or a resumed await leaves without a reading in between.
  private activeAtNextTick = false;

  private readonly tick = (): void => {
    // No try/finally: a throw here ends the job (abort-on-error) anyway.
    this.inTick = this.timer ? 'Timeout' : 'Immediate';
    this.immediate = null;
    this.timer = null;
    if (!this.running) {
      this.inTick = null;
      return;
    }
    let now = performance.now();
    if (this.activeAtNextTick) {
      this.activeAtNextTick = false;
      this.lastActive = now;
    }
    let busy = this.turn(false, now);
    if (!busy) {
      now = performance.now();
      if (this.sliceMs > 0 && now - this.lastActive < this.spinMs) {
        const end = now + this.sliceMs;
        while (this.running && now < end) {
          if (this.probe(now)) {
            if ((busy = this.turn(true, now))) break;
          }
          now = performance.now();
        }
      }
    }
    if (busy) this.activeAtNextTick = true;
    this.inTick = null;
    if (!this.running || this.immediate || this.timer) return;
    if (busy || now - this.lastActive < this.spinMs) this.immediate = setImmediate(this.tick);
    else this.timer = setTimeout(this.tick, 1);
  };
}
