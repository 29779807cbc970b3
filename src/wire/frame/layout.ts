// Frames: the unit every message between ranks is. A fixed 32-byte header,
// a table of sections, then the sections, each 8-byte aligned so Arrow and
// typed-array views can be built on them in place.
//
//   0  u32 magic 'TLF\x01'      16 u32 sequence (low)
//   4  u8  version              20 u32 sequence (high)
//   5  u8  kind                 24 u32 total length of the frame
//   6  u16 flags                28 u32 reserved (0)
//   8  u32 sender rank          32 section table: 16 bytes per section
//  12  u16 section count           u16 kind, u16 flags, u32 reserved (0),
//  14  u16 reserved (0)            u32 offset (from frame start), u32 length
//
// Little-endian throughout. Decoding checks every field before any section is
// touched and returns views of the sections (no copy).
import { WireError } from '../../errors.js';

export const MAGIC = 0x01464c54; // 'T' 'L' 'F' 1, read little-endian
export const VERSION = 1;
export const HEADER_BYTES = 32;
export const SECTION_ENTRY_BYTES = 16;
export const MAX_SECTIONS = 4096;
export const ALIGN = 8;

export enum FrameKind {
  Tasks = 1,
  Results = 2,
  Control = 3,
  Data = 4,
}

export enum SectionKind {
  /** The frame's messages: one Arrow record-batch message, a row each (batch.ts). */
  Batch = 1,
  /** An out-of-band payload's bytes: a typed array's, or an Arrow value's IPC stream. */
  Bytes = 6,
  /** An out-of-band payload left where it is: a block of an arena on this node (blockref.ts). */
  BlockRef = 7,
  /** An out-of-band payload whose large pieces follow the frame as messages of their own (pieces.ts). */
  Pieces = 8,
}

const FRAME_KINDS = new Set<number>(Object.values(FrameKind).filter((v) => typeof v === 'number') as number[]);
const SECTION_KINDS = new Set<number>(Object.values(SectionKind).filter((v) => typeof v === 'number') as number[]);

export interface Section {
  kind: SectionKind;
  flags: number;
  bytes: Uint8Array;
}

export interface FrameHeader {
  kind: FrameKind;
  flags: number;
  sender: number;
  /** Per (sender, receiver) sequence number, for ordering checks. */
  sequence: number;
}

export interface Frame extends FrameHeader {
  sections: Section[];
}

const pad = (n: number) => (n + ALIGN - 1) & ~(ALIGN - 1);

/** Where each section will sit in the frame, and the frame's total length. */
export function layout(lengths: readonly number[]): { offsets: number[]; total: number } {
  let at = pad(HEADER_BYTES + lengths.length * SECTION_ENTRY_BYTES);
  const offsets = lengths.map((len) => {
    const o = at;
    at = pad(at + len);
    return o;
  });
  return { offsets, total: at };
}

/** Writes the header and section table of a frame into `out` (at least HEADER + table bytes). */
export function writeHeader(out: Uint8Array, header: FrameHeader, sections: readonly { kind: SectionKind; flags?: number; length: number }[]): number {
  if (sections.length > MAX_SECTIONS) throw new RangeError(`a frame holds at most ${MAX_SECTIONS} sections`);
  const { offsets, total } = layout(sections.map((s) => s.length));
  if (total > 0xffffffff) throw new RangeError(`a frame holds at most 4 GiB`);
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  writeFixed(v, header, sections.length, total);
  sections.forEach((s, i) => {
    const e = HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    v.setUint16(e, s.kind, true);
    v.setUint16(e + 2, s.flags ?? 0, true);
    v.setUint32(e + 4, 0, true);
    v.setUint32(e + 8, offsets[i]!, true);
    v.setUint32(e + 12, s.length, true);
  });
  return total;
}

/** The 32-byte header at `at` (the section table follows it). */
export function writeFixed(v: DataView, header: FrameHeader, sections: number, total: number, at = 0): void {
  v.setUint32(at, MAGIC, true);
  v.setUint8(at + 4, VERSION);
  v.setUint8(at + 5, header.kind);
  v.setUint16(at + 6, header.flags, true);
  v.setUint32(at + 8, header.sender, true);
  v.setUint16(at + 12, sections, true);
  v.setUint16(at + 14, 0, true);
  v.setUint32(at + 16, header.sequence % 2 ** 32, true);
  v.setUint32(at + 20, Math.floor(header.sequence / 2 ** 32), true);
  v.setUint32(at + 24, total, true);
  v.setUint32(at + 28, 0, true);
}

/** One contiguous frame (copies the sections: for small frames; large ones are sent as a gather list). */
export function encodeFrame(frame: Frame): Uint8Array {
  const { offsets, total } = layout(frame.sections.map((s) => s.bytes.byteLength));
  const out = new Uint8Array(total);
  writeHeader(out, frame, frame.sections.map((s) => ({ kind: s.kind, flags: s.flags, length: s.bytes.byteLength })));
  frame.sections.forEach((s, i) => out.set(s.bytes, offsets[i]!));
  return out;
}

function fail(code: string, source: number, what: string): never {
  throw new WireError(code, `malformed frame from rank ${source}: ${what}`, source);
}

/**
 * Checks a received frame and returns views of its sections. `source` is the
 * rank MPI says sent it; it must match the header. Throws WireError, nothing
 * else, for any input.
 */
export function decodeFrame(bytes: Uint8Array, source: number): Frame {
  const v = checkFrame(bytes, source);
  const count = v.getUint16(12, true);
  const sections: Section[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const e = HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    const offset = v.getUint32(e + 8, true);
    sections[i] = { kind: v.getUint16(e, true), flags: v.getUint16(e + 2, true), bytes: bytes.subarray(offset, offset + v.getUint32(e + 12, true)) };
  }
  return { kind: v.getUint8(5), flags: v.getUint16(6, true), sender: v.getUint32(8, true), sequence: v.getUint32(16, true) + v.getUint32(20, true) * 2 ** 32, sections };
}

// Frame and section kinds as bits, for a check without a lookup.
const FRAME_KIND_BITS = [...FRAME_KINDS].reduce((m, k) => m | (1 << k), 0);
const SECTION_KIND_BITS = [...SECTION_KINDS].reduce((m, k) => m | (1 << k), 0);

/**
 * Checks every field of a received frame (as decodeFrame does) and returns a
 * DataView of it; section i's entry is at HEADER_BYTES + 16 i (kind u16 at
 * +0, offset u32 at +8, length u32 at +12). Throws WireError for any input.
 */
export function checkFrame(bytes: Uint8Array, source: number): DataView {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkFrameAt(v, 0, bytes.byteLength, bytes.byteOffset, source);
  return v;
}

/**
 * checkFrame() for the frame of `n` bytes at `start` of what `v` views (so
 * a frame received into a slab needs no view of its own); `address` is the
 * frame's byte offset in its ArrayBuffer, for the alignment check.
 */
export function checkFrameAt(v: DataView, start: number, n: number, address: number, source: number): void {
  if (n < HEADER_BYTES) fail('ERR_WIRE_TRUNCATED', source, `${n} bytes is shorter than a header`);
  if (address % ALIGN !== 0) fail('ERR_WIRE_ALIGNMENT', source, `frame starts at byte offset ${address}, not 8-aligned`);
  if (start + n > v.byteLength) fail('ERR_WIRE_BOUNDS', source, `frame of ${n} bytes at ${start} runs past its buffer (${v.byteLength} bytes)`);
  if (v.getUint32(start, true) !== MAGIC) fail('ERR_WIRE_MAGIC', source, 'bad magic');
  const version = v.getUint8(start + 4);
  if (version !== VERSION) fail('ERR_WIRE_VERSION', source, `version ${version} (this rank speaks ${VERSION})`);
  const kind = v.getUint8(start + 5);
  if (kind >= 32 || ((FRAME_KIND_BITS >>> kind) & 1) === 0) fail('ERR_WIRE_KIND', source, `unknown frame kind ${kind}`);
  const sender = v.getUint32(start + 8, true);
  if (sender !== source) fail('ERR_WIRE_SENDER', source, `header names rank ${sender} as sender`);
  const count = v.getUint16(start + 12, true);
  if (v.getUint16(start + 14, true) !== 0 || v.getUint32(start + 28, true) !== 0) fail('ERR_WIRE_RESERVED', source, 'reserved header fields are not zero');
  if (count > MAX_SECTIONS) fail('ERR_WIRE_SECTIONS', source, `${count} sections (at most ${MAX_SECTIONS})`);
  const total = v.getUint32(start + 24, true);
  if (total !== n) fail('ERR_WIRE_LENGTH', source, `header says ${total} bytes, ${n} arrived`);
  const tableEnd = HEADER_BYTES + count * SECTION_ENTRY_BYTES;
  if (tableEnd > n) fail('ERR_WIRE_TRUNCATED', source, `section table of ${count} entries does not fit in ${n} bytes`);
  let end = tableEnd;
  for (let i = 0; i < count; i++) {
    const e = start + HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    const skind = v.getUint16(e, true);
    if (skind >= 32 || ((SECTION_KIND_BITS >>> skind) & 1) === 0) fail('ERR_WIRE_SECTION_KIND', source, `section ${i} has unknown kind ${skind}`);
    if (v.getUint32(e + 4, true) !== 0) fail('ERR_WIRE_RESERVED', source, `section ${i} reserved field is not zero`);
    const offset = v.getUint32(e + 8, true);
    const length = v.getUint32(e + 12, true);
    if (offset % ALIGN !== 0) fail('ERR_WIRE_ALIGNMENT', source, `section ${i} at offset ${offset} is not 8-aligned`);
    if (offset < end) fail('ERR_WIRE_OVERLAP', source, `section ${i} at offset ${offset} overlaps what precedes it (ends at ${end})`);
    if (offset + length > n) fail('ERR_WIRE_BOUNDS', source, `section ${i} (${offset}+${length}) runs past the frame (${n} bytes)`);
    end = offset + length;
  }
}
