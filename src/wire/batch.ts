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
import { FlatReader, HEADER_RECORD_BATCH, readMessage } from './flatbuf.js';
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
    const m = 8; // metadata position in the section
    const body = m + meta.byteLength;
    let off = 0;
    let b = 0;
    const region = (len: number) => {
      const p = m + template.buffers + 16 * b++;
      v.setUint32(p, off, true);
      v.setUint32(p + 4, 0, true);
      v.setUint32(p + 8, len, true);
      v.setUint32(p + 12, 0, true);
      const start = off;
      off += pad8(len);
      return body + start;
    };
    const column = (bytes: Uint8Array) => {
      region(0); // no validity bitmap: no nulls
      out.set(bytes, at + region(bytes.byteLength));
    };
    const u8 = (a: Int32Array | Float64Array, len: number) => new Uint8Array(a.buffer, a.byteOffset, len * a.BYTES_PER_ELEMENT);
    column(this.kinds.subarray(0, n));
    column(u8(this.ranks, n));
    column(u8(this.ids, n));
    column(u8(this.aux, n));
    region(0);
    out.set(u8(this.nameEnds, n + 1), at + region(4 * (n + 1)));
    out.set(this.names.buf.subarray(0, this.names.at), at + region(this.names.at));
    region(0);
    out.set(u8(this.bodyEnds, n + 1), at + region(4 * (n + 1)));
    out.set(this.bodies.buf.subarray(0, this.bodies.at), at + region(this.bodies.at));
    for (let f = 0; f < FIELDS; f++) {
      const p = m + template.nodes + 16 * f;
      v.setUint32(p, n, true);
      v.setUint32(p + 4, 0, true);
      v.setUint32(p + 8, 0, true);
      v.setUint32(p + 12, 0, true);
    }
    v.setUint32(m + template.length, n, true);
    v.setUint32(m + template.length + 4, 0, true);
    v.setUint32(m + template.bodyLength, off, true);
    v.setUint32(m + template.bodyLength + 4, 0, true);
    // Padding between columns is zero (the receiver may check it).
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
  const shape = readMessage(section.subarray(8, 8 + metaLen));
  if (shape.headerType !== HEADER_RECORD_BATCH) throw new RangeError(`batch header type ${shape.headerType}`);
  const n = shape.length;
  const bodyAt = 8 + metaLen;
  if (shape.bodyLength !== section.byteLength - bodyAt) throw new RangeError(`batch body of ${shape.bodyLength} bytes in a section of ${section.byteLength - bodyAt}`);
  if (n < 1 || shape.nodes.length !== FIELDS || shape.buffers.length !== BUFFERS) throw new RangeError(`batch of ${n} rows, ${shape.nodes.length} columns and ${shape.buffers.length} buffers`);
  for (const node of shape.nodes) if (node.length !== n || node.nullCount !== 0) throw new RangeError('batch columns disagree on their length or hold nulls');
  const want = [0, n, 0, 4 * n, 0, 8 * n, 0, 8 * n, 0, 4 * (n + 1), -1, 0, 4 * (n + 1), -1];
  const cols: Uint8Array[] = [];
  shape.buffers.forEach((r, i) => {
    if (want[i] !== -1 && r.length !== want[i]) throw new RangeError(`batch buffer ${i} is ${r.length} bytes, ${want[i]} expected`);
    if (r.offset % 8 !== 0 || r.offset + r.length > shape.bodyLength) throw new RangeError(`batch buffer ${i} (${r.offset}+${r.length}) is misplaced`);
    cols.push(section.subarray(bodyAt + r.offset, bodyAt + r.offset + r.length));
  });
  const at = (c: Uint8Array) => c.byteOffset;
  const buf = section.buffer;
  const kinds = cols[1]!;
  const ranks = new Int32Array(buf, at(cols[3]!), n);
  const ids = new Float64Array(buf, at(cols[5]!), n);
  const aux = new Float64Array(buf, at(cols[7]!), n);
  const nameEnds = new Int32Array(buf, at(cols[9]!), n + 1);
  const names = cols[10]!;
  const bodyEnds = new Int32Array(buf, at(cols[12]!), n + 1);
  const bodies = cols[13]!;
  if (nameEnds[0] !== 0 || bodyEnds[0] !== 0) throw new RangeError('batch offsets do not start at 0');
  const rows: Row[] = new Array(n);
  reader.onArrow = onArrow;
  let lastName = '';
  let lastNameStart = -1;
  let lastNameEnd = -1;
  for (let i = 0; i < n; i++) {
    const ns = nameEnds[i]!;
    const ne = nameEnds[i + 1]!;
    if (ne < ns || ne > names.byteLength) throw new RangeError(`batch row ${i} name offsets ${ns}..${ne} out of bounds`);
    let name = '';
    if (ne > ns) {
      // Rows of a batch mostly share a few names: reuse the last when the bytes match.
      if (ne - ns === lastNameEnd - lastNameStart && sameBytes(names, ns, ne, lastNameStart)) name = lastName;
      else name = decoder.decode(names.subarray(ns, ne));
      lastName = name;
      lastNameStart = ns;
      lastNameEnd = ne;
    }
    const bs = bodyEnds[i]!;
    const be = bodyEnds[i + 1]!;
    if (be < bs || be > bodies.byteLength) throw new RangeError(`batch row ${i} body offsets ${bs}..${be} out of bounds`);
    const hasValue = be > bs;
    const value = hasValue ? reader.reset(bodies, bs, be, payloads).value() : undefined;
    rows[i] = { kind: kinds[i]!, rank: ranks[i]!, id: ids[i]!, aux: aux[i]!, name, value, hasValue };
  }
  reader.onArrow = undefined;
  reader.clear(); // hold no payload of this frame beyond the rows
  return rows;
}

function sameBytes(a: Uint8Array, s1: number, e1: number, s2: number): boolean {
  for (let i = 0; i < e1 - s1; i++) if (a[s1 + i] !== a[s2 + i]) return false;
  return true;
}
