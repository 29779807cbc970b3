// A user's program with its own copy of apache-arrow: the test copies this
// file into an app directory whose node_modules holds that copy and a link
// to taskloaf (as a `file:` dependency does). Its Table, RecordBatch, Vector
// and Data travel as arguments, results and through put()/Ref to rank 1, and
// what arrives is compared with what was sent. One JSON line per check.
import { tableFromArrays, vectorFromArray, Dictionary, Int32, Utf8 } from 'apache-arrow';
import { put, run, task, world, type Ref } from 'taskloaf';

type Arrowish = { [Symbol.toStringTag]?: string } & Record<string, unknown>;

// A value's contents as plain JSON, whichever copy of apache-arrow made it.
function describe(v: unknown): unknown {
  const a = v as Arrowish & { toArray(): unknown[]; schema: { fields: { name: string; type: unknown }[] } };
  const json = (x: unknown) => JSON.parse(JSON.stringify(x, (_k, y) => (typeof y === 'bigint' ? `${y}n` : y)));
  if (a.schema && typeof a.toArray === 'function') {
    return { fields: a.schema.fields.map((f) => `${f.name}: ${String(f.type)}`), rows: json(a.toArray()), numRows: (a as { numRows?: number }).numRows };
  }
  if (typeof a.toArray === 'function') return { type: String((a as { type?: unknown }).type), values: json([...(a as unknown as Iterable<unknown>)]) };
  // Data (the strings column): read from its buffers, which any copy's Data has.
  const d = a as unknown as { type: unknown; length: number; offset: number; nullBitmap?: Uint8Array; valueOffsets: Int32Array; values: Uint8Array };
  const rows: (string | null)[] = [];
  for (let i = d.offset; i < d.offset + d.length; i++) {
    const valid = !d.nullBitmap || d.nullBitmap.length === 0 || (d.nullBitmap[i >> 3]! & (1 << (i & 7))) !== 0;
    rows.push(valid ? Buffer.from(d.values.subarray(d.valueOffsets[i]!, d.valueOffsets[i + 1]!)).toString() : null);
  }
  return { type: String(d.type), rows };
}

// Made with the app's apache-arrow: numbers, nulls, strings, booleans, a dictionary, a list, a big enough column to go out of band.
function values(): Record<string, unknown> {
  const n = 3000;
  const table = tableFromArrays({
    x: Float64Array.from({ length: n }, (_, i) => i * 0.5),
    i: Int32Array.from({ length: n }, (_, i) => i - 7),
    s: vectorFromArray(Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `row ${i}`)), new Utf8()),
    d: vectorFromArray(Array.from({ length: n }, (_, i) => ['red', 'green', 'blue'][i % 3]), new Dictionary(new Utf8(), new Int32())),
    b: vectorFromArray(Array.from({ length: n }, (_, i) => i % 2 === 0)),
    l: vectorFromArray(Array.from({ length: n }, (_, i) => [i, i + 1])),
  });
  const vector = vectorFromArray(Array.from({ length: n }, (_, i) => BigInt(i) * 3n - 5n));
  return { Table: table, RecordBatch: table.batches[0]!, Vector: vector, Data: table.getChild('s')!.data[0]! };
}

const other = () => (world.size > 1 ? 1 : 0);

const echo = task('echo', (v: unknown) => ({ seen: describe(v), back: v }));
const make = task('make', (kind: string) => values()[kind]);
const readRef = task('readRef', async (ref: Ref<unknown>) => describe(await ref.get()));

await run(async () => {
  const sent = values();
  for (const kind of Object.keys(sent)) {
    const v = sent[kind];
    const want = JSON.stringify(describe(v));
    const result = async (p: Promise<unknown>) => {
      try {
        return JSON.stringify(await p) === want ? 'equal' : `differs: ${JSON.stringify(await p).slice(0, 300)}`;
      } catch (e) {
        return `failed: ${(e as { code?: string }).code ?? ''} ${(e as Error).message.slice(0, 300)}`;
      }
    };
    const echoed = echo.on(other())(v);
    const line = (check: string, value: string) => console.log(JSON.stringify({ kind, check, value }));
    line('argument', await result(echoed.then((r) => r.seen)));
    line('result', await result(echoed.then((r) => describe(r.back))));
    line('made remotely', await result(make.on(other())(kind).then(describe)));
    let ref: Ref<unknown> | undefined;
    line('put', await result(Promise.resolve().then(() => (ref = put(v)).get()).then(describe)));
    line('ref read remotely', ref ? await result(readRef.on(other())(ref)) : 'failed: no ref');
  }
});
