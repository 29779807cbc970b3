// Assembles a frame for sending: header and section table, the batch of
// rows, then one section per out-of-band payload — a block reference for a
// peer of this node, or the payload's own bytes for another node. Small
// pieces are written into one buffer; large payloads are listed where they
// lie, so the frame goes out as one gathered message and nothing big is copied.
import { ALIGN, HEADER_BYTES, SECTION_ENTRY_BYTES, SectionKind, layout, writeHeader, type FrameHeader } from './frame.js';
import type { BatchBuilder } from './batch.js';

/** How one payload travels. */
export type Placed = { ref: Uint8Array } | { chunks: Uint8Array[]; length: number };

/** Payloads at least this long are sent from where they lie instead of being copied into the frame. */
export const GATHER_BYTES = 16 * 1024;

/** The frame as parts to send in order (one part when it is small). */
export function assemble(header: FrameHeader, batch: BatchBuilder, placed: readonly Placed[]): Uint8Array[] {
  const lengths = [batch.byteLength];
  const kinds = [SectionKind.Batch];
  for (const p of placed) {
    if ('ref' in p) {
      lengths.push(p.ref.byteLength);
      kinds.push(SectionKind.BlockRef);
    } else {
      lengths.push(p.length);
      kinds.push(SectionKind.Bytes);
    }
  }
  const { offsets, total } = layout(lengths);
  let gathered = 0;
  for (const p of placed) if ('chunks' in p && p.length >= GATHER_BYTES) gathered += p.length;
  const small = new Uint8Array(total - gathered);
  writeHeader(small, header, lengths.map((length, i) => ({ kind: kinds[i]!, length })));
  const parts: Uint8Array[] = [];
  let runStart = 0;
  let sp = HEADER_BYTES + lengths.length * SECTION_ENTRY_BYTES; // next free byte of `small`
  let pos = sp; // frame position
  const skipTo = (o: number) => {
    sp += o - pos; // padding: zeros already
    pos = o;
  };
  skipTo(offsets[0]!);
  batch.write(small, sp);
  sp += lengths[0]!;
  pos += lengths[0]!;
  placed.forEach((p, i) => {
    skipTo(offsets[i + 1]!);
    if ('ref' in p) {
      small.set(p.ref, sp);
    } else if (p.length < GATHER_BYTES) {
      let at = sp;
      for (const c of p.chunks) {
        small.set(c, at);
        at += c.byteLength;
      }
    } else {
      if (sp > runStart) parts.push(small.subarray(runStart, sp));
      for (const c of p.chunks) parts.push(c);
      runStart = sp;
      pos += p.length;
      return;
    }
    sp += lengths[i + 1]!;
    pos += lengths[i + 1]!;
  });
  skipTo(total);
  if (sp > runStart) parts.push(small.subarray(runStart, sp));
  return parts;
}

export { ALIGN };
