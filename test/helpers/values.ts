// Values encoded and decoded on their own, for tests and benchmarks: the
// transport writes each value straight into the batch of its frame.
import { Reader, writeValue, type Payload } from '../../src/wire/values/codec.js';
import { Writer } from '../../src/wire/values/writer.js';
import { encodeArrow } from '../../src/wire/values/arrow.js';

export interface EncodedValue {
  /** The encoded structure. */
  body: Uint8Array;
  /** Out-of-band payloads, in order: views of the sender's memory, not copies. */
  buffers: Payload[];
}

const scratch = { w: new Writer() };

/** Encodes `value` on its own; SerializationError (with the path) for anything that cannot travel. */
export function encodeValue(value: unknown, path = 'value'): EncodedValue {
  const w = scratch.w;
  w.at = 0;
  const buffers: Payload[] = [];
  writeValue(w, value, buffers, path);
  // A copy in a fresh ArrayBuffer of its own (Buffer#slice would return a view).
  const body = new Uint8Array(w.buf.subarray(0, w.at));
  // Keep the scratch buffer from growing without bound after one huge value.
  if (w.buf.length > 1 << 20) scratch.w = new Writer();
  return { body, buffers };
}

/** Payloads as contiguous bytes, as a receiver would see them (Arrow values as their IPC stream). */
export function payloadBytes(buffers: readonly Payload[]): Uint8Array[] {
  return buffers.map((p) => {
    if (p instanceof Uint8Array) return p;
    const { chunks, byteLength } = encodeArrow(p.arrow, p.kind);
    const out = new Uint8Array(byteLength);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  });
}

const reader = new Reader();
let readerBusy = false;

/** Decodes what encodeValue produced; out-of-band payloads are viewed, not copied. MalformedError if malformed. */
export function decodeValue(body: Uint8Array, buffers: readonly Payload[] = []): unknown {
  const bytes = buffers.some((b) => !(b instanceof Uint8Array)) ? payloadBytes(buffers) : (buffers as Uint8Array[]);
  // A reader in use (a getter decoding while a value is decoded) is not shared.
  const r = readerBusy ? new Reader() : reader;
  readerBusy = true;
  try {
    return r.reset(body, 0, body.byteLength, bytes).value();
  } finally {
    r.clear();
    if (r === reader) readerBusy = false;
  }
}
