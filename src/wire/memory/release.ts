// release(value): gives back at once the arena memory a received value lies
// in, instead of when the garbage collector finds no view of it left. Every
// view of that memory on this rank becomes empty (its ArrayBuffer is
// detached), so nothing can read the block once the arena reuses it. For
// programs that stream large values and should not wait for collections.
import { Data, RecordBatch, Table, Vector } from 'apache-arrow';
import { releaseAlias, streamOf } from './homes.js';

/**
 * Releases the received memory under `value` (Arrow tables, batches,
 * vectors, typed arrays, ArrayBuffers, and arrays, objects, Maps and Sets of
 * them). Memory this rank owns (its own values, put()) is left alone.
 * Returns the bytes released.
 */
export function release(value: unknown): number {
  const buffers = new Set<ArrayBuffer>();
  collect(value, buffers, new Set());
  let bytes = 0;
  for (const ab of buffers) bytes += releaseAlias(ab);
  return bytes;
}

function collect(v: unknown, out: Set<ArrayBuffer>, seen: Set<object>): void {
  if (v === null || typeof v !== 'object' || seen.has(v)) return;
  seen.add(v);
  if (v instanceof ArrayBuffer) {
    out.add(v);
    return;
  }
  if (ArrayBuffer.isView(v)) {
    if (v.buffer instanceof ArrayBuffer) out.add(v.buffer);
    return;
  }
  const stream = streamOf(v);
  if (stream) collect(stream, out, seen);
  if (v instanceof Table) for (const b of v.batches) collect(b.data, out, seen);
  else if (v instanceof RecordBatch) collect(v.data, out, seen);
  else if (v instanceof Vector) for (const d of v.data) collect(d, out, seen);
  else if (v instanceof Data) {
    for (const b of [v.values, v.valueOffsets, v.nullBitmap, v.typeIds]) collect(b, out, seen);
    for (const c of v.children) collect(c, out, seen);
    if (v.dictionary) collect(v.dictionary, out, seen);
  } else if (Array.isArray(v)) for (const x of v) collect(x, out, seen);
  else if (v instanceof Map) for (const [k, x] of v) (collect(k, out, seen), collect(x, out, seen));
  else if (v instanceof Set) for (const x of v) collect(x, out, seen);
  else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) for (const x of Object.values(v)) collect(x, out, seen);
}
