// The future resolver: promises this rank handed out for tasks, by id, until
// their result or failure arrives (from this rank or any other).
export interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  task: string;
  /** The rank the task was sent to with .on(rank) (undefined: anywhere). */
  target?: number;
  /** The deadline of a `.timeout(ms)` call. */
  timer?: NodeJS.Timeout;
}

export class Futures {
  private readonly pending = new Map<number, Pending>();
  private next = 1;

  /** A new future; with `timeout`, it rejects with `timeout.error()` after `timeout.ms` unless settled first. */
  create(task: string, timeout?: { ms: number; error: () => Error }, target?: number): { id: number; promise: Promise<unknown> } {
    const id = this.next++;
    let p!: Pending;
    const promise = new Promise<unknown>((resolve, reject) => {
      // One shape for every future: the map's entries stay monomorphic.
      p = { resolve, reject, task, target, timer: undefined };
    });
    this.pending.set(id, p);
    if (timeout) {
      // A result after the deadline finds no future and is dropped as stray.
      p.timer = setTimeout(() => this.take(id)?.reject(timeout.error()), timeout.ms);
    }
    return { id, promise };
  }

  /** Takes future `id` out (undefined if unknown: a duplicate or stray reply). */
  take(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (p) {
      this.pending.delete(id);
      if (p.timer) clearTimeout(p.timer);
    }
    return p;
  }

  get size(): number {
    return this.pending.size;
  }

  /** What this rank waits for: up to `max` pending futures. */
  list(max = 20): { id: number; task: string; target?: number }[] {
    const out: { id: number; task: string; target?: number }[] = [];
    for (const [id, p] of this.pending) {
      if (out.length >= max) break;
      out.push(p.target === undefined ? { id, task: p.task } : { id, task: p.task, target: p.target });
    }
    return out;
  }
}
