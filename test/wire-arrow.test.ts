// Arrow values as IPC streams: produced as views of their own buffers, read
// back as views of the received bytes, checked before apache-arrow trusts them.
import t from 'tap';
import { Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import { ArrowKind, arrowKind, decodeArrow, encodeArrow } from '../src/wire/values/arrow.js';
import { cases, describeValue } from './ranks/wire-cases.js';
import { rng } from './helpers/random.js';
import { decodeMutated } from './helpers/arrow-fuzz.js';

const concat = (chunks: Uint8Array[]) => new Uint8Array(Buffer.concat(chunks));

t.test('every Arrow case round-trips through its stream', async (t) => {
  for (const c of cases()) {
    const kind = typeof c.value === 'object' && c.value !== null ? arrowKind(c.value) : -1;
    if (kind < 0) continue;
    const p = encodeArrow(c.value as object);
    t.equal(p.kind, kind);
    const back = decodeArrow(concat(p.chunks), kind as ArrowKind);
    t.same(describeValue(back), describeValue(c.value), c.name);
  }
});

t.test('the stream lists the column buffers themselves, and the reader views the received bytes', async (t) => {
  const x = new Float64Array(4096).map((_, i) => i);
  const table = tableFromArrays({ x });
  const p = encodeArrow(table);
  const column = table.getChild('x')!.data[0]!.values as Float64Array;
  t.ok(p.chunks.some((c) => c.buffer === column.buffer && c.byteOffset === column.byteOffset), 'the column is a chunk, not a copy');
  t.equal(p.byteLength, tableToIPC(table).byteLength, 'same bytes as tableToIPC would make');
  const bytes = concat(p.chunks);
  const back = decodeArrow(bytes, ArrowKind.Table) as Table;
  t.equal(back.getChild('x')!.data[0]!.values.buffer, bytes.buffer, 'the received column views the received bytes');
});

t.test('a stream that is not 8-aligned, truncated or empty is refused', async (t) => {
  const bytes = concat(encodeArrow(tableFromArrays({ x: new Float64Array([1, 2]) })).chunks);
  const shifted = new Uint8Array(bytes.byteLength + 4).subarray(4);
  shifted.set(bytes);
  t.throws(() => decodeArrow(shifted, ArrowKind.Table), { code: 'ERR_MALFORMED' });
  t.throws(() => decodeArrow(bytes.subarray(0, bytes.byteLength - 16), ArrowKind.Table), { code: 'ERR_MALFORMED' });
  t.throws(() => decodeArrow(new Uint8Array(0), ArrowKind.Table), { code: 'ERR_MALFORMED' });
  t.throws(() => decodeArrow(bytes, ArrowKind.RecordBatch + 9), { code: 'ERR_MALFORMED' });
});

t.test(`fuzz: ${process.env.TASKLOAF_FUZZ_ARROW ?? 20_000} mutated Arrow streams decode or are rejected as malformed`, async (t) => {
  const rand = rng(5);
  const n = Number(process.env.TASKLOAF_FUZZ_ARROW ?? 20_000);
  const seeds = cases()
    .filter((c) => typeof c.value === 'object' && c.value !== null && arrowKind(c.value) >= 0 && !c.name.includes('2 MiB'))
    .map((c) => ({ kind: arrowKind(c.value as object) as ArrowKind, bytes: concat(encodeArrow(c.value as object).chunks) }));
  const outcomes = { read: 0, rejected: 0, unshowable: 0 };
  for (let i = 0; i < n; i++) {
    const s = seeds[i % seeds.length]!;
    const bytes = new Uint8Array(s.bytes);
    const flips = 1 + Math.floor(rand() * 3);
    // Mostly the metadata (the first few hundred bytes), sometimes anywhere.
    for (let k = 0; k < flips; k++) bytes[Math.floor(rand() * (rand() < 0.7 ? Math.min(600, bytes.length) : bytes.length))] = Math.floor(rand() * 256);
    const r = decodeMutated(bytes, s.kind);
    if (r instanceof Error) {
      t.fail(`input ${i}: ${r.stack}`);
      break;
    }
    outcomes[r]++;
  }
  t.equal(outcomes.read + outcomes.rejected + outcomes.unshowable, n, `${n} inputs: ${outcomes.read} read whole, ${outcomes.rejected} rejected, ${outcomes.unshowable} with values apache-arrow cannot show`);
  // Both outcomes in earnest: a decoder that refused everything, or nothing, would not pass.
  t.ok(outcomes.rejected >= n / 20 && outcomes.read >= n / 20, 'at least one in twenty of each');
});
