// Views of other ranks' arenas on this node: a peer maps the owner's segment
// once, read-only, and views blocks in place (a write ends the job with a
// report: src/arena/peer-write.ts).
import { ArenaBlockError } from '../errors.js';
import { addon } from '../native/addon.js';
import { segmentName } from './names.js';
import { armPeerWrites } from './peer-write.js';
import type { BlockName } from './arena.js';

export class PeerMemory {
  private readonly mapped = new Map<string, ArrayBuffer>();

  /** `where` ("rank 1 on node7") heads the report of a write into a peer's memory, and arms task labels for it. */
  constructor(
    readonly job: string,
    readonly run: string,
    where?: string,
  ) {
    if (where !== undefined) armPeerWrites(where);
  }

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
      ab = addon().shmOpen(name, owner);
      this.mapped.set(name, ab);
    }
    return ab;
  }

  get mappedSegments(): number {
    return this.mapped.size;
  }
}
