// Views of blocks other ranks lent to this one: one alias ArrayBuffer per
// block, however often the block is referenced, so referencing a 64 MiB
// block again costs no new external memory (which V8 answers with garbage
// collections). Each reference is still a loan: when the alias is collected,
// every lender gets one release per reference it made.
import type { BlockName } from '../../arena/arena.js';
import { blockKey } from '../../arena/allocator.js';
import { aliasBlock } from './homes.js';

interface Entry {
  view: WeakRef<ArrayBuffer>;
  length: number;
  /** References per lender since the alias was made. */
  loans: Map<number, number>;
}

export class LentViews {
  private readonly entries = new Map<string, Entry>();

  /** `release(lender, block)` runs once per reference when no view of the block is left. */
  constructor(private readonly release: (lender: number, block: BlockName) => void) {}

  /** The alias of `bytes` (the whole block), counting one more loan from `lender`. */
  view(block: BlockName, bytes: () => Uint8Array, lender: number): ArrayBuffer {
    const key = `${block.owner}/${blockKey(block.segment, block.offset)}`;
    const e = this.entries.get(key);
    const alive = e && e.length === block.length ? e.view.deref() : undefined;
    if (alive) {
      e!.loans.set(lender, (e!.loans.get(lender) ?? 0) + 1);
      return alive;
    }
    const entry: Entry = { view: undefined as unknown as WeakRef<ArrayBuffer>, length: block.length, loans: new Map([[lender, 1]]) };
    const ab = aliasBlock(
      bytes(),
      block,
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        for (const [l, n] of entry.loans) for (let i = 0; i < n; i++) this.release(l, block);
      },
      0, // the owner's memory, counted where it lives
      true,
    );
    entry.view = new WeakRef(ab);
    this.entries.set(key, entry);
    return ab;
  }

  /** Blocks currently viewed. */
  get size(): number {
    return this.entries.size;
  }
}
