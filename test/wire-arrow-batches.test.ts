// The lean reader: a stream whose schema was decoded before is built without
// apache-arrow's stream reader, and must give exactly what that reader gives.
import t from 'tap';
import { DataType, Table, tableFromArrays, tableFromIPC, vectorFromArray, Utf8, Binary, Bool, DateDay, TimestampMillisecond, Int64, Decimal, Float16 } from 'apache-arrow';
import { ArrowKind, arrowKind, decodeArrow, decodeStats, encodeArrow } from '../src/wire/values/arrow.js';
import { cases, describeValue } from './ranks/wire-cases.js';
import { rng } from './helpers/random.js';
import { decodeMutated } from './helpers/arrow-fuzz.js';

const concat = (chunks: Uint8Array[]) => new Uint8Array(Buffer.concat(chunks));
const streamOf = (v: object) => concat(encodeArrow(v).chunks);

// Every plain column type, with nulls, as more than one batch and sliced.
function plainTable(rows: number, seed: number): Table {
  const rand = rng(seed);
  const maybe = <T>(v: T) => (rand() < 0.2 ? null : v);
  return new Table({
    i32: vectorFromArray(Array.from({ length: rows }, (_, i) => maybe(i - 5))),
    i64: vectorFromArray(Array.from({ length: rows }, (_, i) => maybe(BigInt(i) * 2n ** 40n)), new Int64()),
    f64: vectorFromArray(Array.from({ length: rows }, () => rand())),
    f16: vectorFromArray(Array.from({ length: rows }, (_, i) => maybe(i / 4)), new Float16()),
    b: vectorFromArray(Array.from({ length: rows }, () => maybe(rand() < 0.5)), new Bool()),
    s: vectorFromArray(Array.from({ length: rows }, (_, i) => maybe(`row ${i} ${'é'.repeat(i % 4)}`)), new Utf8()),
    bin: vectorFromArray(Array.from({ length: rows }, (_, i) => maybe(Uint8Array.from([i, i + 1]))), new Binary()),
    d: vectorFromArray(Array.from({ length: rows }, (_, i) => maybe(new Date(86_400_000 * i))), new DateDay()),
    ts: vectorFromArray(Array.from({ length: rows }, (_, i) => maybe(1_700_000_000_000 + i)), new TimestampMillisecond()),
    dec: vectorFromArray(Array.from({ length: rows }, (_, i) => Uint32Array.from([i, 0, 0, 0])), new Decimal(2, 10, 128)),
  });
}

t.test('a plain schema seen before takes the lean reader, which gives what apache-arrow gives', async (t) => {
  const shapes: [string, object][] = [
    ['one batch', plainTable(40, 1)],
    ['two batches', plainTable(30, 2).concat(plainTable(17, 3))],
    ['sliced', plainTable(50, 4).slice(7, 31)],
    ['no rows', plainTable(6, 5).slice(0, 0)],
    ['a record batch', plainTable(9, 6).batches[0]!],
    ['a vector', vectorFromArray(['a', null, 'ccc'], new Utf8())],
    ['one Float64 column', tableFromArrays({ x: new Float64Array(1000).map((_, i) => i / 3) })],
  ];
  for (const [name, value] of shapes) {
    const kind = arrowKind(value) as ArrowKind;
    const bytes = streamOf(value);
    const first = decodeArrow(bytes, kind);
    const before = { ...decodeStats };
    const second = decodeArrow(new Uint8Array(bytes), kind);
    t.equal(decodeStats.lean, before.lean + 1, `${name}: the second read is lean`);
    t.same(describeValue(second), describeValue(value), `${name}: same values as sent`);
    t.same(describeValue(second), describeValue(first), `${name}: same as apache-arrow's reader`);
    const general = tableFromIPC(bytes);
    const secondTable = second instanceof Table ? second : null;
    if (secondTable) {
      t.equal(secondTable.schema.toString(), general.schema.toString(), `${name}: same schema`);
      t.same(secondTable.batches.map((b) => b.numRows), general.batches.map((b) => b.numRows), `${name}: same batches`);
    }
  }
});

t.test('the lean table views the received bytes and has a schema of its own', async (t) => {
  const table = tableFromArrays({ x: new Float64Array(4096).map((_, i) => i) });
  const bytes = streamOf(table);
  const first = decodeArrow(bytes, ArrowKind.Table) as Table;
  first.schema.metadata.set('first', 'yes'); // the general reader's table, whose schema was learnt
  const a = decodeArrow(new Uint8Array(bytes), ArrowKind.Table) as Table;
  t.notOk(a.schema.metadata.has('first'), 'metadata set on the first table does not show on later ones');
  const copy = new Uint8Array(bytes);
  const b = decodeArrow(copy, ArrowKind.Table) as Table;
  t.equal(b.getChild('x')!.data[0]!.values.buffer, copy.buffer, 'the column is a view of the bytes');
  a.schema.metadata.set('mine', 'yes');
  const c = decodeArrow(new Uint8Array(bytes), ArrowKind.Table) as Table;
  t.notOk(c.schema.metadata.has('mine'), 'metadata set on one table does not show on the next');
  t.not(b.schema, c.schema);
});

t.test('dictionaries and nested types keep apache-arrow reader', async (t) => {
  let checkedComplex = 0;
  for (const c of cases()) {
    const kind = typeof c.value === 'object' && c.value !== null ? arrowKind(c.value) : -1;
    if (kind < 0) continue;
    const bytes = streamOf(c.value as object);
    decodeArrow(bytes, kind as ArrowKind);
    const before = decodeStats.general;
    const back = decodeArrow(new Uint8Array(bytes), kind as ArrowKind);
    t.same(describeValue(back), describeValue(c.value), `${c.name}, read twice`);
    // The lean reader takes flat columns only: anything nested or dictionary-encoded goes to apache-arrow's, every time.
    const v = c.value as { schema?: { fields: { type: DataType }[] }; type?: DataType };
    const types = v.schema ? v.schema.fields.map((f) => f.type) : v.type ? [v.type] : [];
    const complex = types.some((ty) => DataType.isDictionary(ty) || (ty.children?.length ?? 0) > 0);
    if (complex) {
      checkedComplex++;
      t.equal(decodeStats.general, before + 1, `${c.name}: the general reader, read a second time`);
    }
  }
  t.ok(checkedComplex > 0, `${checkedComplex} nested or dictionary cases were checked for their reader`);
  const dict = tableFromArrays({ s: ['a', 'b', 'a'] }); // strings become a dictionary
  const bytes = streamOf(dict);
  decodeArrow(bytes, ArrowKind.Table);
  const before = decodeStats.general;
  decodeArrow(new Uint8Array(bytes), ArrowKind.Table);
  t.equal(decodeStats.general, before + 1, 'a dictionary column goes through the general reader every time');
});

t.test(`fuzz: ${process.env.TASKLOAF_FUZZ_ARROW_LEAN ?? 10_000} streams of a known schema with mutated batches decode or are rejected as malformed`, async (t) => {
  const rand = rng(11);
  const n = Number(process.env.TASKLOAF_FUZZ_ARROW_LEAN ?? 10_000);
  const seeds = [plainTable(20, 7), plainTable(3, 8).concat(plainTable(5, 9)), tableFromArrays({ x: new Float64Array(64) })].map((v) => {
    const bytes = streamOf(v);
    decodeArrow(bytes, ArrowKind.Table); // the schema is known from now on
    return { bytes, schemaEnd: 8 + new DataView(bytes.buffer).getInt32(4, true) };
  });
  const outcomes = { read: 0, rejected: 0, unshowable: 0 };
  const lean = decodeStats.lean;
  for (let i = 0; i < n; i++) {
    const s = seeds[i % seeds.length]!;
    const bytes = new Uint8Array(s.bytes);
    // After the schema: the batch metadata (field nodes, buffer regions) and the body.
    for (let k = 0, flips = 1 + Math.floor(rand() * 3); k < flips; k++) {
      const span = rand() < 0.7 ? Math.min(400, bytes.length - s.schemaEnd) : bytes.length - s.schemaEnd;
      bytes[s.schemaEnd + Math.floor(rand() * span)] = Math.floor(rand() * 256);
    }
    const r = decodeMutated(bytes, ArrowKind.Table);
    if (r instanceof Error) {
      t.fail(`input ${i}: ${r.stack}`);
      break;
    }
    outcomes[r]++;
  }
  t.equal(outcomes.read + outcomes.rejected + outcomes.unshowable, n, `${n} inputs: ${outcomes.read} read whole, ${outcomes.rejected} rejected, ${outcomes.unshowable} with values apache-arrow cannot show`);
  t.ok(outcomes.rejected >= n / 20 && outcomes.read >= n / 20, 'at least one in twenty of each');
  t.ok(decodeStats.lean > lean, `${decodeStats.lean - lean} read by the lean reader`);
});
