// Ranks in one process, joined by in-memory links: the runtime's parts run
// against it as they do against the transport (rows queue per destination,
// leave on flushAll, arrive in order on poll), without MPI. Values travel by
// reference: the codec is tested on its own, and over MPI by the rank tests.
import type { Link, Row } from '../../src/runtime/link.js';

export class FakeNetwork {
  readonly links: FakeLink[] = [];
  /** Every row flushed, in order, for assertions. */
  readonly log: { from: number; to: number; row: Row }[] = [];

  constructor(readonly size: number) {}

  /** The connect function for rank `rank` (Runtime's `connect` option). */
  connect(rank: number) {
    return (onRow: (row: Row, source: number) => void): FakeLink => {
      const link = new FakeLink(this, rank, onRow);
      this.links[rank] = link;
      return link;
    };
  }

  /** Rows waiting to be received anywhere. */
  get inFlight(): number {
    return this.links.reduce((n, l) => n + (l?.inbox.length ?? 0), 0);
  }
}

export class FakeLink implements Link {
  closed = false;
  readonly inbox: { row: Row; source: number }[] = [];
  private readonly outbox = new Map<number, Row[]>();
  /** How many times rows left (one flush of one destination counts once, like a frame). */
  frames = 0;

  constructor(
    private readonly net: FakeNetwork,
    readonly rank: number,
    private readonly onRow: (row: Row, source: number) => void,
  ) {}

  get size(): number {
    return this.net.size;
  }

  send(dest: number, kind: number, rank: number, id: number, aux: number, name: string, value?: unknown, hasValue = value !== undefined): void {
    if (!(dest >= 0 && dest < this.net.size)) throw new RangeError(`rank ${dest} is not in a world of ${this.net.size}`);
    const rows = this.outbox.get(dest) ?? [];
    rows.push({ kind, rank, id, aux, name, value, hasValue });
    this.outbox.set(dest, rows);
  }

  flushAll(): void {
    for (const [dest, rows] of this.outbox) {
      if (rows.length === 0) continue;
      this.frames++;
      for (const row of rows) {
        this.net.log.push({ from: this.rank, to: dest, row });
        this.net.links[dest]!.inbox.push({ row, source: this.rank });
      }
    }
    this.outbox.clear();
  }

  poll(_budgetMs = Infinity, stop?: () => boolean): number {
    let n = 0;
    while (this.inbox.length > 0) {
      const { row, source } = this.inbox.shift()!;
      this.onRow(row, source);
      n++;
      if (stop?.()) break;
    }
    return n;
  }

  get pendingSends(): number {
    return 0;
  }

  get queued(): number {
    let n = 0;
    for (const rows of this.outbox.values()) n += rows.length;
    return n;
  }

  inArena<T>(value: T): T {
    return value;
  }

  async until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      this.flushAll();
      this.poll();
      if (done()) return;
      if (Date.now() > deadline) throw new Error(`rank ${this.rank}: timed out after ${timeoutMs} ms`);
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  close(): void {
    this.flushAll();
    this.closed = true;
  }

  async end(): Promise<void> {
    this.close();
  }
}
