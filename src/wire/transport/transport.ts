// One file though over 400 lines: batching, frame send and receive, and
// payload routing share the per-peer batches, slabs and request bookkeeping.
// The transport: rows go into a batch per destination and leave as one frame
// once the code that queued them yields (a microtask: a synchronous burst
// shares one frame, a lone message waits for no event-loop turn), sooner when
// the batch is full or holds a large payload; frames arrive through improbe/mrecv, are checked, and
// their rows handed up in order. Payloads travel the cheapest way there is:
//
//   same node   the bytes are (or are copied once into) an arena block; only
//               a block reference travels; the receiver views the block, and
//               a release row goes back when its last view is collected.
//   other node  small payloads are copied into the frame; large pieces
//               follow it as messages of their own, sent from where they lie
//               and received into their place in the receiver's arena,
//               8-aligned, where the receiver views them.
//
// Frames from one rank to another are numbered; they arrive in order (one
// tag on a communicator of the transport's own) and the numbering is checked.
import { performance } from 'node:perf_hooks';
import { addon, type NativeComm } from '../../native/addon.js';
import { isend } from '../../native/mpi.js';
import type { Arena, BlockName } from '../../arena/arena.js';
import type { PeerMemory } from '../../arena/peers.js';
import { ArenaFullError, WireError } from '../../errors.js';
import { blockKey } from '../../arena/allocator.js';
import { BatchBuilder, type Row } from '../frame/batch.js';
import { assemble, assembleRows, type Placement as Placed } from '../frame/writer.js';
import { DETACH_BYTES, readPieces } from '../memory/pieces.js';
import { openFrameAt } from '../frame/reader.js';
import { encodeRef, type BlockRef } from '../memory/blockref.js';
import { aliasBlock, homeOf, setStream, streamOf } from '../memory/homes.js';
import { LentViews } from '../memory/lent-views.js';
import { arrived, arriving } from '../memory/arriving.js';
import { arrowKind, decodeArrow, encodeArrow } from '../values/arrow.js';
import { FrameKind, type FrameHeader } from '../frame/layout.js';
import type { Payload } from '../values/codec.js';

/** Row kind the transport keeps for itself: "I no longer view your block". */
export const RELEASE = 255;

export interface TransportOptions {
  /** Duplicated: the transport's traffic never meets the program's. */
  comm: NativeComm;
  arena: Arena;
  peers: PeerMemory;
  /** Whether `rank` shares this rank's node (its arena can be mapped). */
  sameNode: (rank: number) => boolean;
  onRow: (row: Row, source: number) => void;
  /** A malformed frame or release; the transport goes on. Default: printed to stderr. */
  onError?: (e: WireError) => void;
  /** Flush a batch at this many rows (default 1024) or bytes (default 256 KiB). */
  maxRows?: number;
  maxBytes?: number;
  /** Frames at least this long are received into the arena (default 16 KiB). */
  arenaReceiveBytes?: number;
  /** How long the pieces announced by a frame may take to arrive before it is rejected (default 10 s). */
  pieceWaitMs?: number;
}

export interface TransportStats {
  framesSent: number;
  framesReceived: number;
  rowsSent: number;
  rowsReceived: number;
  /** Payload bytes copied into the arena at the sender (heap values to a peer of this node). */
  bytesCopied: number;
  /** Payloads sent as block references, and as bytes. */
  byReference: number;
  byBytes: number;
  /** Payload bytes sent as bytes. */
  bytesSent: number;
  malformed: number;
}

// Frames carrying payload bytes use their own tag so the receiver knows,
// before receiving, to put them in its arena. Both are probed with ANY_TAG,
// which keeps the order of one sender's frames. Pieces that follow a frame
// have a tag of their own, received while that frame is opened.
const TAG_PLAIN = 1;
const TAG_PAYLOAD = 2;
export const TAG_PIECE = 3;
const { ANY_SOURCE, ANY_TAG } = addon().constants;
const RESOLVED = Promise.resolve();
// Every send of this process has completed (frames of a send slab may be written again).
const sendsDone = (): boolean => addon().requestCount[0] === 0;
/** Received payloads that may wait for a garbage collection unseen by V8 (at most a quarter of the arena). */
const RECEIVE_SLACK = 256 * 2 ** 20;
/** Received blocks from this size on may wait in the slack. */
const SLACK_BLOCK = 2 ** 20;
// Small plain frames are received by the probe itself, one after another
// into a slab shared by every transport of the process (the addon has one):
// no second call and no buffer per frame. A view of a frame keeps its slab,
// as a pooled Buffer keeps its pool, so the slab is kept small.
const INLINE_BYTES = 4095;
const SLAB_BYTES = 32 * 1024;
let slab: Uint8Array | null = null;
// The slab's one view: its frames are opened where they lie, with no view of their own.
let slabView: DataView | null = null;

// A new slab for the next frames (not zero-filled: every byte read is received first).
function renewSlab(): void {
  // A plain Uint8Array: its subarray() is the builtin, not Buffer's.
  slab = new Uint8Array(Buffer.allocUnsafeSlow(SLAB_BYTES).buffer);
  slabView = new DataView(slab.buffer);
  addon().receiveSlab(slab, TAG_PLAIN, INLINE_BYTES);
}

class Peer {
  readonly builder = new BatchBuilder();
  /** The header of the next frame to the peer (one object, renumbered per frame). */
  readonly header: FrameHeader;
  placed: Placed[] = [];
  gathered = 0;
  sequence = 0;
  expected = 0;
  dirty = false;

  constructor(sender: number) {
    this.header = { kind: FrameKind.Tasks, flags: 0, sender, sequence: 0 };
  }
}

interface Borrowed {
  view: ArrayBuffer;
  count: number;
}

export class Transport {
  readonly rank: number;
  readonly stats: TransportStats = {
    framesSent: 0, framesReceived: 0, rowsSent: 0, rowsReceived: 0, bytesCopied: 0, byReference: 0, byBytes: 0, bytesSent: 0, malformed: 0,
  };
  /** The transport's own communicator (a duplicate of the one it was given). */
  readonly comm: NativeComm;
  private readonly peersState: Peer[];
  private readonly dirty: number[] = [];
  private flushScheduled = false;
  /**
   * Set by a caller that sends what is queued itself (the runtime, during a
   * turn): rows queued meanwhile wait for its flushAll(), with no flush
   * scheduled for them.
   */
  holding = false;
  // Blocks of other ranks this rank passed on by reference: kept viewed until given back.
  private readonly borrowed = new Map<string, Borrowed>();
  private readonly done = new Uint32Array(256);
  private readonly maxRows: number;
  private readonly maxBytes: number;
  private readonly arenaReceiveBytes: number;
  private readonly receiveSlack: number;
  private readonly inline: boolean;
  /** Bytes of received blocks not yet given back to the arena. */
  private receivedOut = 0;
  private closed = false;
  private readonly lentViews = new LentViews((lender, block) => this.release(lender, block));

  constructor(private readonly opts: TransportOptions) {
    this.comm = opts.comm.dup();
    this.rank = this.comm.rank;
    this.peersState = Array.from({ length: this.comm.size }, () => new Peer(this.rank));
    this.maxRows = opts.maxRows ?? 1024;
    this.maxBytes = opts.maxBytes ?? 256 * 1024;
    this.arenaReceiveBytes = opts.arenaReceiveBytes ?? 16 * 1024;
    this.receiveSlack = Math.min(RECEIVE_SLACK, opts.arena.limitBytes / 4);
    // Frames of arenaReceiveBytes and more go to the arena: below INLINE_BYTES, no frame is inlined.
    this.inline = this.arenaReceiveBytes > INLINE_BYTES;
    if (this.inline && slab === null) renewSlab();
  }

  get size(): number {
    return this.peersState.length;
  }

  /**
   * Queues one row for `dest`. Its value is encoded (and, for a peer of this
   * node, copied into the arena) now: SerializationError naming `path` if it
   * cannot travel, and nothing is queued.
   */
  send(dest: number, kind: number, rank: number, id: number, aux: number, name: string, value?: unknown, hasValue = value !== undefined, path = 'value'): void {
    const p = this.peersState[dest];
    if (!p) throw new RangeError(`rank ${dest} is not in a world of ${this.peersState.length}`);
    const b = p.builder;
    const before = b.payloads.length;
    b.add(kind, rank, id, aux, name, value, hasValue, path);
    for (let i = before; i < b.payloads.length; i++) {
      const placed = this.place(dest, b.payloads[i]!);
      if ('chunks' in placed && placed.length >= DETACH_BYTES) p.gathered += placed.length;
      p.placed.push(placed);
    }
    if (b.count >= this.maxRows || b.bytesHint >= this.maxBytes || p.gathered >= this.maxBytes) {
      this.flushPeer(dest);
      return;
    }
    if (!p.dirty) {
      p.dirty = true;
      this.dirty.push(dest);
      if (!this.flushScheduled && !this.holding) {
        this.flushScheduled = true;
        // Once the code that queued it yields: rows queued in one synchronous burst
        // share a frame, and a lone call leaves without waiting for an event-loop turn.
        // (A resolved promise, not queueMicrotask: that builds an AsyncResource
        // per call, a good part of a lone call's cost.)
        RESOLVED.then(this.flushAll);
      }
    }
  }

  /** Sends every queued batch now. */
  readonly flushAll = (): void => {
    this.flushScheduled = false;
    if (this.dirty.length === 0) return;
    for (const d of this.dirty) this.flushPeer(d);
    this.dirty.length = 0;
  };

  /** Sends (of any kind, by this process) not yet completed. */
  get pendingSends(): number {
    return addon().pendingRequests();
  }

  /** Rows queued and not yet sent. */
  get queued(): number {
    let n = 0;
    for (const p of this.peersState) n += p.builder.count;
    return n;
  }

  private flushPeer(dest: number): void {
    const p = this.peersState[dest]!;
    p.dirty = false;
    const b = p.builder;
    if (b.count === 0) return;
    const h = p.header;
    h.sequence = p.sequence++;
    this.stats.framesSent++;
    this.stats.rowsSent += b.count;
    if (p.placed.length === 0) {
      // The common frame: rows only.
      const frame = assembleRows(h, b, sendsDone);
      b.clear();
      isend(this.comm, dest, TAG_PLAIN, frame);
      return;
    }
    const tag = p.placed.some((x) => 'chunks' in x) ? TAG_PAYLOAD : TAG_PLAIN;
    const { frame, follow } = assemble(h, b, p.placed);
    b.clear();
    p.placed = [];
    p.gathered = 0;
    isend(this.comm, dest, tag, frame);
    for (const piece of follow) isend(this.comm, dest, TAG_PIECE, piece);
  }

  // How one payload will travel to `dest`.
  private place(dest: number, payload: Payload): Placed {
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

  private bytes(chunks: Uint8Array[], length: number): Placed {
    this.stats.byBytes++;
    this.stats.bytesSent += length;
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
    this.stats.bytesCopied += length;
    const name: BlockName = { owner: block.owner, segment: block.segment, offset: block.offset, length: block.length };
    const arena = this.opts.arena;
    // Counted in full either way (a heap value moved into the arena); light only when large, like received blocks.
    const view = aliasBlock(block.bytes, name, () => arena.free(name), block.length, false, block.length >= SLACK_BLOCK);
    return { block: name, view };
  }

  // A block reference for `dest`; the block stays while `dest` views it.
  private reference(dest: number, block: BlockName, start: number, length: number, view: ArrayBuffer): Placed {
    if (block.owner === this.rank) {
      this.opts.arena.lend(block);
    } else {
      const k = `${block.owner}/${blockKey(block.segment, block.offset)}`;
      const b = this.borrowed.get(k);
      if (b) b.count++;
      else this.borrowed.set(k, { view, count: 1 });
    }
    this.stats.byReference++;
    return { ref: encodeRef({ block, start, length }) };
  }

  /**
   * Receives and hands up what has arrived (for up to `budgetMs` counted
   * from the 8th frame, or until `stop()` says so after a frame); completes
   * finished sends. Returns frames received.
   */
  poll(budgetMs = Infinity, stop?: () => boolean): number {
    const native = addon();
    if (native.requestCount[0]! > 0) while (native.testsome(this.done) === this.done.length);
    let frames = 0;
    // A flood of frames must not hold the event loop: the rest waits for the
    // next poll. The clock is read every 8 frames, from the 8th on: a poll
    // that brings one reply reads none.
    let deadline = -1;
    for (;;) {
      if (frames > 0 && (frames & 7) === 0) {
        const now = performance.now();
        if (deadline < 0) deadline = now + budgetMs;
        else if (now > deadline) break;
      }
      const id = this.inline ? this.comm.improbeInto() : this.comm.improbe(ANY_SOURCE, ANY_TAG);
      if (id === 0) break;
      const status = native.probeStatus;
      const source = status[0]!;
      const bytes = status[2]!;
      if (id < 0) {
        const at = status[3]!;
        frames++;
        this.deliver(slab!, slabView!, at, bytes, source);
        if (stop?.()) break;
        continue;
      }
      const tag = status[1]!;
      // A small plain frame the slab had no room for: a new slab for the next ones.
      if (tag === TAG_PLAIN && bytes <= INLINE_BYTES && this.inline) renewSlab();
      if (tag === TAG_PIECE) {
        // A piece whose frame was rejected: drop it.
        native.mrecv(id, new Uint8Array(bytes));
        this.fault(new WireError('ERR_WIRE_PIECES', `a piece of ${bytes} bytes from rank ${source} follows no frame`, source));
        continue;
      }
      const target = this.receiveBuffer(bytes, tag === TAG_PAYLOAD);
      native.mrecv(id, target);
      frames++;
      this.deliver(target, new DataView(target.buffer, target.byteOffset, target.byteLength), 0, target.byteLength, source);
      if (stop?.()) break;
    }
    return frames;
  }

  private receiveBuffer(bytes: number, payload: boolean): Uint8Array {
    if (payload || bytes >= this.arenaReceiveBytes) {
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
    // Small frames in Node's buffer pool (8-aligned slices): a fresh ArrayBuffer costs a microsecond.
    return bytes < 4096 ? Buffer.allocUnsafe(bytes) : new Uint8Array(bytes);
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

  // The frame is bytes[start, start + length); `v` views all of `bytes`.
  private deliver(bytes: Uint8Array, v: DataView, start: number, length: number, source: number): void {
    let rows: Row[];
    try {
      const opened = openFrameAt(bytes, v, start, length, source, this.resolveRef, this.piecesOf);
      const p = this.peersState[source]!;
      if (opened.sequence !== p.expected) {
        const e = new WireError('ERR_WIRE_SEQUENCE', `frame ${opened.sequence} from rank ${source} arrived when ${p.expected} was due`, source);
        p.expected = opened.sequence + 1;
        this.fault(e);
      } else {
        p.expected++;
      }
      rows = opened.rows;
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      this.fault(e);
      return;
    } finally {
      // Pieces still arriving (a frame read without touching them, or rejected): wait for them here.
      arrived();
    }
    this.stats.framesReceived++;
    this.stats.rowsReceived += rows.length;
    for (const row of rows) {
      if (row.kind === RELEASE) this.released(row, source);
      else this.opts.onRow(row, source);
    }
  }

  private fault(e: WireError): void {
    this.stats.malformed++;
    if (this.opts.onError) this.opts.onError(e);
    else process.stderr.write(`taskloaf: rank ${this.rank}: ${e.message} [${e.code}]\n`);
  }

  private readonly resolveRef = (ref: BlockRef, lender: number) => this.resolve(ref, lender);
  private readonly piecesOf = (section: Uint8Array, source: number) => this.receivePieces(section, source);

  // Views a block of this node in place; gives it back to `lender` when no view is left.
  private resolve(ref: BlockRef, lender: number): Uint8Array {
    const { owner, segment, offset, length } = ref.block;
    if (owner >= this.size) throw new RangeError(`block of rank ${owner}, not in a world of ${this.size}`);
    if (!this.opts.sameNode(owner)) throw new RangeError(`block of rank ${owner}, which is not on this node`);
    let seg: ArrayBuffer | undefined;
    try {
      seg = owner === this.rank ? this.opts.arena.segments[segment] : this.opts.peers.segment(owner, segment);
    } catch (e) {
      throw new RangeError(`segment ${segment} of rank ${owner} cannot be mapped: ${(e as Error).message}`);
    }
    if (!seg || offset + length > seg.byteLength) throw new RangeError(`block ${offset}+${length} outside segment ${segment} of rank ${owner}`);
    const view = this.lentViews.view(ref.block, () => new Uint8Array(seg, offset, length), lender);
    return new Uint8Array(view, ref.start, ref.length);
  }

  // Puts a payload together in this rank's arena: the frame's inline bytes,
  // and each following piece received straight into its place. The pieces
  // are still arriving when this returns: the frame's rows and the payload's
  // Arrow structure are built meanwhile (after a large receive the caches are
  // cold, and that work took longer than while the bytes stream in).
  private receivePieces(section: Uint8Array, source: number): Uint8Array {
    const native = addon();
    const { pieces, inline, total } = readPieces(section, native.constants.MAX_MESSAGE_BYTES);
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
        const wait = this.opts.pieceWaitMs ?? 10_000;
        const deadline = Date.now() + wait;
        let id = 0;
        // Sent right after the frame: its envelope is here or about to be.
        while ((id = this.comm.improbe(source, TAG_PIECE)) === 0) {
          if (Date.now() > deadline) throw new RangeError(`a piece of ${p.length} bytes did not follow within ${wait} ms`);
        }
        const bytes = native.probeStatus[2]!;
        if (bytes !== p.length) {
          native.mrecv(id, new Uint8Array(bytes));
          throw new RangeError(`a piece of ${bytes} bytes arrived where ${p.length} were announced`);
        }
        requests.push(native.imrecv(id, dest));
        regions.push(dest);
      }
      at += p.length;
    }
    return target;
  }

  private release(lender: number, block: BlockName): void {
    if (this.closed) return;
    this.send(lender, RELEASE, block.owner, block.segment, block.offset, '');
  }

  private released(row: Row, source: number): void {
    const block: BlockName = { owner: row.rank, segment: row.id, offset: row.aux, length: 0 };
    try {
      if (block.owner === this.rank) {
        this.opts.arena.returned(block);
        return;
      }
      const k = `${block.owner}/${blockKey(block.segment, block.offset)}`;
      const b = this.borrowed.get(k);
      if (!b) throw new Error(`block (owner ${block.owner}, segment ${block.segment}, offset ${block.offset}) was not lent to it`);
      if (--b.count === 0) this.borrowed.delete(k);
    } catch (e) {
      this.fault(new WireError('ERR_WIRE_RELEASE', `release from rank ${source}: ${(e as Error).message}`, source));
    }
  }

  /** Blocks of other ranks this rank still holds for peers it passed them to. */
  get borrowedBlocks(): number {
    return this.borrowed.size;
  }

  /**
   * Polls until `done()` is true, yielding to the event loop between polls;
   * after 10 ms without a frame it sleeps between polls (so ranks sharing a
   * core leave it to each other), unless `spin`.
   */
  async until(done: () => boolean, timeoutMs = 60_000, spin = false): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let active = Date.now();
    while (!done()) {
      const now = Date.now();
      if (this.poll() > 0) active = now;
      if (done()) return;
      if (now > deadline) throw new Error(`rank ${this.rank}: timed out after ${timeoutMs} ms`);
      await new Promise<void>((r) => (!spin && now - active > 10 ? setTimeout(r, 0) : setImmediate(r)));
    }
  }

  /** Sends what is queued and polls until every send has completed. */
  async drain(timeoutMs = 60_000): Promise<void> {
    this.flushAll();
    await this.until(() => addon().pendingRequests() === 0, timeoutMs);
  }

  /**
   * The end of this rank's traffic: no more releases (a collection at exit
   * would otherwise start a send MPI_Finalize cannot wait for), what is
   * queued goes out, every send completes, and every rank gets that far
   * (collective: every rank of the transport calls it).
   */
  async end(timeoutMs = 60_000): Promise<void> {
    this.close();
    await this.drain(timeoutMs);
    // Keep receiving until every rank has drained too: a rank that stopped
    // polling could leave a peer's last send (a release, say) waiting forever
    // for room in its receive queue.
    this.comm.ibarrier();
    await this.until(() => addon().pendingRequests() === 0, timeoutMs);
  }

  /** Sends what is queued and stops giving blocks back (the job is ending). */
  close(): void {
    this.flushAll();
    this.closed = true;
  }
}
