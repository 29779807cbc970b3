// A batch of rows is one Arrow record batch: it round-trips, any Arrow reader
// reads it with the batch schema in front, a refused value leaves the batch
// as it was, and no corruption gets past readRows as anything but a malformed-input error.
import t from 'tap';
import { RecordBatchStreamWriter, Table, tableFromIPC } from 'apache-arrow';
import { BatchBuilder } from '../src/wire/frame/batch.js';
import { batchSchema } from '../src/wire/frame/batch-layout.js';
import { readRows } from './helpers/frames.js';
import { readMessage } from '../src/wire/values/flatbuf.js';
import { SerializationError } from '../src/errors.js';
import { rng } from './helpers/random.js';
import { isMalformed } from '../src/errors.js';

function sample(n: number): BatchBuilder {
  const b = new BatchBuilder();
  for (let i = 0; i < n; i++) b.add(i % 7, i - 3, i * 1e9, i / 3, i % 3 === 0 ? '' : `task-${i % 5}-é`, i % 4 === 0 ? undefined : [i, `v${i}`, { deep: [i] }], i % 4 !== 0);
  return b;
}

t.test('rows round-trip, past the first growth of every column', async (t) => {
  const n = 100;
  const rows = readRows(sample(n).encode(), []);
  t.equal(rows.length, n);
  rows.forEach((r, i) => {
    if (r.kind !== i % 7 || r.rank !== i - 3 || r.id !== i * 1e9 || r.aux !== i / 3) t.fail(`row ${i} numbers differ`);
    if (r.name !== (i % 3 === 0 ? '' : `task-${i % 5}-é`)) t.fail(`row ${i} name is ${r.name}`);
    if (r.hasValue !== (i % 4 !== 0)) t.fail(`row ${i} hasValue`);
    if (r.hasValue) t.same(r.value, [i, `v${i}`, { deep: [i] }]);
  });
});

t.test('any Arrow reader reads a batch with the batch schema in front', async (t) => {
  const section = sample(10).encode();
  const schemaOnly = RecordBatchStreamWriter.writeAll(new Table(batchSchema)).toUint8Array(true);
  const stream = Buffer.concat([schemaOnly.subarray(0, schemaOnly.byteLength - 8), section, Buffer.from([255, 255, 255, 255, 0, 0, 0, 0])]);
  const table = tableFromIPC(new Uint8Array(stream));
  const ours = readRows(section, []);
  t.equal(table.numRows, 10);
  t.same(table.getChild('rank')!.toArray(), Int32Array.from(ours, (r) => r.rank));
  t.same([...table.getChild('name')!], ours.map((r) => r.name));
  t.same(table.getChild('id')!.toArray(), Float64Array.from(ours, (r) => r.id));
  t.same([...table.getChild('body')!].map((b) => (b as Uint8Array).byteLength > 0), ours.map((r) => r.hasValue));
});

t.test('a value that cannot travel leaves the batch as it was', async (t) => {
  const b = sample(5);
  const before = Buffer.from(b.encode());
  const err = (() => {
    try {
      b.add(1, 0, 0, 0, 'x', { a: [1, Symbol('s')] }, true, 'args');
    } catch (e) {
      return e as SerializationError;
    }
  })();
  t.ok(err instanceof SerializationError, 'a SerializationError');
  t.strictSame([err?.code, err?.path], ['ERR_NOT_SERIALIZABLE', 'args.a[1]']);
  t.ok(Buffer.from(b.encode()).equals(before), 'same bytes as before');
});

t.test('a corrupt vector length in the metadata is refused without a long loop', async (t) => {
  const section = sample(3).encode();
  const metaLen = new DataView(section.buffer).getInt32(4, true);
  // Every u32 of the metadata set to a huge count in turn: always a quick rejection or a shape.
  for (let at = 8; at < 8 + metaLen; at += 4) {
    const copy = new Uint8Array(section);
    new DataView(copy.buffer).setUint32(at, 0x7fffffff, true);
    try {
      const shape = readMessage(copy.subarray(8, 8 + metaLen));
      // A count believed without a check would list more entries (16 bytes each) than the metadata holds.
      if ((shape.nodes.length + shape.buffers.length) * 16 > metaLen) t.fail(`offset ${at}: ${shape.nodes.length} nodes and ${shape.buffers.length} buffers from ${metaLen} bytes`);
    } catch (e) {
      if (!isMalformed(e)) t.fail(`offset ${at}: ${String(e)}`);
    }
  }
});

t.test(`fuzz: ${process.env.TASKLOAF_FUZZ ?? 100_000} mutated batches give rows or a malformed-input error, nothing else`, async (t) => {
  const rand = rng(11);
  const n = Number(process.env.TASKLOAF_FUZZ ?? 100_000);
  const seeds = [1, 2, 17, 64].map((k) => sample(k).encode());
  let rejected = 0;
  for (let i = 0; i < n; i++) {
    const seed = seeds[i % seeds.length]!;
    const bytes = new Uint8Array(seed);
    const flips = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < flips; k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
    const cut = rand() < 0.1 ? bytes.subarray(0, Math.floor(rand() * bytes.length) & ~7) : bytes;
    try {
      readRows(cut, []);
    } catch (e) {
      if (!isMalformed(e)) {
        t.fail(`input ${i}: ${String(e)}`);
        break;
      }
      rejected++;
    }
  }
  t.ok(rejected > n / 4, `${rejected} of ${n} rejected`);
});
