// One file though over 400 lines: the encoder and decoder mirror each other
// tag by tag, and share the Tag const enum, which per-file compilers (tsx)
// inline only within the file that declares it.
// The value codec: JS values to bytes and back, for arguments and results
// that are not plain columns. Large typed arrays and ArrayBuffers are not
// copied: they are listed as out-of-band sections (zero copy at the sender)
// and viewed in place at the receiver. Shared and cyclic references survive.
//
// Own format rather than the v8 serializer: side by side (bench/wire) it
// encodes and decodes small argument lists faster, and lists a large typed
// array instead of copying it. Unsupported
// values are found by check.ts, which names the path.
import { isMalformed, MalformedError, SerializationError } from '../../errors.js';
import { allowClass, checkValue } from './check.js';
import { ArrowKind, arrowKind, decodeArrow } from './arrow.js';
import { Writer } from './writer.js';
import { arrived } from '../memory/arriving.js';

const enum Tag {
  Undefined = 0, Null, False, True, Int32, Float64, String, BigIntPos, BigIntNeg, Array, Object, NullProtoObject,
  Map, Set, Date, RegExp, Error, ViewInline, ViewOutOfBand, BufferInline, BufferOutOfBand, Hole, BackRef, Boxed, Arrow, Extension,
}

/** Views at least this long travel out of band. */
export const OUT_OF_BAND_BYTES = 1024;

type ViewCtor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;
const VIEW_TYPES: ViewCtor[] = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView as unknown as ViewCtor,
  ((buffer: ArrayBuffer, byteOffset: number, length: number) => Buffer.from(buffer, byteOffset, length)) as unknown as ViewCtor,
];
const BUFFER_TYPE = 12;
function viewType(v: ArrayBufferView): number {
  if (Buffer.isBuffer(v)) return BUFFER_TYPE;
  const i = VIEW_TYPES.findIndex((c) => v.constructor === c);
  if (i >= 0) return i;
  // A subclass (other than Buffer): travels as its base type.
  const j = VIEW_TYPES.findIndex((c) => v instanceof c);
  return j >= 0 ? j : 1;
}

/**
 * A class of the layers above that travels as a few numbers (a Ref: owner,
 * id, weight). `write` may change the object (a Ref gives away weight); if
 * the value as a whole then cannot travel, `undo` puts it back.
 */
export interface Extension<T extends object = object> {
  cls: abstract new (...args: never[]) => T;
  write(o: T): number[];
  undo(o: T, fields: number[]): void;
  read(fields: number[]): T;
}
const extensions: Extension[] = [];

export function registerExtension<T extends object>(e: Extension<T>): void {
  extensions.push(e as unknown as Extension);
  allowClass(e.cls as never);
}

/** An Arrow value found in a value: the transport decides how its bytes travel. */
export interface ArrowValue {
  arrow: object;
  kind: ArrowKind;
}

/** Out-of-band payloads: views of the sender's memory, or Arrow values. */
export type Payload = Uint8Array | ArrowValue;

class Unsupported extends Error {}

const bytesOf = (v: ArrayBufferView) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
// A copy in a fresh ArrayBuffer of its own (Buffer#slice would return a view).
const copyOf = (u8: Uint8Array) => new Uint8Array(u8);

class Encoder {
  w = new Writer();
  buffers: Payload[] = [];
  /** Extension objects written so far, to undo if the value fails. */
  written: [Extension, object, number[]][] = [];
  readonly seen = new Map<object, number>();
  busy = false;

  write(v: unknown): void {
    const w = this.w;
    const buffers = this.buffers;
    const seen = this.seen;
    if (writePrimitive(w, v)) return;
    switch (typeof v) {
      case 'bigint': {
        w.u8(v < 0n ? Tag.BigIntNeg : Tag.BigIntPos);
        let m = v < 0n ? -v : v;
        const words: bigint[] = [];
        while (m > 0n) {
          words.push(m & 0xffffffffn);
          m >>= 32n;
        }
        w.u32(words.length);
        for (const x of words) w.u32(Number(x));
        return;
      }
      case 'object':
        break;
      default:
        throw new Unsupported();
    }
    const o = v as object; // null was written by writePrimitive
    const ref = seen.get(o);
    if (ref !== undefined) {
      w.u8(Tag.BackRef);
      return w.u32(ref);
    }
    seen.set(o, seen.size);
    if (Array.isArray(o)) {
      w.u8(Tag.Array);
      w.u32(o.length);
      for (let i = 0; i < o.length; i++) {
        if (!(i in o)) w.u8(Tag.Hole);
        else this.write(o[i]);
      }
      return;
    }
    if (ArrayBuffer.isView(o)) {
      const type = viewType(o);
      if (o.byteLength >= OUT_OF_BAND_BYTES) {
        w.u8(Tag.ViewOutOfBand);
        w.u8(type);
        w.u32(buffers.length);
        buffers.push(bytesOf(o));
      } else {
        w.u8(Tag.ViewInline);
        w.u8(type);
        w.bytes(bytesOf(o));
      }
      return;
    }
    if (o instanceof ArrayBuffer) {
      if (o.byteLength >= OUT_OF_BAND_BYTES) {
        w.u8(Tag.BufferOutOfBand);
        w.u32(buffers.length);
        buffers.push(new Uint8Array(o));
      } else {
        w.u8(Tag.BufferInline);
        w.bytes(new Uint8Array(o));
      }
      return;
    }
    const proto = Object.getPrototypeOf(o);
    if (proto === Object.prototype || proto === null) {
      return this.object(o, proto === null);
    }
    const kind = arrowKind(o);
    if (kind >= 0) {
      w.u8(Tag.Arrow);
      w.u8(kind);
      w.u32(buffers.length);
      buffers.push({ arrow: o, kind: kind as ArrowKind });
      return;
    }
    return this.other(o);
  }

  private object(o: object, nullProto: boolean): void {
    const w = this.w;
    const keys = Object.keys(o);
    if (Object.getOwnPropertySymbols(o).length > 0) throw new Unsupported();
    w.u8(nullProto ? Tag.NullProtoObject : Tag.Object);
    w.u32(keys.length);
    for (const k of keys) {
      w.str(k);
      this.write((o as Record<string, unknown>)[k]);
    }
  }

  private other(o: object): void {
    const w = this.w;
    for (let i = 0; i < extensions.length; i++) {
      const ext = extensions[i]!;
      if (!(o instanceof ext.cls)) continue;
      const fields = ext.write(o);
      this.written.push([ext, o, fields]);
      w.u8(Tag.Extension);
      w.u8(i);
      w.u8(fields.length);
      for (const f of fields) w.f64(f);
      return;
    }
    if (o instanceof Map) {
      w.u8(Tag.Map);
      w.u32(o.size);
      for (const [k, x] of o) {
        this.write(k);
        this.write(x);
      }
      return;
    }
    if (o instanceof Set) {
      w.u8(Tag.Set);
      w.u32(o.size);
      for (const x of o) this.write(x);
      return;
    }
    if (o instanceof Date) {
      w.u8(Tag.Date);
      return w.f64(o.getTime());
    }
    if (o instanceof RegExp) {
      w.u8(Tag.RegExp);
      w.str(o.source);
      return w.str(o.flags);
    }
    if (o instanceof Error) {
      w.u8(Tag.Error);
      w.str(o.name);
      w.str(o.message);
      w.str(o.stack ?? '');
      const code = (o as { code?: unknown }).code;
      this.write(typeof code === 'string' ? code : undefined);
      return this.write(o.cause);
    }
    if (o instanceof Number || o instanceof String || o instanceof Boolean) {
      w.u8(Tag.Boxed);
      return this.write(o.valueOf());
    }
    throw new Unsupported();
  }
}

// One encoder, reused (a getter that sends a value while one is being encoded gets its own).
const shared = new Encoder();

/** Writes undefined, null, a boolean, a number or a string; false for anything else. */
function writePrimitive(w: Writer, v: unknown): boolean {
  switch (typeof v) {
    case 'undefined':
      w.u8(Tag.Undefined);
      return true;
    case 'boolean':
      w.u8(v ? Tag.True : Tag.False);
      return true;
    case 'number':
      if ((v | 0) === v && !Object.is(v, -0)) {
        w.u8(Tag.Int32);
        w.ensure(4);
        w.view.setInt32(w.at, v, true);
        w.at += 4;
      } else {
        w.u8(Tag.Float64);
        w.f64(v);
      }
      return true;
    case 'string':
      w.u8(Tag.String);
      w.str(v);
      return true;
    case 'object':
      if (v !== null) return false;
      w.u8(Tag.Null);
      return true;
    default:
      return false;
  }
}

// Most task arguments and results are a primitive or a short array of them:
// written here as the encoder would write them, without its bookkeeping
// (a map of objects seen, undo on failure). False, and nothing written, for
// anything else (the encoder then writes it, or says why it cannot).
function writePlain(w: Writer, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return writePrimitive(w, value);
  if (!Array.isArray(value) || value.length > 8) return false;
  const start = w.at;
  try {
    const n = value.length;
    w.u8(Tag.Array);
    w.u32(n);
    for (let i = 0; i < n; i++) {
      const x: unknown = value[i];
      if ((x === undefined && !(i in value)) || !writePrimitive(w, x)) {
        w.at = start;
        return false;
      }
    }
    return true;
  } catch {
    w.at = start; // an index getter that throws: the encoder reports it
    return false;
  }
}

/**
 * Appends the encoding of `value` to `w`, and its out-of-band payloads to
 * `buffers` (indices continue from buffers.length). SerializationError (with
 * the path) for anything that cannot travel; `w` is then back where it was.
 */
export function writeValue(w: Writer, value: unknown, buffers: Payload[], path = 'value'): void {
  if (writePlain(w, value)) return;
  const enc = shared.busy ? new Encoder() : shared;
  const start = w.at;
  const before = buffers.length;
  enc.busy = true;
  enc.w = w;
  enc.buffers = buffers;
  try {
    enc.write(value);
  } catch (e) {
    w.at = start;
    buffers.length = before;
    for (const [ext, o, fields] of enc.written) ext.undo(o, fields);
    if (!(e instanceof Unsupported) && !isMalformed(e)) throw e;
    // Find and name what could not travel (slow path, errors only).
    checkValue(value, path);
    throw new SerializationError(`${path} cannot be sent to another rank`, path, isMalformed(e) ? e.message : 'unsupported value');
  } finally {
    // Hold nothing of this value once it is written.
    enc.busy = false;
    if (enc.seen.size > 0) enc.seen.clear();
    enc.buffers = NO_PAYLOADS;
    if (enc.written.length > 0) enc.written = [];
  }
}
const NO_PAYLOADS: Payload[] = [];

const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);
const NO_BUFFERS: readonly Uint8Array[] = [];

/** Reads values; one reader serves every value of a batch (reset() per value). */
export class Reader {
  at = 0;
  end = 0;
  objects: unknown[] = [];
  private body: Uint8Array = EMPTY;
  private buffers: readonly Uint8Array[] = NO_BUFFERS;
  private view: DataView<ArrayBufferLike> = EMPTY_VIEW;
  private text: Buffer | undefined;
  /** Called with each Arrow value read and the bytes it views. */
  onArrow: ((value: object, bytes: Uint8Array) => void) | undefined;

  /** Reads the next value from body[start, end); `view`, if given, views all of `body`. */
  reset(body: Uint8Array, start: number, end: number, buffers: readonly Uint8Array[], view?: DataView): this {
    if (body !== this.body) {
      this.body = body;
      this.view = view ?? new DataView(body.buffer, body.byteOffset, body.byteLength);
      this.text = undefined;
    }
    this.at = start;
    this.end = end;
    this.buffers = buffers;
    if (this.objects.length > 0) this.objects = [];
    return this;
  }

  /** Drops every reference to the last input (so its payloads can be collected). */
  clear(): void {
    this.body = EMPTY;
    this.view = EMPTY_VIEW;
    this.text = undefined;
    this.buffers = NO_BUFFERS;
    if (this.objects.length > 0) this.objects = [];
  }

  /** One whole value from [start, end); MalformedError if malformed. */
  value(): unknown {
    try {
      const value = this.read();
      if (this.at !== this.end) throw new MalformedError(`${this.end - this.at} bytes left after the value`);
      return value;
    } catch (e) {
      // Malformed input of any kind (a bad RegExp, a call stack overflow...) is one error class.
      throw e instanceof MalformedError ? e : new MalformedError(`malformed value: ${(e as Error).message}`);
    }
  }

  need(n: number): void {
    if (this.at + n > this.end) throw new MalformedError('value truncated');
  }

  u8(): number {
    this.need(1);
    return this.body[this.at++]!;
  }

  u32(): number {
    this.need(4);
    const x = this.view.getUint32(this.at, true);
    this.at += 4;
    return x;
  }

  f64(): number {
    this.need(8);
    const x = this.view.getFloat64(this.at, true);
    this.at += 8;
    return x;
  }

  str(): string {
    const n = this.u32();
    this.need(n);
    const body = this.body;
    const start = this.at;
    if (n <= 32) {
      // Short ASCII strings without a trip into the UTF-8 decoder.
      let s = '';
      let i = start;
      for (; i < start + n; i++) {
        const c = body[i]!;
        if (c >= 0x80) break;
        s += String.fromCharCode(c);
      }
      if (i === start + n) {
        this.at += n;
        return s;
      }
    }
    this.text ??= Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    this.at += n;
    return this.text.toString('utf8', start, start + n);
  }

  /** The next out-of-band payload; its bytes are there unless `structureOnly` (Arrow waits for them itself). */
  payload(structureOnly = false): Uint8Array {
    const b = this.buffers[this.u32()];
    if (!b) throw new MalformedError('missing out-of-band payload');
    if (!structureOnly) arrived();
    return b;
  }

  makeView(type: number, bytes: Uint8Array): ArrayBufferView {
    const C = VIEW_TYPES[type];
    if (!C) throw new MalformedError(`unknown view type ${type}`);
    const width = (C as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
    if (bytes.byteLength % width !== 0) throw new MalformedError('view length is not a multiple of its element size');
    if (bytes.byteOffset % width !== 0) bytes = copyOf(bytes); // realign (inline payloads only)
    return type === BUFFER_TYPE
      ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      : new C(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / width);
  }

  read(): unknown {
    const tag = this.u8();
    switch (tag) {
      case Tag.Undefined:
        return undefined;
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Int32: {
        this.need(4);
        const x = this.view.getInt32(this.at, true);
        this.at += 4;
        return x;
      }
      case Tag.Float64:
        return this.f64();
      case Tag.String:
        return this.str();
      case Tag.BigIntPos:
      case Tag.BigIntNeg: {
        const n = this.u32();
        const words: number[] = [];
        for (let i = 0; i < n; i++) words.push(this.u32());
        let m = 0n;
        for (let i = n - 1; i >= 0; i--) m = (m << 32n) | BigInt(words[i]!);
        return tag === Tag.BigIntNeg ? -m : m;
      }
      case Tag.Array: {
        const n = this.u32();
        this.need(n); // at least one byte per element
        const a: unknown[] = new Array(n);
        this.objects.push(a);
        for (let i = 0; i < n; i++) {
          if (this.body[this.at] === Tag.Hole) this.at++;
          else a[i] = this.read();
        }
        return a;
      }
      case Tag.Object:
      case Tag.NullProtoObject: {
        const n = this.u32();
        const o: Record<string, unknown> = tag === Tag.Object ? {} : Object.create(null);
        this.objects.push(o);
        for (let i = 0; i < n; i++) {
          const k = this.str();
          const x = this.read();
          // Assigning '__proto__' would set the prototype and lose the key:
          // it is defined as an own property, as structuredClone does.
          if (k === '__proto__') Object.defineProperty(o, k, { value: x, writable: true, enumerable: true, configurable: true });
          else o[k] = x;
        }
        return o;
      }
      case Tag.Map: {
        const n = this.u32();
        const m = new Map();
        this.objects.push(m);
        for (let i = 0; i < n; i++) {
          const k = this.read();
          m.set(k, this.read());
        }
        return m;
      }
      case Tag.Set: {
        const n = this.u32();
        const s = new Set();
        this.objects.push(s);
        for (let i = 0; i < n; i++) s.add(this.read());
        return s;
      }
      case Tag.Date: {
        const d = new Date(this.f64());
        this.objects.push(d);
        return d;
      }
      case Tag.RegExp: {
        const source = this.str();
        const r = new RegExp(source, this.str());
        this.objects.push(r);
        return r;
      }
      case Tag.Error: {
        const name = this.str();
        const message = this.str();
        const stack = this.str();
        const e = new Error(message);
        this.objects.push(e);
        e.name = name;
        e.stack = stack;
        const code = this.read();
        if (typeof code === 'string') (e as { code?: string }).code = code;
        const cause = this.read();
        if (cause !== undefined) e.cause = cause;
        return e;
      }
      case Tag.ViewInline: {
        const type = this.u8();
        const n = this.u32();
        this.need(n);
        const v = this.makeView(type, this.body.subarray(this.at, this.at + n));
        this.at += n;
        this.objects.push(v);
        return v;
      }
      case Tag.ViewOutOfBand: {
        const type = this.u8();
        const v = this.makeView(type, this.payload());
        this.objects.push(v);
        return v;
      }
      case Tag.BufferInline: {
        const n = this.u32();
        this.need(n);
        const ab = copyOf(this.body.subarray(this.at, this.at + n)).buffer;
        this.at += n;
        this.objects.push(ab);
        return ab;
      }
      case Tag.BufferOutOfBand: {
        const b = this.payload();
        // A whole ArrayBuffer: exact when the payload is its own buffer, else one copy.
        const ab = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? (b.buffer as ArrayBuffer) : copyOf(b).buffer;
        this.objects.push(ab);
        return ab;
      }
      case Tag.BackRef: {
        const i = this.u32();
        if (i >= this.objects.length) throw new MalformedError('reference to an object not yet read');
        return this.objects[i];
      }
      case Tag.Boxed: {
        const boxed = Object(this.read());
        this.objects.push(boxed);
        return boxed;
      }
      case Tag.Extension: {
        const ext = extensions[this.u8()];
        if (!ext) throw new MalformedError('unknown extension');
        const n = this.u8();
        const fields: number[] = [];
        for (let i = 0; i < n; i++) fields.push(this.f64());
        const o = ext.read(fields);
        this.objects.push(o);
        return o;
      }
      case Tag.Arrow: {
        const kind = this.u8();
        const bytes = this.payload(true);
        const a = decodeArrow(bytes, kind);
        this.onArrow?.(a, bytes);
        this.objects.push(a);
        return a;
      }
      default:
        throw new MalformedError(`unknown tag ${tag}`);
    }
  }
}
