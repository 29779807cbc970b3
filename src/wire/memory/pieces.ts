// A Pieces section: a payload for another node whose large pieces (column
// buffers, typed arrays) are not copied into the frame but follow it as MPI
// messages of their own, each sent from where it lies and received straight
// into its position in the receiver's arena. One contiguous message per piece:
// MPI packs a gathered (non-contiguous) message through bounce buffers, which
// costs a copy; a contiguous one goes from memory to the wire.
//
//   u32 piece count   u32 reserved (0)
//   per piece: u32 flags (1 = follows as its own message)   u32 length
//   the bytes of the pieces that do not follow, in order
//
// The payload is the pieces concatenated in order.
import { MalformedError } from '../../errors.js';

/** Pieces at least this long follow the frame as messages of their own. */
export const DETACH_BYTES = 64 * 1024;
const FOLLOWS = 1;

export interface Piece {
  follows: boolean;
  length: number;
}

/** Splits a payload's chunks: the section describing it, and the chunks that follow. */
export function splitPieces(chunks: readonly Uint8Array[]): { section: Uint8Array; follow: Uint8Array[] } | null {
  const pieces: Piece[] = [];
  const follow: Uint8Array[] = [];
  let inline = 0;
  for (const c of chunks) {
    if (c.byteLength >= DETACH_BYTES) {
      pieces.push({ follows: true, length: c.byteLength });
      follow.push(c);
    } else {
      const last = pieces[pieces.length - 1];
      if (last && !last.follows) last.length += c.byteLength;
      else pieces.push({ follows: false, length: c.byteLength });
      inline += c.byteLength;
    }
  }
  if (follow.length === 0) return null;
  const section = new Uint8Array(8 + 8 * pieces.length + inline);
  const v = new DataView(section.buffer);
  v.setUint32(0, pieces.length, true);
  pieces.forEach((p, i) => {
    v.setUint32(8 + 8 * i, p.follows ? FOLLOWS : 0, true);
    v.setUint32(12 + 8 * i, p.length, true);
  });
  let at = 8 + 8 * pieces.length;
  for (const c of chunks) {
    if (c.byteLength >= DETACH_BYTES) continue;
    section.set(c, at);
    at += c.byteLength;
  }
  return { section, follow };
}

/** Reads a Pieces section; MalformedError unless it is consistent. */
export function readPieces(section: Uint8Array, maxPiece: number): { pieces: Piece[]; inline: Uint8Array; total: number } {
  if (section.byteLength < 8) throw new MalformedError('pieces section shorter than its header');
  const v = new DataView(section.buffer, section.byteOffset, section.byteLength);
  const count = v.getUint32(0, true);
  if (v.getUint32(4, true) !== 0) throw new MalformedError('pieces section reserved field is not zero');
  if (count === 0 || 8 + 8 * count > section.byteLength) throw new MalformedError(`${count} pieces do not fit in ${section.byteLength} bytes`);
  const pieces: Piece[] = [];
  let inline = 0;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const flags = v.getUint32(8 + 8 * i, true);
    const length = v.getUint32(12 + 8 * i, true);
    if (flags > FOLLOWS) throw new MalformedError(`piece ${i} has unknown flags ${flags}`);
    if (flags === FOLLOWS && (length === 0 || length > maxPiece)) throw new MalformedError(`piece ${i} of ${length} bytes cannot follow`);
    if (flags !== FOLLOWS) inline += length;
    total += length;
    pieces.push({ follows: flags === FOLLOWS, length });
  }
  const start = 8 + 8 * count;
  if (start + inline !== section.byteLength) throw new MalformedError(`pieces hold ${inline} inline bytes, the section ${section.byteLength - start}`);
  return { pieces, inline: section.subarray(start), total };
}

/**
 * Appends to `into` the lengths of the pieces that follow, read from a Pieces
 * section at `at` (`length` bytes) of `v` without checking the rest; false
 * when the section cannot even say (opening the frame reports what is wrong).
 */
export function followingLengths(v: DataView, at: number, length: number, into: number[]): boolean {
  if (length < 8) return false;
  const count = v.getUint32(at, true);
  if (8 + 8 * count > length) return false;
  for (let i = 0; i < count; i++) if (v.getUint32(at + 8 + 8 * i, true) === FOLLOWS) into.push(v.getUint32(at + 12 + 8 * i, true));
  return true;
}
