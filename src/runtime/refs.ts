// The reference counter: put(value) keeps a value on this rank and returns a
// Ref that any rank may hold, pass on and get() from. Counting is weighted:
// the owner records the total weight handed out; a Ref copied into a message
// gives half its weight to the copy, so passing a Ref on needs no message to
// the owner; a holder that drops its Ref (release(), `using`, or garbage
// collection) sends its weight back. The owner frees the value when the
// total comes back to zero — exactly once.
//
// A Ref whose weight runs low asks the owner for more (the owner adds to its
// total before it answers, so the total can never reach zero early).
import { MalformedError, RuntimeStateError, TaskloafError } from '../errors.js';
import { registerExtension } from '../wire/values/codec.js';

/** Weight a new Ref carries. Halving it passes a Ref through 2^48 levels... in practice, refills keep it high. */
export const INITIAL_WEIGHT = 2 ** 48;
/** A holder below this asks the owner for more. */
const REFILL_BELOW = 2 ** 24;

export class RefError extends TaskloafError {}

/** What a Ref needs from the runtime. */
export interface RefHost {
  readonly rank: number;
  /** The value of this rank's Ref `id` (owner side). */
  local(id: number): unknown;
  /** Asks `owner` for the value of its Ref `id`. */
  fetch(owner: number, id: number): Promise<unknown>;
  /** `weight` of Ref (owner, id) is given back. */
  giveBack(owner: number, id: number, weight: number): void;
  /** The owner mints `weight` more for its own Ref `id` (no message). */
  mint(id: number, weight: number): void;
  /** Asks the owner for more weight for (owner, id), delivered to `into`. */
  refill(owner: number, id: number, into: WeightBox): void;
}

/** A Ref's weight, kept apart from the Ref so it can be given back after the Ref is collected. */
export interface WeightBox {
  weight: number;
  refilling: boolean;
  released: boolean;
}

let host: RefHost | undefined;
const collected = new FinalizationRegistry<{ owner: number; id: number; box: WeightBox }>((held) => {
  if (!held.box.released && host) {
    held.box.released = true;
    host.giveBack(held.owner, held.id, held.box.weight);
  }
});

export function setRefHost(h: RefHost | undefined): void {
  host = h;
}

/** A value kept on its owner rank, reachable from any rank. */
export class Ref<T = unknown> {
  readonly owner: number;
  readonly id: number;
  /** @internal */
  readonly box: WeightBox;
  private cached: { value: T } | undefined;

  /** @internal Made by put() and by the wire, not by programs. */
  constructor(owner: number, id: number, weight: number) {
    this.owner = owner;
    this.id = id;
    this.box = { weight, refilling: false, released: false };
    collected.register(this, { owner, id, box: this.box }, this.box);
  }

  /** The value: in place on the owner, fetched once from it elsewhere (on the same node, Arrow data and typed arrays are read in place). */
  get(): Promise<T> {
    if (this.box.released) return Promise.reject(new RefError('ERR_REF_RELEASED', `Ref ${this.owner}:${this.id} was released`));
    if (this.cached) return Promise.resolve(this.cached.value);
    const h = requireHost();
    if (this.owner === h.rank) {
      // A promise either way: a freed value is a rejection, not a throw from get().
      try {
        return Promise.resolve(h.local(this.id) as T);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return h.fetch(this.owner, this.id).then((v) => {
      this.cached = { value: v as T };
      return v as T;
    });
  }

  /** Gives this Ref's weight back now (once); get() fails after. */
  release(): void {
    if (this.box.released) return;
    this.box.released = true;
    collected.unregister(this.box);
    this.cached = undefined;
    host?.giveBack(this.owner, this.id, this.box.weight);
  }

  [Symbol.dispose](): void {
    this.release();
  }

  /** @internal The weight a copy sent elsewhere takes with it. */
  split(): number {
    if (this.box.released) throw new RefError('ERR_REF_RELEASED', `Ref ${this.owner}:${this.id} was released and cannot be sent`);
    const h = requireHost();
    if (this.owner === h.rank) {
      h.mint(this.id, INITIAL_WEIGHT); // the owner makes new weight: no halving at the source
      return INITIAL_WEIGHT;
    }
    const give = Math.floor(this.box.weight / 2);
    if (give < 1) throw new RefError('ERR_REF_WEIGHT', `Ref ${this.owner}:${this.id} has no weight left to share (sent on too often before a refill arrived)`);
    this.box.weight -= give;
    if (this.box.weight < REFILL_BELOW && !this.box.refilling) {
      this.box.refilling = true;
      h.refill(this.owner, this.id, this.box);
    }
    return give;
  }

  /** @internal Takes back a share (the message it was for could not be sent). */
  unsplit(weight: number): void {
    const h = requireHost();
    if (this.owner === h.rank) h.giveBack(this.owner, this.id, weight);
    else this.box.weight += weight;
  }
}

function requireHost(): RefHost {
  if (!host) throw new RuntimeStateError('Refs are used inside run()');
  return host;
}

registerExtension<Ref>({
  cls: Ref,
  write: (r) => [r.owner, r.id, r.split()],
  undo: (r, fields) => r.unsplit(fields[2]!),
  read: (fields) => {
    const [owner, id, weight] = fields;
    if (fields.length !== 3 || !Number.isInteger(owner) || owner! < 0 || !Number.isInteger(id) || !Number.isSafeInteger(weight) || weight! < 1) {
      throw new MalformedError('malformed Ref');
    }
    return new Ref(owner!, id!, weight!);
  },
});

