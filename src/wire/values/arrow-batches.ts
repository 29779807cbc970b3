// Record batches of a schema seen before, read without apache-arrow's stream
// reader. That reader is general (async sources, dictionaries, compression),
// and that generality dominates the cost of a small stream, the more so
// after a large receive has flushed the caches (bench/wire measures both). A stream of plain columns
// (numbers, booleans, strings, binary, dates, times, decimals) whose schema
// message is byte for byte one already decoded is built here directly:
// Data over the body's bytes, as apache-arrow's own vector loader builds it.
// Anything else, and every schema seen for the first time, goes through
// tableFromIPC.
import { Data, DataType, RecordBatch, Schema, Struct, Table, Type, makeData, type Field } from 'apache-arrow';
import type { MessageShape } from './flatbuf.js';

/** One message of a checked stream: its shape and where its metadata and body lie. */
export interface StreamMessage {
  shape: MessageShape;
  metadata: Uint8Array;
  body: Uint8Array;
}

interface Known {
  metadata: Uint8Array;
  schema: Schema;
  /** Every field a plain column this reader builds. */
  plain: boolean;
}

// Programs send a few shapes of table again and again: a handful of schemas covers them.
const KNOWN_MAX = 32;
const known: Known[] = [];

/**
 * What was learnt from exactly these schema metadata bytes: a schema of its
 * own for the caller's table (fields are shared, the schema's metadata map
 * is not), and whether its columns are plain.
 */
export function knownSchema(metadata: Uint8Array): { schema: Schema; plain: boolean } | undefined {
  const bytes = Buffer.from(metadata.buffer, metadata.byteOffset, metadata.byteLength);
  for (let i = 0; i < known.length; i++) {
    const k = known[i]!;
    if (k.metadata.byteLength !== metadata.byteLength || !bytes.equals(k.metadata)) continue;
    if (i > 0) known.unshift(known.splice(i, 1)[0]!);
    const s = k.schema;
    return { schema: k.plain ? new Schema(s.fields, new Map(s.metadata), s.dictionaries, s.metadataVersion) : s, plain: k.plain };
  }
  return undefined;
}

/** Remembers the schema apache-arrow decoded from `metadata` (the bytes, and the schema's metadata map, are copied). */
export function learnSchema(metadata: Uint8Array, schema: Schema): void {
  const own = new Schema(schema.fields, new Map(schema.metadata), schema.dictionaries, schema.metadataVersion);
  known.unshift({ metadata: metadata.slice(), schema: own, plain: schema.fields.every((f: Field) => plainType(f.type)) });
  if (known.length > KNOWN_MAX) known.pop();
}

// Buffers per column: validity and values, and offsets before the values of variable-width ones.
function plainType(t: DataType): boolean {
  switch (t.typeId) {
    case Type.Int:
    case Type.Float:
    case Type.Bool:
    case Type.Utf8:
    case Type.Binary:
    case Type.FixedSizeBinary:
    case Type.Date:
    case Type.Timestamp:
    case Type.Time:
    case Type.Decimal:
    case Type.Duration:
      return true;
    default:
      return false;
  }
}

const EMPTY = new Uint8Array(0);

/**
 * The record batches of a stream whose schema is `schema` (plain), or null
 * when a batch does not fit it (then the general reader decides).
 */
export function readBatches(schema: Schema, batches: readonly StreamMessage[]): RecordBatch[] | null {
  const fields = schema.fields;
  const out: RecordBatch[] = [];
  for (const { shape, body } of batches) {
    if (shape.compressed || shape.nodes.length !== fields.length) return null;
    const children: Data[] = [];
    let b = 0;
    for (let i = 0; i < fields.length; i++) {
      const type = fields[i]!.type as DataType;
      const { length, nullCount } = shape.nodes[i]!;
      const variable = type.typeId === Type.Utf8 || type.typeId === Type.Binary;
      const need = variable ? 3 : 2;
      if (b + need > shape.buffers.length) return null;
      const part = (r: { offset: number; length: number }) => body.subarray(r.offset, r.offset + r.length);
      const nullBitmap = nullCount > 0 ? part(shape.buffers[b]!) : EMPTY;
      const valueOffsets = variable ? part(shape.buffers[b + 1]!) : undefined;
      const data = part(shape.buffers[b + need - 1]!);
      b += need;
      children.push(makeData({ type, length, nullCount, nullBitmap, valueOffsets, data } as never));
    }
    if (b !== shape.buffers.length) return null;
    out.push(new RecordBatch(schema, makeData({ type: new Struct(fields), length: shape.length, children })));
  }
  return out;
}

/** A table of these batches (none: an empty table of the schema). */
export function tableOf(schema: Schema, batches: RecordBatch[]): Table {
  return batches.length === 0 ? new Table(schema) : new Table(batches);
}
