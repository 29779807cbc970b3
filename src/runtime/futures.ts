// The future resolver: promises this rank handed out for tasks, by id, until
// their result or failure arrives (from this rank or any other).
export interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  task: string;
}

export class Futures {
  private readonly pending = new Map<number, Pending>();
  private next = 1;

  create(task: string): { id: number; promise: Promise<unknown> } {
    const id = this.next++;
    let p!: Pending;
    const promise = new Promise<unknown>((resolve, reject) => {
      p = { resolve, reject, task };
    });
    this.pending.set(id, p);
    return { id, promise };
  }

  /** Takes future `id` out (undefined if unknown: a duplicate or stray reply). */
  take(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (p) this.pending.delete(id);
    return p;
  }

  get size(): number {
    return this.pending.size;
  }
}
