// A batch of messages to one peer is one Arrow record batch, one row per
// message, so a thousand tiny tasks cost one header and a few columns:
//
//   kind: uint8   rank: int32   id: float64   aux: float64
//   name: utf8    body: binary (the value codec's bytes; empty = no value)
//
// The section holds an Arrow IPC encapsulated message (continuation marker,
// metadata length, RecordBatch flatbuffer, body); with the schema below in
// front any Arrow reader reads it. The metadata is a template patched in
// place: building a flatbuffer per batch would cost more than the rows.
import { Binary, Field, Float64, Int32, Schema, Uint8, Utf8 } from 'apache-arrow';
import { BufferRegion, FieldNode, Message, RecordBatch as RecordBatchHeader } from 'apache-arrow/ipc/metadata/message';
import { FlatReader, HEADER_RECORD_BATCH, readMessage, type MessageShape } from './flatbuf.js';
import { Reader, Writer, writeValue, type Payload } from './values.js';

export const batchSchema = new Schema([
  new Field('kind', new Uint8(), false),
  new Field('rank', new Int32(), false),
  new Field('id', new Float64(), false),
  new Field('aux', new Float64(), false),
  new Field('name', new Utf8(), false),
  new Field('body', new Binary(), false),
]);
const FIELDS = 6;
const BUFFERS = 14; // validity + values ×4, validity + offsets + data ×2
// Bytes per row of each buffer (-1: any length); offsets have one entry more than rows.
const WIDTH = [0, 1, 0, 4, 0, 8, 0, 8, 0, 4, -1, 0, 4, -1];

/** One message of a batch. */
export interface Row {
  kind: number;
  rank: number;
  id: number;
  aux: number;
  /** '' when none. */
  name: string;
  /** The decoded value (undefined when the row carries none). */
  value: unknown;
  hasValue: boolean;
}

const pad8 = (n: number) => (n + 7) & ~7;

// The RecordBatch metadata for some n >= 1, and where its numbers sit.
const template = (() => {
  const nodes = Array.from({ length: FIELDS }, () => new FieldNode(1, 0));
  const regions = Array.from({ length: BUFFERS }, () => new BufferRegion(0, 0));
  const meta = Message.encode(Message.from(new RecordBatchHeader(1, nodes, regions, null), 8));
  const bytes = new Uint8Array(pad8(meta.byteLength));
  bytes.set(meta);
  const r = new FlatReader(bytes);
  const m = r.root();
  const h = r.table(r.field(m, 2));
  return {
    bytes,
    bodyLength: r.field(m, 3),
    length: r.field(h, 0),
    nodes: r.vector(r.field(h, 1), 16).start,
    buffers: r.vector(r.field(h, 2), 16).start,
  };
})();

// Records buffer `b` of the batch at body offset `off`; returns the next offset.
function region(v: DataView, b: number, off: number, len: number): number {
  const p = 8 + template.buffers + 16 * b;
  v.setUint32(p, off, true);
  v.setUint32(p + 4, 0, true);
  v.setUint32(p + 8, len, true);
  v.setUint32(p + 12, 0, true);
  return off + pad8(len);
}

// Copies a column into the body (small columns byte by byte: cheaper than TypedArray#set).
function column(out: Uint8Array, bodyAt: number, v: DataView, b: number, off: number, src: ArrayBufferLike, srcOffset: number, len: number): number {
  const to = bodyAt + off;
  if (len <= 64) {
    const from = new Uint8Array(src, srcOffset, len);
    for (let i = 0; i < len; i++) out[to + i] = from[i]!;
  } else {
    out.set(new Uint8Array(src, srcOffset, len), to);
  }
  return region(v, b, off, len);
}

// The 32-bit words of the metadata template that never change (everything
// but the numbers patched per batch).
const fixedWords = (() => {
  const patched = new Set<number>();
  const mark = (at: number, bytes: number) => {
    for (let b = at; b < at + bytes; b += 4) patched.add(b);
  };
  mark(template.bodyLength, 8);
  mark(template.length, 8);
  mark(template.nodes, 16 * FIELDS);
  mark(template.buffers, 16 * BUFFERS);
  const words: number[] = [];
  const tv = new DataView(template.bytes.buffer, template.bytes.byteOffset, template.bytes.byteLength);
  for (let b = 0; b < template.bytes.byteLength; b += 4) if (!patched.has(b)) words.push(b, tv.getUint32(b, true));
  return words;
})();

// A batch written by this code: the metadata is the template, word for word
// but for the patched numbers, which are read where the template has them.
// Anything else goes through the general (checked) flatbuffer reader.
function fromTemplate(v: DataView, metaLen: number): MessageShape | null {
  if (metaLen !== template.bytes.byteLength) return null;
  for (let i = 0; i < fixedWords.length; i += 2) if (v.getUint32(8 + fixedWords[i]!, true) !== fixedWords[i + 1]) return null;
  const u64 = (at: number) => {
    const hi = v.getUint32(8 + at + 4, true);
    if (hi !== 0) return -1; // beyond 4 G: not ours
    return v.getUint32(8 + at, true);
  };
  const nodes = new Array<{ length: number; nullCount: number }>(FIELDS);
  for (let f = 0; f < FIELDS; f++) nodes[f] = { length: u64(template.nodes + 16 * f), nullCount: u64(template.nodes + 16 * f + 8) };
  const buffers = new Array<{ offset: number; length: number }>(BUFFERS);
  for (let b = 0; b < BUFFERS; b++) buffers[b] = { offset: u64(template.buffers + 16 * b), length: u64(template.buffers + 16 * b + 8) };
  return { headerType: HEADER_RECORD_BATCH, bodyLength: u64(template.bodyLength), length: u64(template.length), nodes, buffers };
}

function grow<T extends Uint8Array | Int32Array | Float64Array>(a: T, n: number): T {
  if (n <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

/** Rows for one peer, encoded as they are added. */
export class BatchBuilder {
  count = 0;
  kinds = new Uint8Array(16);
  ranks = new Int32Array(16);
  ids = new Float64Array(16);
  aux = new Float64Array(16);
  nameEnds = new Int32Array(17);
  names = new Writer();
  bodyEnds = new Int32Array(17);
  bodies = new Writer();
  /** Out-of-band payloads of all rows, indexed by the rows' values. */
  payloads: Payload[] = [];

  /**
   * Adds a row; its value is encoded now. SerializationError (naming `path`)
   * when the value cannot travel, and the batch is left as it was.
   */
  add(kind: number, rank: number, id: number, aux: number, name: string, value?: unknown, hasValue = value !== undefined, path = 'value'): void {
    const i = this.count;
    if (hasValue) writeValue(this.bodies, value, this.payloads, path);
    if (i === this.kinds.length) {
      const n = i + 1;
      this.kinds = grow(this.kinds, n);
      this.ranks = grow(this.ranks, n);
      this.ids = grow(this.ids, n);
      this.aux = grow(this.aux, n);
      this.nameEnds = grow(this.nameEnds, this.kinds.length + 1);
      this.bodyEnds = grow(this.bodyEnds, this.kinds.length + 1);
    }
    this.kinds[i] = kind;
    this.ranks[i] = rank;
    this.ids[i] = id;
    this.aux[i] = aux;
    if (name.length > 0) this.names.raw(name);
    this.nameEnds[i + 1] = this.names.at;
    this.bodyEnds[i + 1] = this.bodies.at;
    this.count = i + 1;
  }

  /** About the bytes of the section, cheaply (for flush thresholds). */
  get bytesHint(): number {
    return this.names.at + this.bodies.at + 32 * this.count;
  }

  /** Bytes the section will take. */
  get byteLength(): number {
    const n = this.count;
    return 8 + template.bytes.byteLength + pad8(n) + pad8(4 * n) + 16 * n + 2 * pad8(4 * (n + 1)) + pad8(this.names.at) + pad8(this.bodies.at);
  }

  /** Writes the section (an IPC record-batch message) at out[at...]; returns its length. */
  write(out: Uint8Array, at: number): number {
    const n = this.count;
    if (n === 0) throw new RangeError('an empty batch is not sent');
    const meta = template.bytes;
    const v = new DataView(out.buffer, out.byteOffset + at, this.byteLength);
    v.setUint32(0, 0xffffffff, true);
    v.setInt32(4, meta.byteLength, true);
    out.set(meta, at + 8);
    const body = 8 + meta.byteLength;
    // Columns in schema order; each without a validity bitmap (no nulls).
    let off = 0;
    off = region(v, 0, off, 0);
    off = column(out, at + body, v, 1, off, this.kinds.buffer, 0, n);
    off = region(v, 2, off, 0);
    off = column(out, at + body, v, 3, off, this.ranks.buffer, 0, 4 * n);
    off = region(v, 4, off, 0);
    off = column(out, at + body, v, 5, off, this.ids.buffer, 0, 8 * n);
    off = region(v, 6, off, 0);
    off = column(out, at + body, v, 7, off, this.aux.buffer, 0, 8 * n);
    off = region(v, 8, off, 0);
    off = column(out, at + body, v, 9, off, this.nameEnds.buffer, 0, 4 * (n + 1));
    off = column(out, at + body, v, 10, off, this.names.buf.buffer, this.names.buf.byteOffset, this.names.at);
    off = region(v, 11, off, 0);
    off = column(out, at + body, v, 12, off, this.bodyEnds.buffer, 0, 4 * (n + 1));
    off = column(out, at + body, v, 13, off, this.bodies.buf.buffer, this.bodies.buf.byteOffset, this.bodies.at);
    for (let f = 0; f < FIELDS; f++) {
      const p = 8 + template.nodes + 16 * f;
      v.setUint32(p, n, true);
      v.setUint32(p + 4, 0, true);
      v.setUint32(p + 8, 0, true);
      v.setUint32(p + 12, 0, true);
    }
    v.setUint32(8 + template.length, n, true);
    v.setUint32(8 + template.length + 4, 0, true);
    v.setUint32(8 + template.bodyLength, off, true);
    v.setUint32(8 + template.bodyLength + 4, 0, true);
    // Padding between columns is zero: `out` is fresh.
    return body + off;
  }

  /** The section as its own bytes. */
  encode(): Uint8Array {
    const out = new Uint8Array(this.byteLength);
    this.write(out, 0);
    return out;
  }

  clear(): void {
    this.count = 0;
    this.names.at = 0;
    this.bodies.at = 0;
    this.payloads = [];
    // Keep scratch from growing without bound after one huge batch.
    if (this.bodies.buf.length > 1 << 22) this.bodies = new Writer();
  }
}

const reader = new Reader();
const decoder = new TextDecoder();

function utf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 32) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 0x80) return decoder.decode(bytes.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(bytes.subarray(start, end));
}

/**
 * Reads a batch section: checks the metadata and every column's size and
 * bounds, then decodes each row. `payloads` are the frame's out-of-band
 * bytes. RangeError for anything malformed.
 */
export function readRows(section: Uint8Array, payloads: readonly Uint8Array[], onArrow?: (value: object, bytes: Uint8Array) => void): Row[] {
  if (section.byteOffset % 8 !== 0) throw new RangeError('batch is not 8-aligned');
  const v = new DataView(section.buffer, section.byteOffset, section.byteLength);
  if (section.byteLength < 8 || v.getUint32(0, true) !== 0xffffffff) throw new RangeError('batch lacks the continuation marker');
  const metaLen = v.getInt32(4, true);
  if (metaLen <= 0 || metaLen % 8 !== 0 || 8 + metaLen > section.byteLength) throw new RangeError(`batch metadata of ${metaLen} bytes does not fit`);
  const shape = fromTemplate(v, metaLen) ?? readMessage(section.subarray(8, 8 + metaLen));
  if (shape.headerType !== HEADER_RECORD_BATCH) throw new RangeError(`batch header type ${shape.headerType}`);
  const n = shape.length;
  const bodyAt = 8 + metaLen;
  if (shape.bodyLength !== section.byteLength - bodyAt) throw new RangeError(`batch body of ${shape.bodyLength} bytes in a section of ${section.byteLength - bodyAt}`);
  if (n < 1 || shape.nodes.length !== FIELDS || shape.buffers.length !== BUFFERS) throw new RangeError(`batch of ${n} rows, ${shape.nodes.length} columns and ${shape.buffers.length} buffers`);
  for (const node of shape.nodes) if (node.length !== n || node.nullCount !== 0) throw new RangeError('batch columns disagree on their length or hold nulls');
  for (let i = 0; i < BUFFERS; i++) {
    const r = shape.buffers[i]!;
    const want = WIDTH[i]! < 0 ? r.length : WIDTH[i]! * n + (i === 9 || i === 12 ? 4 : 0);
    if (r.length !== want) throw new RangeError(`batch buffer ${i} is ${r.length} bytes, ${want} expected`);
    if (r.offset % 8 !== 0 || r.offset + r.length > shape.bodyLength) throw new RangeError(`batch buffer ${i} (${r.offset}+${r.length}) is misplaced`);
  }
  // Columns are read through the section's DataView: no view objects per batch.
  const at = (i: number) => bodyAt + shape.buffers[i]!.offset;
  const kinds = at(1);
  const ranks = at(3);
  const ids = at(5);
  const aux = at(7);
  const nameEnds = at(9);
  const names = section.subarray(at(10), at(10) + shape.buffers[10]!.length);
  const bodyEnds = at(12);
  const bodies = section.subarray(at(13), at(13) + shape.buffers[13]!.length);
  if (v.getInt32(nameEnds, true) !== 0 || v.getInt32(bodyEnds, true) !== 0) throw new RangeError('batch offsets do not start at 0');
  const rows: Row[] = new Array(n);
  reader.onArrow = onArrow;
  let lastName = '';
  let lastNameStart = -1;
  let lastNameEnd = -1;
  for (let i = 0; i < n; i++) {
    const ns = v.getInt32(nameEnds + 4 * i, true);
    const ne = v.getInt32(nameEnds + 4 * i + 4, true);
    if (ne < ns || ne > names.byteLength) throw new RangeError(`batch row ${i} name offsets ${ns}..${ne} out of bounds`);
    let name = '';
    if (ne > ns) {
      // Rows of a batch mostly share a few names: reuse the last when the bytes match.
      if (ne - ns === lastNameEnd - lastNameStart && sameBytes(names, ns, ne, lastNameStart)) name = lastName;
      else name = utf8(names, ns, ne);
      lastName = name;
      lastNameStart = ns;
      lastNameEnd = ne;
    }
    const bs = v.getInt32(bodyEnds + 4 * i, true);
    const be = v.getInt32(bodyEnds + 4 * i + 4, true);
    if (be < bs || be > bodies.byteLength) throw new RangeError(`batch row ${i} body offsets ${bs}..${be} out of bounds`);
    const hasValue = be > bs;
    const value = hasValue ? reader.reset(bodies, bs, be, payloads).value() : undefined;
    rows[i] = {
      kind: v.getUint8(kinds + i),
      rank: v.getInt32(ranks + 4 * i, true),
      id: v.getFloat64(ids + 8 * i, true),
      aux: v.getFloat64(aux + 8 * i, true),
      name,
      value,
      hasValue,
    };
  }
  reader.onArrow = undefined;
  reader.clear(); // hold no payload of this frame beyond the rows
  return rows;
}

function sameBytes(a: Uint8Array, s1: number, e1: number, s2: number): boolean {
  for (let i = 0; i < e1 - s1; i++) if (a[s1 + i] !== a[s2 + i]) return false;
  return true;
}
