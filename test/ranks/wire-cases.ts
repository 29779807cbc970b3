// Values every wire test sends: plain JS values, typed arrays, and Arrow
// tables, batches, vectors and data of many types, alone and nested. Built
// the same way on every rank, so a receiver can check what it got.
import {
  Bool, Data, Dictionary, Field, Float64, Int32, Int64, List, RecordBatch, Struct, Table, Utf8, Vector,
  makeVector, tableFromArrays, vectorFromArray,
} from 'apache-arrow';
import { encodeValue, payloadBytes } from '../helpers/values.js';

export interface Case {
  name: string;
  value: unknown;
  /** Bytes of its out-of-band payloads (typed arrays ≥ 1 KiB, Arrow values). */
  payloadBytes: number;
  /** Of which Arrow values (copied into an arena once, however often sent). */
  arrowBytes: number;
}

function f64(n: number, seed: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = (i * 7 + seed) % 1000 / 8;
  return a;
}

function mixedTable(rows: number, seed: number): Table {
  return tableFromArrays({
    x: f64(rows, seed),
    n: new BigInt64Array(Array.from({ length: rows }, (_, i) => BigInt(i) * 1_000_000_007n - 5n)),
    s: Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? null : `s${i}-${'é'.repeat(i % 3)}`)),
    b: vectorFromArray(Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? null : i % 2 === 0)), new Bool()),
    d: vectorFromArray(Array.from({ length: rows }, (_, i) => ['red', 'green', 'blue'][i % 3]!), new Dictionary(new Utf8(), new Int32())),
    l: vectorFromArray(Array.from({ length: rows }, (_, i) => (i % 4 === 3 ? null : Array.from({ length: i % 4 }, (_, j) => i + j))), new List(new Field('item', new Int32(), true))),
    st: vectorFromArray(
      Array.from({ length: rows }, (_, i) => ({ a: i, b: `b${i}` })),
      new Struct([new Field('a', new Int32(), true), new Field('b', new Utf8(), true)]),
    ),
  });
}

export function cases(): Case[] {
  const big = tableFromArrays({ x: f64(1 << 18, 3), i: new Int32Array(1 << 18).map((_, k) => k) });
  const two = mixedTable(50, 1).concat(mixedTable(30, 2));
  const list: [string, unknown][] = [
    ['plain', { a: 1, b: 'text', c: [1.5, null, true, undefined], n: -0, big: 2n ** 70n, when: new Date(86_400_000), m: new Map<unknown, unknown>([[1, 'one'], ['k', { z: [] }]]), s: new Set(['x', 3]) }],
    ['error', new TypeError('bad thing')],
    ['float64 1 MiB', f64(1 << 17, 9)],
    ['int32 small', new Int32Array([1, -2, 3])],
    ['arraybuffer 4 KiB', new Uint8Array(4096).map((_, i) => i * 31).buffer],
    ['table mixed', mixedTable(100, 0)],
    ['table two batches', two],
    ['table empty', new Table(mixedTable(3, 0).schema)],
    ['table 2 MiB', big],
    ['record batch', mixedTable(20, 5).batches[0]!],
    ['vector sliced', vectorFromArray(Array.from({ length: 40 }, (_, i) => i * 1.5), new Float64()).slice(5, 29)],
    ['vector dictionary', vectorFromArray(['a', 'b', null, 'a', 'c'], new Dictionary(new Utf8(), new Int32()))],
    ['vector int64', makeVector(new BigInt64Array([-(2n ** 63n), 0n, 2n ** 63n - 1n]))],
    ['data utf8', vectorFromArray(['x', null, 'zzz', ''], new Utf8()).data[0]!],
    ['nested', { args: [mixedTable(10, 7), { inner: vectorFromArray([1n, 2n, 3n], new Int64()), ta: f64(512, 1) }], same: null as unknown }],
  ];
  const nested = list.find(([n]) => n === 'nested')![1] as { args: unknown[]; same: unknown };
  nested.same = nested.args[0]; // one table twice: it must arrive as one object
  return list.map(([name, value]) => {
    const buffers = encodeValue(value).buffers;
    const sizes = payloadBytes(buffers).map((b) => b.byteLength);
    const arrow = sizes.filter((_, i) => !(buffers[i] instanceof Uint8Array));
    return { name, value, payloadBytes: sizes.reduce((a, b) => a + b, 0), arrowBytes: arrow.reduce((a, b) => a + b, 0) };
  });
}

const json = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? Array.from(x) : x)));

function rows(t: Table | RecordBatch): unknown {
  return json(t.toArray().map((r) => r?.toJSON()));
}

function schema(t: Table | RecordBatch): unknown {
  return t.schema.fields.map((f) => [f.name, String(f.type), f.nullable]);
}

function sum(bytes: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i++) s = (s * 31 + bytes[i]!) >>> 0;
  return s;
}

/** A comparable description of a value (Arrow values by schema and rows). */
export function describeValue(v: unknown, seen = new Map<object, number>()): unknown {
  if (typeof v === 'bigint') return { bigint: String(v) };
  if (typeof v === 'number') return Object.is(v, -0) ? { minusZero: true } : v;
  if (v === undefined) return { undefined: true };
  if (typeof v !== 'object' || v === null) return v;
  const ref = seen.get(v);
  if (ref !== undefined) return { ref };
  seen.set(v, seen.size);
  if (v instanceof Table) return { table: schema(v), batches: v.batches.length, rows: rows(v) };
  if (v instanceof RecordBatch) return { batch: schema(v), rows: rows(v) };
  if (v instanceof Vector) return { vector: String(v.type), length: v.length, values: json(v.toArray()) };
  if (v instanceof Data) return { data: String(v.type), length: v.length, values: json(makeVector(v).toArray()) };
  if (ArrayBuffer.isView(v)) return { view: v.constructor.name, bytes: v.byteLength, sum: sum(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
  if (v instanceof ArrayBuffer) return { arrayBuffer: v.byteLength, sum: sum(new Uint8Array(v)) };
  if (v instanceof Date) return { date: v.getTime() };
  if (v instanceof Error) return { error: v.name, message: v.message };
  if (v instanceof Map) return { map: [...v].map(([k, x]) => [describeValue(k, seen), describeValue(x, seen)]) };
  if (v instanceof Set) return { set: [...v].map((x) => describeValue(x, seen)) };
  if (Array.isArray(v)) return v.map((x) => describeValue(x, seen));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, describeValue(x, seen)]));
}

/** The first large buffer inside a value: a typed array, or the first fixed-width Arrow column. */
export function firstBuffer(v: unknown): Uint8Array | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  if (v instanceof Table || v instanceof RecordBatch) {
    for (const d of v instanceof Table ? v.batches.map((b) => b.data) : [v.data]) {
      for (const c of d.children) if (c.values && c.values.byteLength >= 1024) return new Uint8Array(c.values.buffer, c.values.byteOffset, c.values.byteLength);
    }
    return undefined;
  }
  if (v instanceof Vector || v instanceof Data) return undefined;
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof ArrayBuffer) return undefined;
  for (const x of Object.values(v)) {
    const b = firstBuffer(x);
    if (b) return b;
  }
  return undefined;
}
