// A bounds-checked reader for the flatbuffers that Arrow IPC metadata is made
// of. apache-arrow decodes metadata without checks: a corrupt vector length
// makes it loop billions of times. Every received metadata message passes
// through here first; every read is inside the buffer or a MalformedError.
import { MalformedError } from '../../errors.js';

export class FlatReader {
  private readonly v: DataView;
  readonly length: number;

  constructor(readonly bytes: Uint8Array) {
    this.v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.byteLength;
  }

  private at(pos: number, width: number): number {
    if (!(pos >= 0 && pos + width <= this.length)) throw new MalformedError(`flatbuffer read of ${width} bytes at ${pos} outside ${this.length} bytes`);
    return pos;
  }
  u8(pos: number): number {
    return this.v.getUint8(this.at(pos, 1));
  }
  u16(pos: number): number {
    return this.v.getUint16(this.at(pos, 2), true);
  }
  i32(pos: number): number {
    return this.v.getInt32(this.at(pos, 4), true);
  }
  u32(pos: number): number {
    return this.v.getUint32(this.at(pos, 4), true);
  }
  /** A 64-bit integer that must be a safe JS number. */
  i64(pos: number): number {
    const lo = this.v.getUint32(this.at(pos, 8), true);
    const hi = this.v.getInt32(pos + 4, true);
    const x = hi * 2 ** 32 + lo;
    if (!Number.isSafeInteger(x)) throw new MalformedError(`flatbuffer integer at ${pos} is out of range`);
    return x;
  }

  /** Position of the root table. */
  root(): number {
    return this.table(0);
  }
  /** Follows the offset stored at `pos` to a table. */
  table(pos: number): number {
    const t = pos + this.u32(pos);
    this.vtable(t);
    return t;
  }
  private vtable(t: number): number {
    const vt = t - this.i32(t);
    const size = this.u16(vt);
    if (size < 4 || size % 2 !== 0) throw new MalformedError(`flatbuffer vtable at ${vt} has size ${size}`);
    this.at(vt, size);
    return vt;
  }
  /** Where field `index` of table `t` is, or 0 when absent. */
  field(t: number, index: number): number {
    const vt = this.vtable(t);
    const slot = 4 + 2 * index;
    if (slot >= this.u16(vt)) return 0;
    const off = this.u16(vt + slot);
    return off === 0 ? 0 : t + off;
  }
  /** A vector at the offset stored at `pos`: where its elements start, how many; all inside the buffer. */
  vector(pos: number, elementBytes: number): { start: number; count: number } {
    const v = pos + this.u32(pos);
    const count = this.u32(v);
    const start = v + 4;
    if (start + count * elementBytes > this.length) throw new MalformedError(`flatbuffer vector of ${count} elements runs past ${this.length} bytes`);
    return { start, count };
  }
}

// Arrow's Message table and the headers it holds (Message.fbs, Schema.fbs).
const MESSAGE = { headerType: 1, header: 2, bodyLength: 3, customMetadata: 4 };
const SCHEMA = { fields: 1, customMetadata: 2, features: 3 };
const FIELD = { name: 0, dictionary: 4, children: 5, customMetadata: 6 };
const RECORD_BATCH = { length: 0, nodes: 1, buffers: 2, compression: 3, variadicCounts: 4 };
const DICTIONARY_BATCH = { data: 1 };
export const HEADER_SCHEMA = 1;
export const HEADER_DICTIONARY_BATCH = 2;
export const HEADER_RECORD_BATCH = 3;

export interface MessageShape {
  headerType: number;
  bodyLength: number;
  /** Of a record or dictionary batch: rows, field nodes and body buffers. */
  length: number;
  nodes: { length: number; nullCount: number }[];
  buffers: { offset: number; length: number }[];
  /** A batch whose buffers are compressed. */
  compressed: boolean;
}

/**
 * Checks an Arrow IPC metadata flatbuffer deeply enough that decoding it
 * does work bounded by its size, and returns its shape.
 */
export function readMessage(bytes: Uint8Array): MessageShape {
  const r = new FlatReader(bytes);
  const m = r.root();
  const htPos = r.field(m, MESSAGE.headerType);
  const headerType = htPos ? r.u8(htPos) : 0;
  const hPos = r.field(m, MESSAGE.header);
  if (!hPos) throw new MalformedError('Arrow message without a header');
  const h = r.table(hPos);
  const blPos = r.field(m, MESSAGE.bodyLength);
  const bodyLength = blPos ? r.i64(blPos) : 0;
  const cm = r.field(m, MESSAGE.customMetadata);
  if (cm) r.vector(cm, 4);
  const shape: MessageShape = { headerType, bodyLength, length: 0, nodes: [], buffers: [], compressed: false };
  if (headerType === HEADER_SCHEMA) {
    checkSchema(r, h);
  } else if (headerType === HEADER_RECORD_BATCH) {
    readBatch(r, h, shape);
  } else if (headerType === HEADER_DICTIONARY_BATCH) {
    const d = r.field(h, DICTIONARY_BATCH.data);
    if (!d) throw new MalformedError('Arrow dictionary batch without data');
    readBatch(r, r.table(d), shape);
  } else {
    throw new MalformedError(`Arrow message header type ${headerType}`);
  }
  return shape;
}

function readBatch(r: FlatReader, b: number, shape: MessageShape): void {
  const lenPos = r.field(b, RECORD_BATCH.length);
  shape.length = lenPos ? r.i64(lenPos) : 0;
  const n = r.field(b, RECORD_BATCH.nodes);
  if (n) {
    const { start, count } = r.vector(n, 16);
    for (let i = 0; i < count; i++) shape.nodes.push({ length: r.i64(start + 16 * i), nullCount: r.i64(start + 16 * i + 8) });
  }
  const bu = r.field(b, RECORD_BATCH.buffers);
  if (bu) {
    const { start, count } = r.vector(bu, 16);
    for (let i = 0; i < count; i++) shape.buffers.push({ offset: r.i64(start + 16 * i), length: r.i64(start + 16 * i + 8) });
  }
  shape.compressed = r.field(b, RECORD_BATCH.compression) !== 0;
  const vc = r.field(b, RECORD_BATCH.variadicCounts);
  if (vc) r.vector(vc, 8);
}

// Fields form a tree; a corrupt one could share subtrees and grow without
// bound, so the walk counts every field it visits.
function checkSchema(r: FlatReader, s: number): void {
  const budget = { fields: Math.floor(r.length / 4) };
  const f = r.field(s, SCHEMA.fields);
  if (f) checkFields(r, f, budget, 0);
  const cm = r.field(s, SCHEMA.customMetadata);
  if (cm) r.vector(cm, 4);
  const ft = r.field(s, SCHEMA.features);
  if (ft) r.vector(ft, 8);
}

function checkFields(r: FlatReader, pos: number, budget: { fields: number }, depth: number): void {
  if (depth > 64) throw new MalformedError('Arrow schema nested too deeply');
  const { start, count } = r.vector(pos, 4);
  for (let i = 0; i < count; i++) {
    if (--budget.fields < 0) throw new MalformedError('Arrow schema has more fields than its size allows');
    const field = r.table(start + 4 * i);
    const name = r.field(field, FIELD.name);
    if (name) r.vector(name, 1);
    const dict = r.field(field, FIELD.dictionary);
    if (dict) r.table(dict);
    const cm = r.field(field, FIELD.customMetadata);
    if (cm) r.vector(cm, 4);
    const children = r.field(field, FIELD.children);
    if (children) checkFields(r, children, budget, depth + 1);
  }
}
