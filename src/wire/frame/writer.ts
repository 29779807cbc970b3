// Assembles a frame for sending: header and section table, the batch of
// rows, then one section per out-of-band payload — a block reference for a
// peer of this node, or for another node the payload's bytes: small ones
// copied into the frame, large pieces described there and sent after it, each
// from where it lies (memory/pieces.ts). The frame itself is one small buffer.
import { SLAB_BYTES, SMALL_FRAME, SectionKind, firstSectionAt, layout, writeEntry, writeFixed, writeHeader, type FrameHeader } from './layout.js';
import type { BatchBuilder } from './batch.js';
import { splitPieces } from '../memory/pieces.js';

/**
 * The placement of one payload, how it travels: a block reference (the
 * bytes stay in an arena of this node), or its bytes as chunks.
 */
export type Placement = { ref: Uint8Array } | { chunks: Uint8Array[]; length: number };

export interface Assembled {
  frame: Uint8Array;
  /** Pieces to send after the frame, in order, each as a message of its own. */
  follow: Uint8Array[];
}

export function assemble(header: FrameHeader, batch: BatchBuilder, placements: readonly Placement[]): Assembled {
  if (placements.length === 0) return { frame: assembleRows(header, batch), follow: NOTHING };
  const kinds = [SectionKind.Batch];
  const bodies: (Uint8Array | Uint8Array[])[] = [];
  const lengths = [batch.byteLength];
  const follow: Uint8Array[] = [];
  for (const p of placements) {
    if ('ref' in p) {
      kinds.push(SectionKind.BlockRef);
      bodies.push(p.ref);
      lengths.push(p.ref.byteLength);
      continue;
    }
    const split = splitPieces(p.chunks);
    if (split) {
      kinds.push(SectionKind.Pieces);
      bodies.push(split.section);
      lengths.push(split.section.byteLength);
      follow.push(...split.follow);
    } else {
      kinds.push(SectionKind.Bytes);
      bodies.push(p.chunks);
      lengths.push(p.length);
    }
  }
  const { offsets, total } = layout(lengths);
  // Small frames come from Node's buffer pool: a fresh ArrayBuffer needs a
  // backing store of its own. Zeroed: padding must not leak memory.
  const frame = total < SMALL_FRAME ? Buffer.allocUnsafe(total).fill(0) : new Uint8Array(total);
  writeHeader(frame, header, lengths.map((length, i) => ({ kind: kinds[i]!, length })));
  batch.write(frame, offsets[0]!);
  bodies.forEach((b, i) => {
    let at = offsets[i + 1]!;
    for (const c of Array.isArray(b) ? b : [b]) {
      frame.set(c, at);
      at += c.byteLength;
    }
  });
  return { frame, follow };
}

const NOTHING: Uint8Array[] = [];
const ROWS_AT = firstSectionAt(1);

// Small frames are cut from a zeroed slab, one after another, and never
// written again: padding is zero without a fill per frame, and a frame costs
// no buffer of its own. A frame still being sent keeps its slab alive. A
// full slab whose every frame went to a send, all of them completed, is
// zeroed and cut again: no new buffer (and no garbage) per slab of frames.
let slab = newSlab();
let slabBuffer = slab.buffer;
let slabView = new DataView(slabBuffer);
let slabAt = 0;
// Whether a frame cut from this slab may still be held by its caller.
let slabKept = false;

// Not zeroed by the allocator: that costs more than the fill at this size.
function newSlab(): Uint8Array {
  return new Uint8Array(Buffer.allocUnsafeSlow(SLAB_BYTES).fill(0).buffer);
}

/**
 * The common frame, rows and no payload, written straight: header, one
 * section entry, the batch. `sent`, from a caller that hands the frame to
 * MPI only, says whether every send it started has completed.
 */
export function assembleRows(header: FrameHeader, batch: BatchBuilder, sent?: () => boolean): Uint8Array {
  const length = batch.byteLength;
  const total = ROWS_AT + length;
  if (total > SMALL_FRAME) {
    const frame = new Uint8Array(total);
    writeRows(frame, new DataView(frame.buffer), 0, header, batch, total);
    return frame;
  }
  if (slabAt + total > SLAB_BYTES) {
    if (!slabKept && sent?.()) {
      slab.fill(0, 0, slabAt);
    } else {
      slab = newSlab();
      slabBuffer = slab.buffer;
      slabView = new DataView(slabBuffer);
      slabKept = false;
    }
    slabAt = 0;
  }
  if (!sent) slabKept = true;
  const at = slabAt;
  slabAt += (total + 7) & ~7;
  writeRows(slab, slabView, at, header, batch, total);
  return new Uint8Array(slabBuffer, at, total);
}

// Writes the frame at out[at...] (zero there); `v` views all of `out`.
function writeRows(out: Uint8Array, v: DataView, at: number, header: FrameHeader, batch: BatchBuilder, total: number): void {
  writeFixed(v, header, 1, total, at);
  writeEntry(v, at, 0, SectionKind.Batch, ROWS_AT, total - ROWS_AT);
  batch.write(out, at + ROWS_AT, v);
}
