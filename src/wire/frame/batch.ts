// A batch of messages to one peer is one Arrow record batch, one row per
// message, so a thousand tiny tasks cost one header and a few columns
// (batch-layout.ts). The section holds an Arrow IPC encapsulated message
// (continuation marker, metadata length, RecordBatch flatbuffer, body).
import { MalformedError } from '../../errors.js';
import { readMessage } from '../values/flatbuf.js';
import { METADATA_BYTES, checkShape, layoutOf, ourLayout } from './batch-layout.js';
import { Reader, writeValue, type Payload } from '../values/codec.js';
import { Writer } from '../values/writer.js';

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

// Small copies byte by byte: cheaper than a view and TypedArray#set.
function copyBytes(out: Uint8Array, to: number, from: Uint8Array, len: number): void {
  if (len <= 64) for (let i = 0; i < len; i++) out[to + i] = from[i]!;
  else out.set(from.subarray(0, len), to);
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
    return 8 + METADATA_BYTES + layoutOf(this.count, this.names.at, this.bodies.at).bodyLength;
  }

  /**
   * Writes the section (an IPC record-batch message) at out[at...], whose
   * padding must be zero; `v` views all of `out`. Returns its length.
   */
  write(out: Uint8Array, at: number, v = new DataView(out.buffer, out.byteOffset, out.byteLength)): number {
    const n = this.count;
    if (n === 0) throw new MalformedError('an empty batch is not sent');
    const l = layoutOf(n, this.names.at, this.bodies.at);
    const meta = l.meta;
    v.setUint32(at, 0xffffffff, true);
    v.setInt32(at + 4, meta.byteLength, true);
    out.set(meta, at + 8);
    const body = at + 8 + meta.byteLength;
    const b = l.at;
    // Columns in schema order, none with a validity bitmap (no nulls). A few
    // rows go value by value: cheaper than a view and a copy per column.
    if (n <= 8) {
      for (let i = 0; i < n; i++) {
        out[body + b[1]! + i] = this.kinds[i]!;
        v.setInt32(body + b[3]! + 4 * i, this.ranks[i]!, true);
        v.setFloat64(body + b[5]! + 8 * i, this.ids[i]!, true);
        v.setFloat64(body + b[7]! + 8 * i, this.aux[i]!, true);
      }
      for (let i = 0; i <= n; i++) {
        v.setInt32(body + b[9]! + 4 * i, this.nameEnds[i]!, true);
        v.setInt32(body + b[12]! + 4 * i, this.bodyEnds[i]!, true);
      }
    } else {
      out.set(this.kinds.subarray(0, n), body + b[1]!);
      out.set(new Uint8Array(this.ranks.buffer, 0, 4 * n), body + b[3]!);
      out.set(new Uint8Array(this.ids.buffer, 0, 8 * n), body + b[5]!);
      out.set(new Uint8Array(this.aux.buffer, 0, 8 * n), body + b[7]!);
      out.set(new Uint8Array(this.nameEnds.buffer, 0, 4 * (n + 1)), body + b[9]!);
      out.set(new Uint8Array(this.bodyEnds.buffer, 0, 4 * (n + 1)), body + b[12]!);
    }
    copyBytes(out, body + b[10]!, this.names.buf, this.names.at);
    copyBytes(out, body + b[13]!, this.bodies.buf, this.bodies.at);
    return 8 + meta.byteLength + l.bodyLength;
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
    if (this.payloads.length > 0) this.payloads = [];
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
 * Reads the batch section at bytes[start, start + length) (`v` views all of
 * `bytes`): checks the metadata and every column's size and bounds, then
 * decodes each row. `payloads` are the frame's out-of-band bytes. MalformedError
 * for anything malformed.
 */
export function readRowsAt(
  bytes: Uint8Array,
  v: DataView,
  start: number,
  length: number,
  payloads: readonly Uint8Array[],
  onArrow?: (value: object, bytes: Uint8Array) => void,
): Row[] {
  if ((bytes.byteOffset + start) % 8 !== 0) throw new MalformedError('batch is not 8-aligned');
  if (length < 8 || v.getUint32(start, true) !== 0xffffffff) throw new MalformedError('batch lacks the continuation marker');
  const metaLen = v.getInt32(start + 4, true);
  if (metaLen <= 0 || metaLen % 8 !== 0 || 8 + metaLen > length) throw new MalformedError(`batch metadata of ${metaLen} bytes does not fit`);
  const bodyAt = start + 8 + metaLen;
  const ours = ourLayout(bytes, v, start, metaLen, length);
  let n: number;
  let at: ArrayLike<number>;
  let namesLength: number;
  let bodiesLength: number;
  if (ours) {
    if (ours.bodyLength !== length - 8 - metaLen) throw new MalformedError(`batch body of ${ours.bodyLength} bytes in a section of ${length - 8 - metaLen}`);
    n = ours.n;
    at = ours.at;
    namesLength = ours.names;
    bodiesLength = ours.bodies;
  } else {
    const shape = readMessage(bytes.subarray(start + 8, start + 8 + metaLen));
    checkShape(shape, length - 8 - metaLen);
    n = shape.length;
    at = shape.buffers.map((b) => b.offset);
    namesLength = shape.buffers[10]!.length;
    bodiesLength = shape.buffers[13]!.length;
  }
  // Columns are read through the section's DataView: no view objects per batch.
  const kinds = bodyAt + at[1]!;
  const ranks = bodyAt + at[3]!;
  const ids = bodyAt + at[5]!;
  const aux = bodyAt + at[7]!;
  const nameEnds = bodyAt + at[9]!;
  const names = bodyAt + at[10]!;
  const bodyEnds = bodyAt + at[12]!;
  const bodies = bodyAt + at[13]!;
  if (v.getInt32(nameEnds, true) !== 0 || v.getInt32(bodyEnds, true) !== 0) throw new MalformedError('batch offsets do not start at 0');
  const rows: Row[] = new Array(n);
  reader.onArrow = onArrow;
  for (let i = 0; i < n; i++) {
    const ns = v.getInt32(nameEnds + 4 * i, true);
    const ne = v.getInt32(nameEnds + 4 * i + 4, true);
    if (ne < ns || ne > namesLength) throw new MalformedError(`batch row ${i} name offsets ${ns}..${ne} out of bounds`);
    const name = ne > ns ? nameOf(bytes, names + ns, names + ne) : '';
    const bs = v.getInt32(bodyEnds + 4 * i, true);
    const be = v.getInt32(bodyEnds + 4 * i + 4, true);
    if (be < bs || be > bodiesLength) throw new MalformedError(`batch row ${i} body offsets ${bs}..${be} out of bounds`);
    const hasValue = be > bs;
    const value = hasValue ? reader.reset(bytes, bodies + bs, bodies + be, payloads, v).value() : undefined;
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

// Rows mostly share a few names, within a batch and from one batch to the
// next: the last name decoded is kept with its bytes (up to 64) and reused
// when they match.
let lastName = '';
const lastNameBytes = new Uint8Array(64);
let lastNameLength = -1;

// The name in bytes[start, end).
function nameOf(bytes: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (len === lastNameLength) {
    let i = 0;
    while (i < len && bytes[start + i] === lastNameBytes[i]) i++;
    if (i === len) return lastName;
  }
  lastName = utf8(bytes, start, end);
  if (len <= lastNameBytes.length) {
    for (let i = 0; i < len; i++) lastNameBytes[i] = bytes[start + i]!;
    lastNameLength = len;
  } else {
    lastNameLength = -1;
  }
  return lastName;
}
