// Receiving: frames arrive through improbe/mrecv, are checked, and their
// rows handed up in order. Frames from one rank to another arrive in order
// (one tag on a communicator of the transport's own), and their numbering
// is checked.
import { performance } from 'node:perf_hooks';
import { addon, type NativeComm } from '../../native/addon.js';
import { WireError } from '../../errors.js';
import type { Row } from '../frame/batch.js';
import { SLAB_BYTES, SMALL_FRAME } from '../frame/layout.js';
import { openFrameAt, piecesFollowing } from '../frame/reader.js';
import { arrived } from '../memory/arriving.js';
import { MEMORY, type MatchedPiece, type PayloadPlacement } from './placement.js';
import { RELEASE, TAG_PAYLOAD, TAG_PIECE, TAG_PLAIN, type TransportStats } from './protocol.js';

const { ANY_SOURCE, ANY_TAG } = addon().constants;
// Small plain frames are received by the probe itself, one after another
// into a slab shared by every transport of the process (the addon has one):
// no second call and no buffer per frame.
const INLINE_BYTES = SMALL_FRAME - 1;
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

/** How long a frame's pieces are waited for in place before the frame is set aside (they normally follow at once). */
const MATCH_SPIN_MS = 1;
/** The pieces of a frame that has none: shared, never added to. */
const NO_PIECES: MatchedPiece[] = [];

// A frame whose pieces have not all been matched yet. It waits, and the
// frames its sender sends after it wait behind it; the rank goes on with
// everything else, and gives the frame up at its deadline.
interface Stalled {
  frame: Uint8Array;
  lengths: number[];
  matched: MatchedPiece[];
  deadline: number;
  later: Uint8Array[];
}

export class Receiver {
  /** The sequence number due next from each rank. */
  private readonly expected: number[];
  private readonly stalled = new Map<number, Stalled>();
  private readonly done = new Uint32Array(256);
  private readonly inline: boolean;

  constructor(
    private readonly comm: NativeComm,
    private readonly placement: PayloadPlacement,
    private readonly stats: TransportStats,
    private readonly onRow: (row: Row, source: number) => void,
    private readonly onError: ((e: WireError) => void) | undefined,
    arenaReceiveBytes: number,
    private readonly pieceWaitMs: number,
  ) {
    this.expected = new Array<number>(comm.size).fill(0);
    // Frames of arenaReceiveBytes and more go to the arena: below INLINE_BYTES, no frame is inlined.
    this.inline = arenaReceiveBytes > INLINE_BYTES;
    if (this.inline && slab === null) renewSlab();
  }

  /** Transport.poll(). */
  poll(budgetMs = Infinity, stop?: () => boolean): number {
    const native = addon();
    if (native.requestCount[0]! > 0) while (native.testsome(this.done) === this.done.length);
    let frames = this.stalled.size > 0 ? this.resume() : 0;
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
        const waiting = this.stalled.get(source);
        if (waiting) {
          // The next piece of the sender's stalled frame (pieces of one sender arrive in order).
          waiting.matched.push({ id, bytes });
          frames += this.resume();
          continue;
        }
        // A piece whose frame was rejected: drop it.
        native.mrecv(id, new Uint8Array(bytes));
        this.fault(new WireError('ERR_WIRE_PIECES', `a piece of ${bytes} bytes from rank ${source} follows no frame`, source));
        continue;
      }
      const target = this.placement.receiveBuffer(bytes, tag === TAG_PAYLOAD);
      native.mrecv(id, target);
      frames++;
      this.deliver(target, new DataView(target.buffer, target.byteOffset, target.byteLength), 0, target.byteLength, source);
      if (stop?.()) break;
    }
    return frames;
  }

  // The frame is bytes[start, start + length); `v` views all of `bytes`. Its
  // pieces (if any) are matched before it is opened: if they are not all there
  // yet, it is set aside (a copy: a slab is reused), and its sender's later
  // frames with it, so that this rank never waits on one sender.
  private deliver(bytes: Uint8Array, v: DataView, start: number, length: number, source: number): void {
    const stalled = this.stalled.size > 0 ? this.stalled.get(source) : undefined;
    if (stalled) {
      stalled.later.push(bytes.slice(start, start + length));
      return;
    }
    let matched = NO_PIECES;
    const lengths = piecesFollowing(v, start, length);
    // More than this node's memory is refused on opening, without waiting for anything.
    if (lengths && lengths.reduce((a, n) => a + n, 0) <= MEMORY) {
      matched = this.match(source, lengths.length, []);
      if (matched.length < lengths.length) {
        this.stalled.set(source, { frame: bytes.slice(start, start + length), lengths, matched, deadline: Date.now() + this.pieceWaitMs, later: [] });
        return;
      }
    }
    this.open(bytes, v, start, length, source, matched);
  }

  /** Matches up to `count` pieces of `source` into `into`, waiting for them at most MATCH_SPIN_MS. */
  private match(source: number, count: number, into: MatchedPiece[]): MatchedPiece[] {
    let until = -1;
    while (into.length < count) {
      const id = this.comm.improbe(source, TAG_PIECE);
      if (id !== 0) {
        into.push({ id, bytes: addon().probeStatus[2]! });
        continue;
      }
      const now = performance.now();
      if (until < 0) until = now + MATCH_SPIN_MS;
      else if (now > until) break;
    }
    return into;
  }

  // Frames set aside: opened once their pieces are all matched, given up at
  // their deadline; then the frames that waited behind them. Returns frames opened.
  private resume(): number {
    let frames = 0;
    for (const [source, s] of this.stalled) {
      if (s.matched.length < s.lengths.length) this.match(source, s.lengths.length, s.matched);
      const complete = s.matched.length >= s.lengths.length;
      if (!complete && Date.now() <= s.deadline) continue;
      this.stalled.delete(source);
      if (complete) {
        this.open(s.frame, new DataView(s.frame.buffer, s.frame.byteOffset, s.frame.byteLength), 0, s.frame.byteLength, source, s.matched);
        frames++;
      } else {
        this.dropPieces(s.matched);
        // As for any frame rejected: its sequence number is not taken.
        const missing = s.lengths[s.matched.length]!;
        this.fault(new WireError('ERR_WIRE_PAYLOAD', `malformed frame from rank ${source}: a piece of ${missing} bytes did not follow within ${this.pieceWaitMs} ms`, source));
      }
      for (const f of s.later) {
        this.deliver(f, new DataView(f.buffer, f.byteOffset, f.byteLength), 0, f.byteLength, source);
        frames++;
      }
    }
    return frames;
  }

  // Pieces matched for a frame that did not take them (it was rejected, or given up): received and dropped.
  private dropPieces(pieces: MatchedPiece[]): void {
    for (const p of pieces.splice(0)) addon().mrecv(p.id, new Uint8Array(p.bytes));
  }

  private open(bytes: Uint8Array, v: DataView, start: number, length: number, source: number, matched: MatchedPiece[]): void {
    this.placement.matchedPieces = matched;
    let rows: Row[];
    try {
      const opened = openFrameAt(bytes, v, start, length, source, this.placement.resolveRef, this.placement.piecesOf);
      const expected = this.expected[source]!;
      if (opened.sequence !== expected) {
        const e = new WireError('ERR_WIRE_SEQUENCE', `frame ${opened.sequence} from rank ${source} arrived when ${expected} was due`, source);
        this.expected[source] = opened.sequence + 1;
        this.fault(e);
      } else {
        this.expected[source] = expected + 1;
      }
      rows = opened.rows;
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      this.fault(e);
      return;
    } finally {
      // Pieces still arriving (a frame read without touching them, or rejected): wait for them here.
      arrived();
      if (matched.length > 0) this.dropPieces(matched);
    }
    this.stats.framesReceived++;
    this.stats.rowsReceived += rows.length;
    for (const row of rows) {
      if (row.kind === RELEASE) this.released(row, source);
      else this.onRow(row, source);
    }
  }

  private released(row: Row, source: number): void {
    try {
      this.placement.released(row);
    } catch (e) {
      this.fault(new WireError('ERR_WIRE_RELEASE', `release from rank ${source}: ${(e as Error).message}`, source));
    }
  }

  private fault(e: WireError): void {
    this.stats.malformed++;
    if (this.onError) this.onError(e);
    else process.stderr.write(`taskloaf: rank ${this.comm.rank}: ${e.message} [${e.code}]\n`);
  }
}
