// Payload placement: how each out-of-band payload travels, and where it
// lands. Payloads travel the cheapest way there is:
//
//   same node   the bytes are (or are copied once into) an arena block; only
//               a block reference travels; the receiver views the block, and
//               a release row goes back when its last view is collected.
//   other node  small payloads are copied into the frame; large pieces
//               follow it as messages of their own, sent from where they lie
//               and received into their position in the receiver's arena,
//               8-aligned, where the receiver views them.
import { totalmem } from 'node:os';
import { addon, type NativeComm } from '../../native/addon.js';
import type { Arena, BlockName } from '../../arena/arena.js';
import type { PeerMemory } from '../../arena/peers.js';
import { ArenaFullError, MalformedError } from '../../errors.js';
import { blockKey } from '../../arena/allocator.js';
import type { Placement } from '../frame/writer.js';
import { SMALL_FRAME } from '../frame/layout.js';
import type { Row } from '../frame/batch.js';
import { readPieces } from '../memory/pieces.js';
import { encodeRef, type BlockRef } from '../memory/blockref.js';
import { aliasBlock, homeOf, setStream, streamOf } from '../memory/homes.js';
import { LentViews } from '../memory/lent-views.js';
import { arriving } from '../memory/arriving.js';
import { arrowKind, decodeArrow, encodeArrow } from '../values/arrow.js';
import type { Payload } from '../values/codec.js';
import type { TransportStats } from './protocol.js';

/** Received payloads that may wait for a garbage collection unseen by V8 (at most a quarter of the arena). */
const RECEIVE_SLACK = 256 * 2 ** 20;
/** Received blocks from this size on may wait in the slack. */
const SLACK_BLOCK = 2 ** 20;

export interface PlacementOptions {
  rank: number;
  size: number;
  /** The transport's communicator: pieces that follow a frame are received from it. */
  comm: NativeComm;
  arena: Arena;
  peers: PeerMemory;
  sameNode: (rank: number) => boolean;
  stats: TransportStats;
  /** Frames (and payloads) at least this long are received into the arena. */
  arenaReceiveBytes: number;
  /** Sends `lender` a release of `block`: one reference to it is no longer viewed here. */
  release: (lender: number, block: BlockName) => void;
}

interface Borrowed {
  view: ArrayBuffer;
  count: number;
}

/** No payload can be larger than this node's memory: an announcement of more is refused unallocated. */
export const MEMORY = totalmem();

/** A piece's message, matched (MPI_Improbe) and not yet received. */
export interface MatchedPiece {
  id: number;
  bytes: number;
}

export class PayloadPlacement {
  /** The pieces of the frame being opened, matched by the receiver: receivePieces takes them in order. */
  matchedPieces: MatchedPiece[] = [];
  // Blocks of other ranks this rank passed on by reference: kept viewed until given back.
  private readonly borrowed = new Map<string, Borrowed>();
  private readonly receiveSlack: number;
  /** Bytes of received blocks not yet given back to the arena. */
  private receivedOut = 0;
  private readonly lentViews: LentViews;
  private readonly rank: number;
  private readonly size: number;

  constructor(private readonly opts: PlacementOptions) {
    this.rank = opts.rank;
    this.size = opts.size;
    this.receiveSlack = Math.min(RECEIVE_SLACK, opts.arena.limitBytes / 4);
    this.lentViews = new LentViews(opts.release);
  }

  /** How one payload will travel to `dest`. */
  placementFor(dest: number, payload: Payload): Placement {
    const near = this.opts.sameNode(dest);
    if (payload instanceof Uint8Array) {
      if (near) {
        const home = homeOf(payload);
        if (home) return this.reference(dest, home.block, home.start, payload.byteLength, payload.buffer as ArrayBuffer);
        const copied = this.copyIn([payload], payload.byteLength);
        if (copied) return this.reference(dest, copied.block, 0, payload.byteLength, copied.view);
      }
      return this.bytes([payload], payload.byteLength);
    }
    const stream = streamOf(payload.arrow);
    if (stream) {
      const home = near ? homeOf(stream) : undefined;
      if (home) return this.reference(dest, home.block, home.start, stream.byteLength, stream.buffer as ArrayBuffer);
      if (!near) return this.bytes([stream], stream.byteLength);
    }
    const { chunks, byteLength } = encodeArrow(payload.arrow, payload.kind);
    if (near) {
      const copied = this.copyIn(chunks, byteLength);
      if (copied) {
        // The arena copy stands for the value from now on: sent again, it goes by reference.
        setStream(payload.arrow, new Uint8Array(copied.view));
        return this.reference(dest, copied.block, 0, byteLength, copied.view);
      }
    }
    return this.bytes(chunks, byteLength);
  }

  private bytes(chunks: Uint8Array[], length: number): Placement {
    this.opts.stats.byBytes++;
    this.opts.stats.bytesSent += length;
    return { chunks, length };
  }

  /**
   * An Arrow value (Table, RecordBatch, Vector, Data) kept in this rank's
   * arena: copied in once, read back in place (its columns view the block),
   * and marked so that sends to this node go by reference. The value itself
   * when it already lies in an arena, is not Arrow, or the arena is full.
   */
  inArena<T>(value: T): T {
    if (value === null || typeof value !== 'object') return value;
    const kind = arrowKind(value);
    if (kind === -1) return value;
    const stream = streamOf(value);
    if (stream && homeOf(stream)) return value;
    const { chunks, byteLength } = encodeArrow(value, kind);
    const copied = this.copyIn(chunks, byteLength);
    if (!copied) return value;
    const bytes = new Uint8Array(copied.view);
    const kept = decodeArrow(bytes, kind);
    setStream(kept, bytes);
    return kept as T;
  }

  // One copy into a fresh arena block, viewed through an alias that frees it
  // when collected; null when the arena is full (the bytes then travel by MPI).
  private copyIn(chunks: Uint8Array[], length: number): { block: BlockName; view: ArrayBuffer } | null {
    let block;
    try {
      block = this.opts.arena.alloc(Math.max(1, length));
    } catch (e) {
      if (e instanceof ArenaFullError) return null;
      throw e;
    }
    let at = 0;
    for (const c of chunks) {
      block.bytes.set(c, at);
      at += c.byteLength;
    }
    this.opts.stats.bytesCopied += length;
    const name: BlockName = { owner: block.owner, segment: block.segment, offset: block.offset, length: block.length };
    const arena = this.opts.arena;
    // Counted in full either way (a heap value moved into the arena); light only when large, like received blocks.
    const view = aliasBlock(block.bytes, name, () => arena.free(name), block.length, false, block.length >= SLACK_BLOCK);
    return { block: name, view };
  }

  // A block reference for `dest`; the block stays while `dest` views it.
  private reference(dest: number, block: BlockName, start: number, length: number, view: ArrayBuffer): Placement {
    if (block.owner === this.rank) {
      this.opts.arena.lend(block);
    } else {
      const k = `${block.owner}/${blockKey(block.segment, block.offset)}`;
      const b = this.borrowed.get(k);
      if (b) b.count++;
      else this.borrowed.set(k, { view, count: 1 });
    }
    this.opts.stats.byReference++;
    return { ref: encodeRef({ block, start, length }) };
  }

  /** Where a received frame (or a payload put together from pieces) of `bytes` bytes goes. */
  receiveBuffer(bytes: number, payload: boolean): Uint8Array {
    if (payload || bytes >= this.opts.arenaReceiveBytes) {
      try {
        const arena = this.opts.arena;
        const block = arena.alloc(bytes);
        const name: BlockName = { owner: block.owner, segment: block.segment, offset: block.offset, length: block.length };
        // Frames and small payloads keep Node-API aliases, which V8 counts
        // as it counts any ArrayBuffer: the slack is for large payloads only.
        const slack = block.length >= SLACK_BLOCK && addon().lightAliases;
        const counted = slack ? this.intoSlack(block.length) : block.length;
        const back = slack
          ? () => {
              this.receivedOut -= name.length;
              arena.free(name);
            }
          : () => arena.free(name);
        return new Uint8Array(aliasBlock(block.bytes, name, back, counted, true, slack));
      } catch (e) {
        if (!(e instanceof ArenaFullError)) throw e;
      }
    }
    // Small frames in Node's buffer pool (8-aligned slices): a fresh ArrayBuffer needs a backing store of its own.
    return bytes < SMALL_FRAME ? Buffer.allocUnsafe(bytes) : new Uint8Array(bytes);
  }

  // A received block goes back to the arena when the garbage collector finds
  // no view of it left. V8 collects garbage whenever the external memory it
  // is told of grows by a few MiB: told of every received payload, a rank
  // receiving 64 MiB tables collects (a few ms) once per table, and the block
  // comes back only then. With light aliases V8 is told of received blocks of
  // 1 MiB and more only past a slack (256 MiB, at most a quarter of the
  // arena) of them out: one collection per slack's worth, and the arena
  // reuses the blocks. Returns the bytes V8 is told of for this one.
  private intoSlack(length: number): number {
    this.receivedOut += length;
    return this.receivedOut > this.receiveSlack ? length : 0;
  }

  /** Views a referenced block of this node in place (for the frame reader). */
  readonly resolveRef = (ref: BlockRef, lender: number): Uint8Array => this.resolve(ref, lender);
  /** Puts together a payload whose pieces follow its frame (for the frame reader). */
  readonly piecesOf = (section: Uint8Array, source: number): Uint8Array => this.receivePieces(section, source);

  // Views a block of this node in place; gives it back to `lender` when no view is left.
  private resolve(ref: BlockRef, lender: number): Uint8Array {
    const { owner, segment, offset, length } = ref.block;
    if (owner >= this.size) throw new MalformedError(`block of rank ${owner}, not in a world of ${this.size}`);
    if (!this.opts.sameNode(owner)) throw new MalformedError(`block of rank ${owner}, which is not on this node`);
    let seg: ArrayBuffer | undefined;
    try {
      seg = owner === this.rank ? this.opts.arena.segments[segment] : this.opts.peers.segment(owner, segment);
    } catch (e) {
      throw new MalformedError(`segment ${segment} of rank ${owner} cannot be mapped: ${(e as Error).message}`);
    }
    if (!seg || offset + length > seg.byteLength) throw new MalformedError(`block ${offset}+${length} outside segment ${segment} of rank ${owner}`);
    const view = this.lentViews.view(ref.block, () => new Uint8Array(seg, offset, length), lender);
    return new Uint8Array(view, ref.start, ref.length);
  }

  // Puts a payload together in this rank's arena: the frame's inline bytes,
  // and each following piece received straight into its position. The pieces
  // are still arriving when this returns: the frame's rows and the payload's
  // Arrow structure are built meanwhile (after a large receive the caches are
  // cold, and that work took longer than while the bytes stream in).
  private receivePieces(section: Uint8Array, source: number): Uint8Array {
    const native = addon();
    const { pieces, inline, total } = readPieces(section, native.constants.MAX_MESSAGE_BYTES);
    // The announcement is the sender's word: more than this node's memory could
    // never be received. (Past the arena limit a payload goes to the heap.)
    if (total > MEMORY) throw new MalformedError(`pieces announce ${total} bytes, more than this node's memory (${MEMORY} bytes)`);
    const target = this.receiveBuffer(total, true);
    let at = 0;
    let from = 0;
    const requests: number[] = [];
    const regions: Uint8Array[] = [];
    arriving(() => {
      for (const r of requests) native.wait(r);
    }, regions);
    for (const p of pieces) {
      const dest = target.subarray(at, at + p.length);
      if (!p.follows) {
        dest.set(inline.subarray(from, from + p.length));
        from += p.length;
      } else {
        // Matched by the receiver before the frame was opened, in order.
        const m = this.matchedPieces.shift();
        if (!m) throw new MalformedError(`a piece of ${p.length} bytes did not follow`);
        const { id, bytes } = m;
        if (bytes !== p.length) {
          native.mrecv(id, new Uint8Array(bytes));
          throw new MalformedError(`a piece of ${bytes} bytes arrived where ${p.length} were announced`);
        }
        requests.push(native.imrecv(id, dest));
        regions.push(dest);
      }
      at += p.length;
    }
    return target;
  }

  /** A release row arrived: one reference this rank made to a block is no longer viewed. Error if it made none. */
  released(row: Row): void {
    const block: BlockName = { owner: row.rank, segment: row.id, offset: row.aux, length: 0 };
    if (block.owner === this.rank) {
      this.opts.arena.returned(block);
      return;
    }
    const k = `${block.owner}/${blockKey(block.segment, block.offset)}`;
    const b = this.borrowed.get(k);
    if (!b) throw new MalformedError(`block (owner ${block.owner}, segment ${block.segment}, offset ${block.offset}) was not lent to it`);
    if (--b.count === 0) this.borrowed.delete(k);
  }

  /** Blocks of other ranks this rank still holds for peers it passed them to. */
  get borrowedBlocks(): number {
    return this.borrowed.size;
  }
}
