// Opens a received frame: checks it, finds its payloads (sections of the
// frame, or blocks of a peer's arena on this node) and decodes its rows.
// Whatever is wrong with it becomes one WireError naming the sender.
import { WireError } from '../errors.js';
import { SectionKind, decodeFrame, type Frame } from './frame.js';
import { decodeRef, type BlockRef } from './blockref.js';
import { readRows, type Row } from './batch.js';
import { setStream } from './homes.js';

export interface Opened {
  frame: Frame;
  rows: Row[];
}

/**
 * `resolve` views a referenced block in place; `receivePieces` puts together
 * a payload whose pieces follow the frame. Both throw RangeError when they cannot.
 */
export function openFrame(
  bytes: Uint8Array,
  source: number,
  resolve: (ref: BlockRef) => Uint8Array,
  receivePieces: (section: Uint8Array) => Uint8Array,
): Opened {
  const frame = decodeFrame(bytes, source);
  const [batch, ...rest] = frame.sections;
  if (!batch || batch.kind !== SectionKind.Batch) {
    throw new WireError('ERR_WIRE_SECTION_KIND', `malformed frame from rank ${source}: it does not start with a batch`, source);
  }
  let payloads: Uint8Array[];
  try {
    payloads = rest.map((s, i) => {
      if (s.kind === SectionKind.Bytes) return s.bytes;
      if (s.kind === SectionKind.BlockRef) return resolve(decodeRef(s.bytes));
      if (s.kind === SectionKind.Pieces) return receivePieces(s.bytes);
      throw new RangeError(`section ${i + 1} of kind ${s.kind} is not a payload`);
    });
  } catch (e) {
    throw new WireError('ERR_WIRE_PAYLOAD', `malformed frame from rank ${source}: ${(e as Error).message}`, source);
  }
  try {
    return { frame, rows: readRows(batch.bytes, payloads, setStream) };
  } catch (e) {
    throw new WireError('ERR_WIRE_BATCH', `malformed frame from rank ${source}: ${(e as Error).message}`, source);
  }
}
