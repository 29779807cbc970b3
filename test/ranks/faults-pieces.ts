// Rank 0 sends rank 1 (on another node) frames whose Pieces sections
// announce more bytes than rank 1's node has memory, between valid messages
// and a valid payload that travels as pieces. Rank 1 reports the errors,
// what arrived, and the most ArrayBuffer memory it held meanwhile.
import { totalmem } from 'node:os';
import { tableFromArrays } from 'apache-arrow';
import { connect } from '../../src/runtime/connect.js';
import { world } from '../../src/runtime/world.js';
import { isend } from '../../src/native/mpi.js';
import { addon } from '../../src/native/addon.js';
import { BatchBuilder } from '../../src/wire/frame/batch.js';
import { assemble } from '../../src/wire/frame/writer.js';
import { FrameKind } from '../../src/wire/frame/layout.js';
import { record } from './lib.js';

const errors: { code: string; sender: number; message: string }[] = [];
const values: unknown[] = [];
let peakArrayBuffers = 0;
const sample = () => (peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers));
const conn = connect({
  onRow: (row) => {
    sample();
    values.push(row.value);
  },
  onError: (e) => {
    sample();
    errors.push({ code: e.code, sender: e.sender, message: e.message });
  },
});
const t = conn.transport;
const me = world.rank;

// A frame whose one payload is announced as pieces of these lengths; none is
// allocated here (only their lengths are read) and none is sent.
function announcing(lengths: number[]): Uint8Array {
  const b = new BatchBuilder();
  b.add(1, 0, 0, 0, 'x', tableFromArrays({ x: new Float64Array([1, 2, 3]) }));
  b.payloads.length = 0;
  const chunks = lengths.map((n) => ({ byteLength: n }) as Uint8Array);
  return assemble({ kind: FrameKind.Tasks, flags: 0, sender: 0, sequence: 1 }, b, [{ chunks, length: lengths.reduce((a, n) => a + n, 0) }]).frame;
}

if (me === 0) {
  const max = addon().constants.MAX_MESSAGE_BYTES;
  t.send(1, 1, 0, 0, 0, 'ok', 'first');
  t.flushAll();
  const memory = totalmem();
  isend(t.comm, 1, 2, announcing(Array.from({ length: Math.ceil(memory / max) + 1 }, () => max))); // far past it
  const lengths = Array.from({ length: Math.floor(memory / max) }, () => max);
  isend(t.comm, 1, 2, announcing([...lengths, memory - max * lengths.length + 1])); // one byte past it
  const big = new Float64Array(1 << 17).map((_, i) => i); // 1 MiB: travels as a piece
  t.send(1, 1, 0, 1, 0, 'ok', big);
  t.send(1, 1, 0, 2, 0, 'ok', 'last');
  await t.drain();
} else if (me === 1) {
  await t.until(() => values.includes('last'));
  const big = values.find((v) => v instanceof Float64Array) as Float64Array | undefined;
  record({
    rank: me,
    memory: totalmem(),
    errors,
    strings: values.filter((v) => typeof v === 'string'),
    piece: big ? { length: big.length, right: big.every((x, i) => x === i) } : null,
    peakArrayBuffers,
  });
}
for (let r = 0; r < world.size; r++) t.send(r, 9, me, -1, 0, 'done', 'done');
await t.until(() => values.filter((v) => v === 'done').length === world.size);
await t.end();
