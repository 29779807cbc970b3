// One mutated Arrow stream through the decoder: read back whole, or refused
// as malformed (MalformedError, or a RangeError from a bounds-checked read);
// anything else is a defect (returned as the error). The stream lies inside
// a larger buffer, so a column viewing bytes past its end (which a stream
// owning its whole buffer would hide) is caught.
import { Data, RecordBatch, Table, Vector } from 'apache-arrow';
import { ArrowKind, decodeArrow } from '../../src/wire/values/arrow.js';
import { describeValue } from '../ranks/wire-cases.js';
import { isMalformed } from '../../src/errors.js';

export type Outcome = 'read' | 'rejected' | 'unshowable';

const PAD = 64;

/** Every Data of a decoded value, children and dictionaries included. */
function datas(v: unknown, out: Data[] = [], seen = new Set<unknown>()): Data[] {
  if (v === null || typeof v !== 'object' || seen.has(v)) return out;
  seen.add(v);
  if (v instanceof Table) for (const b of v.batches) datas(b, out, seen);
  else if (v instanceof RecordBatch) datas(v.data, out, seen);
  else if (v instanceof Vector) for (const d of v.data) datas(d, out, seen);
  else if (v instanceof Data) {
    out.push(v);
    for (const c of v.children) datas(c, out, seen);
    if (v.dictionary) datas(v.dictionary, out, seen);
  }
  return out;
}

/** The first buffer of the value that views the host buffer outside [start, end), described; null when none does. */
export function viewOutside(v: unknown, host: ArrayBufferLike, start: number, end: number): string | null {
  for (const d of datas(v)) {
    for (const [name, view] of [['values', d.values], ['offsets', d.valueOffsets], ['validity', d.nullBitmap], ['typeIds', d.typeIds]] as const) {
      if (!ArrayBuffer.isView(view) || view.buffer !== host) continue;
      if (view.byteOffset < start || view.byteOffset + view.byteLength > end) return `${String(d.type)} ${name} at ${view.byteOffset - start}+${view.byteLength} of a ${end - start}-byte stream`;
    }
  }
  return null;
}

export function decodeMutated(stream: Uint8Array, kind: ArrowKind): Outcome | Error {
  const host = new Uint8Array(stream.byteLength + 2 * PAD).fill(0xa5);
  host.set(stream, PAD);
  const bytes = host.subarray(PAD, PAD + stream.byteLength);
  let v: { length?: number; numRows?: number };
  try {
    v = decodeArrow(bytes, kind) as typeof v;
  } catch (e) {
    return isMalformed(e) ? 'rejected' : (e as Error);
  }
  const outside = viewOutside(v, host.buffer, PAD, PAD + stream.byteLength);
  if (outside) return new Error(`a column views bytes outside the stream: ${outside}`);
  try {
    // Reading every row must not throw anything but a malformed-input error either (a mutated
    // length may claim billions of rows of a type that needs no bytes: its
    // structure is checked above, its rows are not read).
    if ((v.numRows ?? v.length ?? 0) <= 1e5) describeValue(v);
    return 'read';
  } catch (e) {
    // apache-arrow refuses to show a 64-bit date beyond 2^53 ms: a value it cannot show, not a broken structure.
    if (e instanceof TypeError && /not safe to convert to a number/.test(e.message)) return 'unshowable';
    return isMalformed(e) ? 'rejected' : (e as Error);
  }
}
