// Frames and batches built and read whole, for tests and benchmarks: the
// transport writes frames in place and opens them where they were received.
import { checkFrameAt, flagsOf, kindOf, layout, sectionCount, sectionFlags, sectionKind, sectionLength, sectionOffset, senderOf, sequenceOf, writeHeader, type FrameHeader, type SectionKind } from '../../src/wire/frame/layout.js';
import { openFrameAt, type Opened } from '../../src/wire/frame/reader.js';
import { readRowsAt, type Row } from '../../src/wire/frame/batch.js';
import type { BlockRef } from '../../src/wire/memory/blockref.js';

export interface Section {
  kind: SectionKind;
  flags: number;
  bytes: Uint8Array;
}

export interface Frame extends FrameHeader {
  sections: Section[];
}

/** One contiguous frame (the sections copied in). */
export function encodeFrame(frame: Frame): Uint8Array {
  const { offsets, total } = layout(frame.sections.map((s) => s.bytes.byteLength));
  const out = new Uint8Array(total);
  writeHeader(out, frame, frame.sections.map((s) => ({ kind: s.kind, flags: s.flags, length: s.bytes.byteLength })));
  frame.sections.forEach((s, i) => out.set(s.bytes, offsets[i]!));
  return out;
}

/** Checks a received frame and returns views of its sections; WireError, nothing else, for any input. */
export function decodeFrame(bytes: Uint8Array, source: number): Frame {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkFrameAt(v, 0, bytes.byteLength, bytes.byteOffset, source);
  const count = sectionCount(v, 0);
  const sections: Section[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const offset = sectionOffset(v, 0, i);
    sections[i] = { kind: sectionKind(v, 0, i), flags: sectionFlags(v, 0, i), bytes: bytes.subarray(offset, offset + sectionLength(v, 0, i)) };
  }
  return { kind: kindOf(v, 0), flags: flagsOf(v, 0), sender: senderOf(v, 0), sequence: sequenceOf(v, 0), sections };
}

/** openFrameAt() for a frame that is all of `bytes`. */
export function openFrame(
  bytes: Uint8Array,
  source: number,
  resolve: (ref: BlockRef, source: number) => Uint8Array,
  receivePieces: (section: Uint8Array, source: number) => Uint8Array,
): Opened {
  return openFrameAt(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.byteLength, source, resolve, receivePieces);
}

/** readRowsAt() for a batch section that is all of `section`. */
export function readRows(section: Uint8Array, payloads: readonly Uint8Array[], onArrow?: (value: object, bytes: Uint8Array) => void): Row[] {
  return readRowsAt(section, new DataView(section.buffer, section.byteOffset, section.byteLength), 0, section.byteLength, payloads, onArrow);
}
