// Views of other ranks' arenas on this node: a peer maps the owner's segment
// once and views blocks in place. Read-only by convention.
import { ArenaBlockError } from '../errors.js';
import { addon } from '../native/addon.js';
import { segmentName } from './names.js';
import type { BlockName } from './arena.js';

export class PeerMemory {
  private readonly mapped = new Map<string, ArrayBuffer>();

  constructor(
    readonly job: string,
    readonly run: string,
  ) {}

  /** A view of the owner's bytes; no copy is made. */
  view(block: BlockName): Uint8Array {
    const segment = this.segment(block.owner, block.segment);
    if (block.offset < 0 || block.length < 0 || block.offset + block.length > segment.byteLength) {
      throw new ArenaBlockError('ERR_INVALID_BLOCK', `block (owner ${block.owner}, segment ${block.segment}, offset ${block.offset}, length ${block.length}) lies outside the segment`);
    }
    return new Uint8Array(segment, block.offset, block.length);
  }

  /** The whole mapped segment of `owner`. */
  segment(owner: number, segment: number): ArrayBuffer {
    const name = segmentName(this.job, this.run, owner, segment);
    let ab = this.mapped.get(name);
    if (!ab) {
      ab = addon().shmOpen(name);
      this.mapped.set(name, ab);
    }
    return ab;
  }

  get mappedSegments(): number {
    return this.mapped.size;
  }
}
