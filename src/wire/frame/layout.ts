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
// Little-endian throughout. This file is the only one that knows these
// offsets: the writer and reader of frames go through it.
import { MalformedError, WireError } from '../../errors.js';

export const MAGIC = 0x01464c54; // 'T' 'L' 'F' 1, read little-endian
export const VERSION = 1;
export const HEADER_BYTES = 32;
export const SECTION_ENTRY_BYTES = 16;
export const MAX_SECTIONS = 4096;
export const ALIGN = 8;

// Header fields that readers of a checked frame need.
const AT_KIND = 5;
const AT_FLAGS = 6;
const AT_SENDER = 8;
const AT_COUNT = 12;
const AT_SEQUENCE = 16;
// Fields of a section entry, from the entry's start.
const ENTRY_KIND = 0;
const ENTRY_FLAGS = 2;
const ENTRY_OFFSET = 8;
const ENTRY_LENGTH = 12;

/**
 * Frames below this many bytes are small: written into a slab of frames at
 * the sender, received into one at the receiver, or else taken from Node's
 * buffer pool (which serves allocations under 4 KiB).
 */
export const SMALL_FRAME = 4096;
/**
 * A slab of small frames. A view of one frame keeps its whole slab alive, as
 * a pooled Buffer keeps its pool, so the slab is kept small.
 */
export const SLAB_BYTES = 32 * 1024;

/** Numeric values are on the wire: a kind keeps its number for good. */
export enum FrameKind {
  Tasks = 1,
}

export enum SectionKind {
  /** The frame's messages: one Arrow record-batch message, a row each (batch.ts). */
  Batch = 1,
  /** An out-of-band payload's bytes: a typed array's, or an Arrow value's IPC stream. */
  Bytes = 6,
  /** An out-of-band payload left where it is: a block of an arena on this node (memory/blockref.ts). */
  BlockRef = 7,
  /** An out-of-band payload whose large pieces follow the frame as messages of their own (memory/pieces.ts). */
  Pieces = 8,
}

const FRAME_KINDS = new Set<number>(Object.values(FrameKind).filter((v) => typeof v === 'number') as number[]);
const SECTION_KINDS = new Set<number>(Object.values(SectionKind).filter((v) => typeof v === 'number') as number[]);

export interface FrameHeader {
  kind: FrameKind;
  flags: number;
  sender: number;
  /** Per (sender, receiver) sequence number, for ordering checks. */
  sequence: number;
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

/** Where the first section of a frame of `sections` sections starts. */
export function firstSectionAt(sections: number): number {
  return pad(HEADER_BYTES + sections * SECTION_ENTRY_BYTES);
}

/** Writes the header and section table of a frame into `out` (at least HEADER + table bytes). */
export function writeHeader(out: Uint8Array, header: FrameHeader, sections: readonly { kind: SectionKind; flags?: number; length: number }[]): number {
  if (sections.length > MAX_SECTIONS) throw new MalformedError(`a frame holds at most ${MAX_SECTIONS} sections`);
  const { offsets, total } = layout(sections.map((s) => s.length));
  if (total > 0xffffffff) throw new MalformedError(`a frame holds at most 4 GiB`);
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  writeFixed(v, header, sections.length, total);
  sections.forEach((s, i) => writeEntry(v, 0, i, s.kind, offsets[i]!, s.length, s.flags ?? 0));
  return total;
}

/** The 32-byte header at `at` (the section table follows it). */
export function writeFixed(v: DataView, header: FrameHeader, sections: number, total: number, at = 0): void {
  v.setUint32(at, MAGIC, true);
  v.setUint8(at + 4, VERSION);
  v.setUint8(at + AT_KIND, header.kind);
  v.setUint16(at + AT_FLAGS, header.flags, true);
  v.setUint32(at + AT_SENDER, header.sender, true);
  v.setUint16(at + AT_COUNT, sections, true);
  v.setUint16(at + 14, 0, true);
  v.setUint32(at + AT_SEQUENCE, header.sequence % 2 ** 32, true);
  v.setUint32(at + AT_SEQUENCE + 4, Math.floor(header.sequence / 2 ** 32), true);
  v.setUint32(at + 24, total, true);
  v.setUint32(at + 28, 0, true);
}

/** Section entry `i` of the frame at `frame`; its reserved field is left as it is (zero). */
export function writeEntry(v: DataView, frame: number, i: number, kind: SectionKind, offset: number, length: number, flags = 0): void {
  const e = frame + HEADER_BYTES + i * SECTION_ENTRY_BYTES;
  v.setUint16(e + ENTRY_KIND, kind, true);
  v.setUint16(e + ENTRY_FLAGS, flags, true);
  v.setUint32(e + 4, 0, true);
  v.setUint32(e + ENTRY_OFFSET, offset, true);
  v.setUint32(e + ENTRY_LENGTH, length, true);
}

// Readers of a frame that checkFrameAt() accepted; `frame` is where it starts in what `v` views.

export function kindOf(v: DataView, frame: number): FrameKind {
  return v.getUint8(frame + AT_KIND);
}
export function flagsOf(v: DataView, frame: number): number {
  return v.getUint16(frame + AT_FLAGS, true);
}
export function senderOf(v: DataView, frame: number): number {
  return v.getUint32(frame + AT_SENDER, true);
}
export function sectionCount(v: DataView, frame: number): number {
  return v.getUint16(frame + AT_COUNT, true);
}
export function sequenceOf(v: DataView, frame: number): number {
  return v.getUint32(frame + AT_SEQUENCE, true) + v.getUint32(frame + AT_SEQUENCE + 4, true) * 2 ** 32;
}
export function sectionKind(v: DataView, frame: number, i: number): number {
  return v.getUint16(frame + HEADER_BYTES + i * SECTION_ENTRY_BYTES + ENTRY_KIND, true);
}
export function sectionFlags(v: DataView, frame: number, i: number): number {
  return v.getUint16(frame + HEADER_BYTES + i * SECTION_ENTRY_BYTES + ENTRY_FLAGS, true);
}
/** Offset of section `i` from the frame's start. */
export function sectionOffset(v: DataView, frame: number, i: number): number {
  return v.getUint32(frame + HEADER_BYTES + i * SECTION_ENTRY_BYTES + ENTRY_OFFSET, true);
}
export function sectionLength(v: DataView, frame: number, i: number): number {
  return v.getUint32(frame + HEADER_BYTES + i * SECTION_ENTRY_BYTES + ENTRY_LENGTH, true);
}

function fail(code: string, source: number, what: string): never {
  throw new WireError(code, `malformed frame from rank ${source}: ${what}`, source);
}

// Frame and section kinds as bits, for a check without a lookup.
const FRAME_KIND_BITS = [...FRAME_KINDS].reduce((m, k) => m | (1 << k), 0);
const SECTION_KIND_BITS = [...SECTION_KINDS].reduce((m, k) => m | (1 << k), 0);

/**
 * Checks every field of the received frame of `n` bytes at `start` of what
 * `v` views (so a frame received into a slab needs no view of its own);
 * `address` is the frame's byte offset in its ArrayBuffer, for the alignment
 * check. `source` is the rank MPI says sent it; it must match the header.
 * Throws WireError, nothing else, for any input.
 */
export function checkFrameAt(v: DataView, start: number, n: number, address: number, source: number): void {
  if (n < HEADER_BYTES) fail('ERR_WIRE_TRUNCATED', source, `${n} bytes is shorter than a header`);
  if (address % ALIGN !== 0) fail('ERR_WIRE_ALIGNMENT', source, `frame starts at byte offset ${address}, not 8-aligned`);
  if (start + n > v.byteLength) fail('ERR_WIRE_BOUNDS', source, `frame of ${n} bytes at ${start} runs past its buffer (${v.byteLength} bytes)`);
  if (v.getUint32(start, true) !== MAGIC) fail('ERR_WIRE_MAGIC', source, 'bad magic');
  const version = v.getUint8(start + 4);
  if (version !== VERSION) fail('ERR_WIRE_VERSION', source, `version ${version} (this rank speaks ${VERSION})`);
  const kind = v.getUint8(start + AT_KIND);
  if (kind >= 32 || ((FRAME_KIND_BITS >>> kind) & 1) === 0) fail('ERR_WIRE_KIND', source, `unknown frame kind ${kind}`);
  const sender = v.getUint32(start + AT_SENDER, true);
  if (sender !== source) fail('ERR_WIRE_SENDER', source, `header names rank ${sender} as sender`);
  const count = v.getUint16(start + AT_COUNT, true);
  if (v.getUint16(start + 14, true) !== 0 || v.getUint32(start + 28, true) !== 0) fail('ERR_WIRE_RESERVED', source, 'reserved header fields are not zero');
  if (count > MAX_SECTIONS) fail('ERR_WIRE_SECTIONS', source, `${count} sections (at most ${MAX_SECTIONS})`);
  const total = v.getUint32(start + 24, true);
  if (total !== n) fail('ERR_WIRE_LENGTH', source, `header says ${total} bytes, ${n} arrived`);
  const tableEnd = HEADER_BYTES + count * SECTION_ENTRY_BYTES;
  if (tableEnd > n) fail('ERR_WIRE_TRUNCATED', source, `section table of ${count} entries does not fit in ${n} bytes`);
  let end = tableEnd;
  for (let i = 0; i < count; i++) {
    const e = start + HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    const skind = v.getUint16(e + ENTRY_KIND, true);
    if (skind >= 32 || ((SECTION_KIND_BITS >>> skind) & 1) === 0) fail('ERR_WIRE_SECTION_KIND', source, `section ${i} has unknown kind ${skind}`);
    if (v.getUint32(e + 4, true) !== 0) fail('ERR_WIRE_RESERVED', source, `section ${i} reserved field is not zero`);
    const offset = v.getUint32(e + ENTRY_OFFSET, true);
    const length = v.getUint32(e + ENTRY_LENGTH, true);
    if (offset % ALIGN !== 0) fail('ERR_WIRE_ALIGNMENT', source, `section ${i} at offset ${offset} is not 8-aligned`);
    if (offset < end) fail('ERR_WIRE_OVERLAP', source, `section ${i} at offset ${offset} overlaps what precedes it (ends at ${end})`);
    if (offset + length > n) fail('ERR_WIRE_BOUNDS', source, `section ${i} (${offset}+${length}) runs past the frame (${n} bytes)`);
    end = offset + length;
  }
}
