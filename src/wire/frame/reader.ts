// Opens a received frame: checks it, finds its payloads (sections of the
// frame, or blocks of a peer's arena on this node) and decodes its rows.
// Whatever is wrong with it becomes one WireError naming the sender.
import { MalformedError, WireError } from '../../errors.js';
import { HEADER_BYTES, SECTION_ENTRY_BYTES, SectionKind, checkFrameAt, sectionCount, sectionKind, sectionLength, sectionOffset, sequenceOf } from './layout.js';
import { followingLengths } from '../memory/pieces.js';
import { decodeRef, type BlockRef } from '../memory/blockref.js';
import { readRowsAt, type Row } from './batch.js';
import { setStream } from '../memory/homes.js';

export interface Opened {
  /** The frame's sequence number (per sender and receiver). */
  sequence: number;
  rows: Row[];
}

const NO_PAYLOADS: Uint8Array[] = [];

/**
 * Opens the frame of `n` bytes at `start` of `bytes` (`v` views all of it):
 * a frame received into a slab is opened where it lies, with the slab's one
 * view, and values read from it view the slab. `resolve` views a referenced
 * block in place; `receivePieces` puts together a payload whose pieces follow
 * the frame. Both throw MalformedError when they cannot.
 */
export function openFrameAt(
  bytes: Uint8Array,
  v: DataView,
  start: number,
  n: number,
  source: number,
  resolve: (ref: BlockRef, source: number) => Uint8Array,
  receivePieces: (section: Uint8Array, source: number) => Uint8Array,
): Opened {
  checkFrameAt(v, start, n, bytes.byteOffset + start, source);
  const count = sectionCount(v, start);
  if (count === 0 || sectionKind(v, start, 0) !== SectionKind.Batch) {
    throw new WireError('ERR_WIRE_SECTION_KIND', `malformed frame from rank ${source}: it does not start with a batch`, source);
  }
  let payloads = NO_PAYLOADS;
  if (count > 1) {
    payloads = new Array<Uint8Array>(count - 1);
    try {
      for (let i = 1; i < count; i++) {
        const kind = sectionKind(v, start, i);
        const offset = start + sectionOffset(v, start, i);
        const section = bytes.subarray(offset, offset + sectionLength(v, start, i));
        if (kind === SectionKind.Bytes) payloads[i - 1] = section;
        else if (kind === SectionKind.BlockRef) payloads[i - 1] = resolve(decodeRef(section), source);
        else if (kind === SectionKind.Pieces) payloads[i - 1] = receivePieces(section, source);
        else throw new MalformedError(`section ${i} of kind ${kind} is not a payload`);
      }
    } catch (e) {
      throw new WireError('ERR_WIRE_PAYLOAD', `malformed frame from rank ${source}: ${(e as Error).message}`, source);
    }
  }
  try {
    const rows = readRowsAt(bytes, v, start + sectionOffset(v, start, 0), sectionLength(v, start, 0), payloads, setStream);
    return { sequence: sequenceOf(v, start), rows };
  } catch (e) {
    throw new WireError('ERR_WIRE_BATCH', `malformed frame from rank ${source}: ${(e as Error).message}`, source);
  }
}

/**
 * The lengths of the pieces that follow the frame of `n` bytes at `start`, in
 * order, before it is opened (the receiver matches them first); null when
 * none do, or when the frame is too malformed to say (opening it reports why).
 */
export function piecesFollowing(v: DataView, start: number, n: number): number[] | null {
  if (n < HEADER_BYTES) return null;
  const count = sectionCount(v, start);
  if (count < 2 || HEADER_BYTES + count * SECTION_ENTRY_BYTES > n) return null;
  let lengths: number[] | null = null;
  for (let i = 1; i < count; i++) {
    if (sectionKind(v, start, i) !== SectionKind.Pieces) continue;
    const offset = sectionOffset(v, start, i);
    const length = sectionLength(v, start, i);
    if (offset + length > n || !followingLengths(v, start + offset, length, (lengths ??= []))) return null;
  }
  return lengths !== null && lengths.length > 0 ? lengths : null;
}
