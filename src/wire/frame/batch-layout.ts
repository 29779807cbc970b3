// The Arrow metadata of a batch section: a RecordBatch message whose
// columns are
//
//   kind: uint8   rank: int32   id: float64   aux: float64
//   name: utf8    body: binary (the value codec's bytes; empty = no value)
//
// with no validity bitmaps (no nulls). The metadata is a template patched
// once per shape (rows, name bytes, body bytes) and cached: building or
// parsing a flatbuffer per batch would cost more than the rows.
import { MalformedError, TaskloafError } from '../../errors.js';
import { Binary, Field, Float64, Int32, RecordBatch, RecordBatchStreamWriter, Schema, Struct, Uint8, Utf8, makeData } from 'apache-arrow';
import { FlatReader, HEADER_RECORD_BATCH, readMessage, type MessageShape } from '../values/flatbuf.js';
import { arrowVersions } from '../values/arrow-foreign.js';

/** With this schema in front, any Arrow reader reads a batch section. */
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

const pad8 = (n: number) => (n + 7) & ~7;

// The RecordBatch metadata for some n >= 1, and where its numbers sit: the
// metadata apache-arrow's stream writer gives a batch of one row, taken from
// the stream (its public API builds no message on its own). Every number in
// it is written again per shape, so the row's values do not matter.
const template = (() => {
  const one = { length: 1, nullCount: 0 };
  const variable = { ...one, valueOffsets: new Int32Array(2), data: new Uint8Array(0) };
  const [kind, rank, id, aux, name, body] = batchSchema.fields.map((f) => f.type);
  const columns = [
    makeData({ ...one, type: kind as Uint8, data: new Uint8Array(1) }),
    makeData({ ...one, type: rank as Int32, data: new Int32Array(1) }),
    makeData({ ...one, type: id as Float64, data: new Float64Array(1) }),
    makeData({ ...one, type: aux as Float64, data: new Float64Array(1) }),
    makeData({ ...variable, type: name as Utf8 }),
    makeData({ ...variable, type: body as Binary }),
  ];
  const batch = new RecordBatch(batchSchema, makeData({ ...one, type: new Struct(batchSchema.fields), children: columns }));
  const stream = RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
  const v = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  // Messages: continuation marker, metadata length, metadata, body.
  for (let at = 0; at + 8 <= stream.byteLength; ) {
    const len = v.getInt32(at + 4, true);
    const meta = stream.subarray(at + 8, at + 8 + len);
    const shape = readMessage(meta);
    if (shape.headerType !== HEADER_RECORD_BATCH) {
      at += 8 + len + shape.bodyLength;
      continue;
    }
    if (len % 8 !== 0 || shape.nodes.length !== FIELDS || shape.buffers.length !== BUFFERS) throw new TaskloafError('ERR_ARROW_UNSUPPORTED', `the installed apache-arrow ${arrowVersions().taskloaf ?? '(version unknown)'} wrote a batch message of a shape taskloaf does not know (see package.json peerDependencies for the versions it supports)`);
    const bytes = meta.slice();
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
  }
  throw new TaskloafError('ERR_ARROW_UNSUPPORTED', `the installed apache-arrow ${arrowVersions().taskloaf ?? '(version unknown)'} wrote no batch message`);
})();

// Where each buffer of a batch of n rows sits in its body, and the metadata
// describing it: a pure function of n and the bytes of names and bodies. The
// writer copies the metadata whole; the reader compares a received one with it
// byte for byte, which checks it as fully as reading it would. A few recent
// shapes are kept: a rank mostly sends and receives the same few (a call of a
// task, its result).
export interface Layout {
  n: number;
  names: number;
  bodies: number;
  /** The metadata, template length. */
  meta: Uint8Array;
  /** The metadata as a Buffer, for its compare(). */
  metaBuffer: Buffer;
  /** Body offset of each buffer. */
  at: Int32Array;
  bodyLength: number;
}

function makeLayout(n: number, names: number, bodies: number): Layout {
  const lengths = [0, n, 0, 4 * n, 0, 8 * n, 0, 8 * n, 0, 4 * (n + 1), names, 0, 4 * (n + 1), bodies];
  const meta = new Uint8Array(template.bytes);
  const v = new DataView(meta.buffer);
  const at = new Int32Array(BUFFERS);
  let off = 0;
  for (let b = 0; b < BUFFERS; b++) {
    at[b] = off;
    const p = template.buffers + 16 * b;
    v.setUint32(p, off, true);
    v.setUint32(p + 8, lengths[b]!, true);
    off += pad8(lengths[b]!);
  }
  for (let f = 0; f < FIELDS; f++) v.setUint32(template.nodes + 16 * f, n, true);
  v.setUint32(template.length, n, true);
  v.setUint32(template.bodyLength, off, true);
  return { n, names, bodies, meta, metaBuffer: Buffer.from(meta.buffer, meta.byteOffset, meta.byteLength), at, bodyLength: off };
}

const recent: Layout[] = [];
let nextRecent = 0;
export function layoutOf(n: number, names: number, bodies: number): Layout {
  for (let i = 0; i < recent.length; i++) {
    const l = recent[i]!;
    if (l.n === n && l.names === names && l.bodies === bodies) return l;
  }
  const l = makeLayout(n, names, bodies);
  recent[nextRecent] = l;
  nextRecent = (nextRecent + 1) % 8;
  return l;
}

// The layout of a received batch if its metadata is exactly one this code
// writes (any other goes through the general, checked flatbuffer reader).
export function ourLayout(bytes: Uint8Array, v: DataView, start: number, metaLen: number, sectionLength: number): Layout | null {
  if (metaLen !== template.bytes.byteLength) return null;
  const at = start + 8;
  const n = v.getUint32(at + template.length, true);
  const names = v.getUint32(at + template.buffers + 16 * 10 + 8, true);
  const bodies = v.getUint32(at + template.buffers + 16 * 13 + 8, true);
  // Sizes no section of this length could hold: not ours (the general reader says why).
  if (n < 1 || n > sectionLength || names > sectionLength || bodies > sectionLength) return null;
  const l = layoutOf(n, names, bodies);
  // One memcmp: cheaper than comparing word by word in JavaScript.
  return l.metaBuffer.compare(bytes, at, at + metaLen) === 0 ? l : null;
}

// A batch described by general metadata: exactly our columns, in bounds.
export function checkShape(shape: MessageShape, bodyLength: number): void {
  if (shape.headerType !== HEADER_RECORD_BATCH) throw new MalformedError(`batch header type ${shape.headerType}`);
  const n = shape.length;
  if (shape.bodyLength !== bodyLength) throw new MalformedError(`batch body of ${shape.bodyLength} bytes in a section of ${bodyLength}`);
  if (n < 1 || shape.nodes.length !== FIELDS || shape.buffers.length !== BUFFERS) throw new MalformedError(`batch of ${n} rows, ${shape.nodes.length} columns and ${shape.buffers.length} buffers`);
  for (const node of shape.nodes) if (node.length !== n || node.nullCount !== 0) throw new MalformedError('batch columns disagree on their length or hold nulls');
  for (let i = 0; i < BUFFERS; i++) {
    const r = shape.buffers[i]!;
    const want = WIDTH[i]! < 0 ? r.length : WIDTH[i]! * n + (i === 9 || i === 12 ? 4 : 0);
    if (r.length !== want) throw new MalformedError(`batch buffer ${i} is ${r.length} bytes, ${want} expected`);
    if (r.offset % 8 !== 0 || r.offset + r.length > shape.bodyLength) throw new MalformedError(`batch buffer ${i} (${r.offset}+${r.length}) is misplaced`);
  }
}

/** Bytes of the metadata of every batch this code writes. */
export const METADATA_BYTES = template.bytes.byteLength;
