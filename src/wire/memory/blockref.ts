// A BlockRef section: what travels instead of the bytes when sender and
// receiver share a node. The receiver views the owner's block in place.
//
//   0 u32 owner rank   4 u32 segment   8 f64 block offset   16 f64 block length
//  24 f64 start (within the block)     32 f64 length of the payload
import { MalformedError } from '../../errors.js';
import type { BlockName } from '../../arena/arena.js';

export const BLOCK_REF_BYTES = 40;

export interface BlockRef {
  block: BlockName;
  start: number;
  length: number;
}

export function encodeRef(ref: BlockRef): Uint8Array {
  const out = new Uint8Array(BLOCK_REF_BYTES);
  const v = new DataView(out.buffer);
  v.setUint32(0, ref.block.owner, true);
  v.setUint32(4, ref.block.segment, true);
  v.setFloat64(8, ref.block.offset, true);
  v.setFloat64(16, ref.block.length, true);
  v.setFloat64(24, ref.start, true);
  v.setFloat64(32, ref.length, true);
  return out;
}

/** MalformedError unless every field is a sane non-negative integer and the payload lies in the block. */
export function decodeRef(bytes: Uint8Array): BlockRef {
  if (bytes.byteLength !== BLOCK_REF_BYTES) throw new MalformedError(`a block reference is ${BLOCK_REF_BYTES} bytes, not ${bytes.byteLength}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const owner = v.getUint32(0, true);
  const segment = v.getUint32(4, true);
  const [offset, length, start, len] = [8, 16, 24, 32].map((o) => v.getFloat64(o, true)) as [number, number, number, number];
  for (const x of [offset, length, start, len]) if (!Number.isSafeInteger(x) || x < 0) throw new MalformedError(`block reference field ${x} is not a non-negative integer`);
  if (start + len > length) throw new MalformedError(`payload ${start}+${len} outside its block of ${length} bytes`);
  return { block: { owner, segment, offset, length }, start, length: len };
}
