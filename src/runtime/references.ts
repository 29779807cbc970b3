// The reference counter, both sides of it. Owner: the values put on this rank
// and the total weight handed out for each; at zero no rank holds a Ref and
// the value goes. Holder: Refs waiting for more weight from their owner.
// (refs.ts holds the Ref itself and the weighting rules.)
import { INITIAL_WEIGHT, Ref, RefError, type RefHost, type WeightBox } from './refs.js';
import { Kind } from './messages.js';
import { REF_GET, type FutureResolver } from './resolver.js';
import type { RankContext } from './context.js';
import type { TaskExecution } from './execution.js';

export class ReferenceCounter {
  private readonly store = new Map<number, { value: unknown; total: number }>();
  private nextId = 1;
  private readonly refilling = new Map<string, WeightBox[]>();
  /** What a Ref of this rank asks of the runtime (installed with setRefHost). */
  readonly host: RefHost;

  constructor(
    private readonly ctx: RankContext,
    private readonly resolver: FutureResolver,
    private readonly execution: TaskExecution,
    /** Moves a value where peers of this node read it in place. */
    private readonly keep: <T>(value: T) => T,
  ) {
    const freed = (id: number) => new RefError('ERR_REF_FREED', `Ref ${ctx.rank}:${id} has been freed`);
    this.host = {
      rank: ctx.rank,
      local: (id) => {
        const e = this.store.get(id);
        if (!e) throw freed(id);
        return e.value;
      },
      fetch: (owner, id) => {
        const { id: future, promise } = this.resolver.futures.create(REF_GET);
        ctx.out.send(owner, Kind.Fetch, ctx.rank, future, id, '');
        ctx.wake();
        return promise;
      },
      giveBack: (owner, id, weight) => {
        if (owner === ctx.rank) return this.unweigh(id, weight);
        if (ctx.stopped) return;
        ctx.out.send(owner, Kind.RefRelease, ctx.rank, weight, id, '');
        ctx.counters.refMessagesSent++;
        ctx.wake();
      },
      mint: (id, weight) => {
        const e = this.store.get(id);
        if (!e) throw freed(id);
        e.total += weight;
      },
      refill: (owner, id, box) => {
        const k = `${owner}/${id}`;
        const waiting = this.refilling.get(k);
        if (waiting) waiting.push(box);
        else this.refilling.set(k, [box]);
        ctx.out.send(owner, Kind.RefRefill, ctx.rank, 0, id, '');
        ctx.counters.refMessagesSent++;
      },
    };
  }

  /** put(value): keeps `value` here and returns the first Ref to it. */
  put<T>(value: T): Ref<T> {
    const id = this.nextId++;
    this.store.set(id, { value: this.keep(value), total: INITIAL_WEIGHT });
    this.ctx.counters.refsPut++;
    return new Ref<T>(this.ctx.rank, id, INITIAL_WEIGHT);
  }

  /** Values put here that some rank still holds a Ref to. */
  get live(): number {
    return this.store.size;
  }

  /** Owner: rank `from` (future `future`) wants the value of Ref `id`. */
  onFetch(from: number, future: number, id: number): void {
    if (this.ctx.stopped) return;
    const job = { name: REF_GET, args: [], replyTo: from, future };
    const e = this.store.get(id);
    if (e) this.execution.succeed(job, e.value);
    else this.execution.fail(job, new RefError('ERR_REF_FREED', `Ref ${this.ctx.rank}:${id} has been freed`));
  }

  /** Owner: `weight` of Ref `id` came back. */
  onRelease(id: number, weight: number): void {
    this.ctx.counters.refMessagesReceived++;
    this.unweigh(id, weight);
  }

  /** Owner: rank `from` needs more weight for Ref `id`; counted before it is handed out. */
  onRefill(from: number, id: number): void {
    const ctx = this.ctx;
    ctx.counters.refMessagesReceived++;
    const e = this.store.get(id);
    if (!e || ctx.stopped) return;
    e.total += INITIAL_WEIGHT;
    ctx.out.send(from, Kind.RefGrant, ctx.rank, INITIAL_WEIGHT, id, '');
    ctx.counters.refMessagesSent++;
  }

  /** Holder: `weight` more for Ref (owner, id), to the first Ref waiting for it. */
  onGrant(owner: number, id: number, weight: number): void {
    const ctx = this.ctx;
    ctx.counters.refMessagesReceived++;
    const k = `${owner}/${id}`;
    const waiting = this.refilling.get(k);
    const box = waiting?.shift();
    if (waiting && waiting.length === 0) this.refilling.delete(k);
    if (!box || box.released) {
      // Its Ref is gone meanwhile: the weight goes straight back.
      ctx.out.send(owner, Kind.RefRelease, ctx.rank, weight, id, '');
      ctx.counters.refMessagesSent++;
      return;
    }
    box.weight += weight;
    box.refilling = false;
  }

  // Weight came back; at zero no rank holds a Ref: the value goes.
  private unweigh(id: number, weight: number): void {
    const e = this.store.get(id);
    if (!e) return;
    e.total -= weight;
    if (e.total <= 0) {
      this.store.delete(id);
      this.ctx.counters.refsFreed++;
    }
  }
}
