// Arrow values on the wire: Table, RecordBatch, Vector and Data travel as an
// Arrow IPC stream (schema, dictionaries, record batches). The stream is
// produced as a gather list — small metadata pieces plus the column buffers
// themselves, not copies — and read back with apache-arrow's reader, which
// makes views when the stream is 8-byte aligned (it always is here).
//
// tableToIPC is not used: it concatenates everything into a new buffer.
import { MalformedError } from '../../errors.js';
import {
  Data,
  DataType,
  RecordBatch,
  RecordBatchStreamWriter,
  Table,
  Type,
  Vector,
  makeVector,
  tableFromIPC,
} from 'apache-arrow';
import { allowClass } from './check.js';
import { HEADER_DICTIONARY_BATCH, HEADER_RECORD_BATCH, HEADER_SCHEMA, readMessage } from './flatbuf.js';
import { arrived, readable } from '../memory/arriving.js';
import { knownSchema, learnSchema, readBatches, tableOf, type StreamMessage } from './arrow-batches.js';
import { adopt, foreignKind } from './arrow-foreign.js';

export enum ArrowKind {
  Table = 0,
  RecordBatch = 1,
  Vector = 2,
  Data = 3,
}

/** An Arrow value ready to send: its IPC stream as views of the value's own buffers. */
export interface ArrowPayload {
  kind: ArrowKind;
  chunks: Uint8Array[];
  byteLength: number;
}

for (const cls of [Table, RecordBatch, Vector, Data]) allowClass(cls as never);

// Prototype checks, not instanceof: apache-arrow 21.2+ answers instanceof
// true for another copy's values too, whose classes its writer cannot use.
const OWN = [Table.prototype, RecordBatch.prototype, Vector.prototype, Data.prototype];
const ownKind = (v: object): number => OWN.findIndex((p) => p.isPrototypeOf(v));

/**
 * The kind of an Arrow value, or -1 when `v` is not one. Values of another
 * copy of apache-arrow (the app's own) are recognised by their shape.
 */
export function arrowKind(v: object): ArrowKind | -1 {
  const own = ownKind(v);
  return own >= 0 ? own : (foreignKind(v as never) as ArrowKind | -1);
}

// A stream writer whose output is the list of pieces it wrote: the body
// buffers stay where they are.
class GatherWriter extends RecordBatchStreamWriter {
  chunks: Uint8Array[] = [];
  length = 0;
  protected override _write(chunk: unknown): this {
    if (!this._started) return this;
    const v = chunk as ArrayBufferView;
    if (v.byteLength > 0) {
      this.chunks.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      this.length += v.byteLength;
      this._position += v.byteLength;
    }
    return this;
  }
}

const COLUMN = 'v';

function asTable(value: object, kind: ArrowKind): Table | RecordBatch {
  switch (kind) {
    case ArrowKind.Table:
    case ArrowKind.RecordBatch:
      return value as Table | RecordBatch;
    case ArrowKind.Vector:
      return new Table({ [COLUMN]: value as Vector });
    default:
      return new Table({ [COLUMN]: makeVector(value as Data) });
  }
}

/** The IPC stream of an Arrow value, as views (no body buffer is copied). */
export function encodeArrow(value: object, kind: ArrowKind = arrowKind(value) as ArrowKind): ArrowPayload {
  const w = new GatherWriter();
  // Another copy's value, in taskloaf's classes over the same buffers.
  const t = asTable(ownKind(value) === kind ? value : adopt(value as never, kind), kind);
  w.reset(undefined, t.schema);
  w.write(t);
  w.finish();
  return { kind, chunks: w.chunks, byteLength: w.length };
}

/** Streams read by the lean reader (a schema seen before) and by apache-arrow's. */
export const decodeStats = { lean: 0, general: 0 };

/**
 * Reads an Arrow value from its IPC stream, viewing `bytes` in place. The
 * stream is checked first (message framing, buffer regions inside the body
 * and aligned, columns long enough for their lengths); any fault is a
 * MalformedError, which the frame decoder reports as a WireError. The body
 * may still be arriving (see arriving.ts): it is waited for before its first read.
 */
export function decodeArrow(bytes: Uint8Array, kind: ArrowKind): Table | RecordBatch | Vector | Data {
  if (bytes.byteOffset % 8 !== 0) throw new MalformedError('Arrow stream is not 8-byte aligned');
  const messages = checkStream(bytes);
  const batches = messages.filter((m) => m.shape.headerType === HEADER_RECORD_BATCH).length;
  const schemaBytes = messages[0]!.metadata;
  const noDictionaries = !messages.some((m) => m.shape.headerType === HEADER_DICTIONARY_BATCH);
  // A schema seen before (the common case: the same shape of table again) skips the general reader.
  const seen = noDictionaries ? knownSchema(schemaBytes) : undefined;
  let fast = null;
  try {
    fast = seen?.plain ? readBatches(seen.schema, messages.slice(1)) : null;
  } catch (e) {
    throw new MalformedError(`malformed Arrow batch: ${(e as Error).message}`);
  }
  let table: Table;
  if (fast) {
    decodeStats.lean++;
    table = tableOf(seen!.schema, fast);
  } else {
    decodeStats.general++;
    arrived();
    try {
      table = tableFromIPC(bytes);
    } catch (e) {
      throw new MalformedError(`malformed Arrow stream: ${(e as Error).message}`);
    }
    if (noDictionaries && !seen) learnSchema(schemaBytes, table.schema);
  }
  for (const f of table.schema.fields) checkType(f.type, 0);
  // The lean path built views over bytes that may still be arriving; the checks read them.
  arrived();
  for (const b of table.batches) checkData(b.data, 0);
  switch (kind) {
    case ArrowKind.Table:
      // The reader invents an empty batch for a stream without any.
      return batches === 0 ? new Table(table.schema) : table;
    case ArrowKind.RecordBatch:
      if (table.batches.length !== 1) throw new MalformedError(`a RecordBatch arrived as ${table.batches.length} batches`);
      return table.batches[0]!;
    case ArrowKind.Vector:
    case ArrowKind.Data: {
      const col = table.getChildAt(0);
      if (!col || table.numCols !== 1) throw new MalformedError('a Vector arrived without exactly one column');
      if (kind === ArrowKind.Vector) return col;
      if (col.data.length !== 1) throw new MalformedError(`a Data arrived as ${col.data.length} chunks`);
      return col.data[0]!;
    }
    default:
      throw new MalformedError(`unknown Arrow kind ${kind as number}`);
  }
}

// Message framing: every message's metadata and body inside the stream,
// every buffer region inside its body and 8-aligned, metadata checked by
// readMessage before apache-arrow decodes it (which trusts lengths: it would
// clamp a region past its body, or loop on a corrupt vector length).
function checkStream(bytes: Uint8Array): StreamMessage[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength;
  let pos = 0;
  let first = true;
  const messages: StreamMessage[] = [];
  for (;;) {
    if (pos + 8 > n) throw new MalformedError('Arrow stream ends without an end-of-stream marker');
    readable(bytes, pos, 8);
    if (v.getUint32(pos, true) !== 0xffffffff) throw new MalformedError(`Arrow message at ${pos} lacks the continuation marker`);
    const len = v.getInt32(pos + 4, true);
    pos += 8;
    if (len === 0) break;
    if (len < 0 || len % 8 !== 0 || pos + len > n) throw new MalformedError(`Arrow metadata of ${len} bytes at ${pos} does not fit`);
    readable(bytes, pos, len);
    const metadata = bytes.subarray(pos, pos + len);
    const m = readMessage(metadata);
    pos += len;
    if (first !== (m.headerType === HEADER_SCHEMA)) throw new MalformedError('an Arrow stream must start with exactly one schema');
    first = false;
    if (m.bodyLength % 8 !== 0 || pos + m.bodyLength > n) throw new MalformedError(`Arrow body of ${m.bodyLength} bytes at ${pos} does not fit`);
    for (const r of m.buffers) {
      if (r.offset < 0 || r.length < 0 || r.offset + r.length > m.bodyLength) throw new MalformedError(`Arrow buffer (${r.offset}+${r.length}) outside its body of ${m.bodyLength} bytes`);
      if (r.offset % 8 !== 0) throw new MalformedError(`Arrow buffer at ${r.offset} is not 8-aligned`);
    }
    // Schema first, then dictionaries and batches (readMessage refuses any other kind).
    messages.push({ shape: m, metadata, body: bytes.subarray(pos, pos + m.bodyLength) });
    pos += m.bodyLength;
  }
  if (first) throw new MalformedError('empty Arrow stream');
  return messages;
}

// Nested types with the children their kind requires (the reader builds
// whatever the schema says; a Map without its entries struct breaks later).
function checkType(t: DataType, depth: number): void {
  if (depth > 64) throw new MalformedError('Arrow type nested too deeply');
  const children = (t.children ?? []) as { type: DataType }[];
  const want = (n: number, what: string) => {
    if (children.length !== n) throw new MalformedError(`Arrow ${what} type with ${children.length} children`);
  };
  switch (t.typeId) {
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList:
      want(1, 'list');
      break;
    case Type.Map:
      want(1, 'map');
      if (children[0]!.type.typeId !== Type.Struct || (children[0]!.type.children ?? []).length !== 2) throw new MalformedError('Arrow map entries are not a struct of key and value');
      break;
    case Type.Union:
      if (children.length === 0 || (t as unknown as { typeIds: ArrayLike<number> }).typeIds.length !== children.length) throw new MalformedError('Arrow union type ids do not match its children');
      break;
    case Type.Dictionary:
      checkType((t as unknown as { dictionary: DataType }).dictionary, depth + 1);
      break;
    default:
      break;
  }
  for (const c of children) checkType(c.type, depth + 1);
  try {
    String(t);
  } catch (e) {
    throw new MalformedError(`malformed Arrow type: ${(e as Error).message}`);
  }
}

// Every column long enough for the rows it claims (the reader trusts lengths).
function checkData(d: Data, depth: number): void {
  if (depth > 64) throw new MalformedError('Arrow type nested too deeply');
  const end = d.offset + d.length;
  const need = (what: string, have: number, want: number) => {
    if (have < want) throw new MalformedError(`Arrow ${what} holds ${have}, ${want} needed for ${d.length} rows`);
  };
  if (d.nullBitmap && d.nullBitmap.byteLength > 0) need('validity bitmap (bits)', d.nullBitmap.byteLength * 8, end);
  const t = d.type as DataType;
  switch (t.typeId) {
    case Type.Null:
      break;
    case Type.Bool:
      need('boolean values (bits)', (d.values?.byteLength ?? 0) * 8, end);
      break;
    case Type.Utf8:
    case Type.Binary:
    case Type.LargeUtf8:
    case Type.LargeBinary: {
      const o = d.valueOffsets as ArrayLike<number | bigint>;
      if (d.length > 0) {
        need('offsets', o?.length ?? 0, end + 1);
        const first = Number(o[d.offset]);
        const last = Number(o[end]);
        if (first < 0 || last < first || last > (d.values?.length ?? 0)) throw new MalformedError(`Arrow offsets ${first}..${last} outside ${d.values?.length ?? 0} value bytes`);
      }
      break;
    }
    case Type.List:
    case Type.LargeList:
    case Type.Map: {
      const o = d.valueOffsets as ArrayLike<number | bigint>;
      const child = d.children[0];
      if (!child) {
        if (d.length === 0) break;
        throw new MalformedError('Arrow list without a child');
      }
      if (d.length > 0) {
        need('offsets', o?.length ?? 0, end + 1);
        const first = Number(o[d.offset]);
        const last = Number(o[end]);
        if (first < 0 || last < first || last > child.length) throw new MalformedError(`Arrow list offsets ${first}..${last} outside a child of ${child.length}`);
      }
      checkData(child, depth + 1);
      break;
    }
    case Type.FixedSizeList: {
      const child = d.children[0];
      if (!child) {
        if (d.length === 0) break;
        throw new MalformedError('Arrow list without a child');
      }
      need('list child', child.length, end * (t as unknown as { listSize: number }).listSize);
      checkData(child, depth + 1);
      break;
    }
    case Type.Struct:
      for (const c of d.children) {
        need('struct child', c.length, end);
        checkData(c, depth + 1);
      }
      break;
    case Type.Union: {
      need('union type ids', d.typeIds?.length ?? 0, end);
      // Every row must name an existing child, and (dense) a row inside it.
      const map = (t as unknown as { typeIdToChildIndex: Record<number, number> }).typeIdToChildIndex;
      const offsets = d.valueOffsets as ArrayLike<number> | undefined;
      const dense = (t as unknown as { mode: number }).mode === 1;
      if (dense) need('union offsets', offsets?.length ?? 0, end);
      for (let i = d.offset; i < end; i++) {
        const child = d.children[map[d.typeIds[i]!]!];
        if (!child) throw new MalformedError(`Arrow union row ${i} names type ${d.typeIds[i]}, which has no child`);
        const at = dense ? Number(offsets![i]) : i;
        if (!(at >= 0 && at < child.length)) throw new MalformedError(`Arrow union row ${i} points past its child`);
      }
      for (const c of d.children) checkData(c, depth + 1);
      break;
    }
    case Type.Dictionary:
      need('dictionary indices', d.values?.length ?? 0, end * d.stride);
      if (d.dictionary) for (const c of d.dictionary.data) checkData(c, depth + 1);
      break;
    default:
      // Fixed width: ints, floats, decimals, dates, times, timestamps, intervals, durations, fixed-size binary.
      if (d.values) need('values', d.values.length, end * d.stride);
  }
}
