// Rank 0 sends rank 1 (another node) a frame announcing a piece it never
// sends, then more frames; rank 2 (a third node) sends rank 1 a message half
// a second later. Rank 1 reports what it saw, and when: its timers and rank
// 2's message must not wait for rank 0's piece, and rank 0's later frames
// must arrive after the frame is given up, in order.
import { tableFromArrays } from 'apache-arrow';
import { connect } from '../../src/runtime/connect.js';
import { world } from '../../src/runtime/world.js';
import { isend } from '../../src/native/mpi.js';
import { BatchBuilder } from '../../src/wire/frame/batch.js';
import { assemble } from '../../src/wire/frame/writer.js';
import { FrameKind } from '../../src/wire/frame/layout.js';
import { DETACH_BYTES } from '../../src/wire/memory/pieces.js';
import { record } from './lib.js';

const WAIT_MS = 2000;
const start = Date.now();
const at = () => Date.now() - start;
const seen: { value: unknown; from: number; at: number }[] = [];
const errors: { code: string; sender: number; message: string; at: number }[] = [];
const conn = connect({
  pieceWaitMs: WAIT_MS,
  onRow: (row, source) => seen.push({ value: row.value, from: source, at: at() }),
  onError: (e) => errors.push({ code: e.code, sender: e.sender, message: e.message, at: at() }),
});
const t = conn.transport;
const me = world.rank;

// A frame with one payload announced as a piece of `length` bytes that follows it.
function announcing(length: number, sequence: number): Uint8Array {
  const b = new BatchBuilder();
  b.add(1, 0, 0, 0, 'x', tableFromArrays({ x: new Float64Array([1, 2, 3]) }));
  b.payloads.length = 0;
  return assemble({ kind: FrameKind.Tasks, flags: 0, sender: 0, sequence }, b, [{ chunks: [{ byteLength: length } as Uint8Array], length }]).frame;
}

if (me === 0) {
  t.send(1, 1, 0, 0, 0, 'ok', 'before');
  t.flushAll();
  // The transport numbered 'before' 0: the withheld frame takes 1, and the transport's next is 1 too.
  isend(t.comm, 1, 2, announcing(DETACH_BYTES * 4, 1));
  t.send(1, 1, 0, 1, 0, 'ok', 'after-1');
  t.flushAll();
  t.send(1, 1, 0, 2, 0, 'ok', 'after-2');
  await t.drain();
} else if (me === 2) {
  await new Promise((r) => setTimeout(r, 500));
  t.send(1, 1, 2, 0, 0, 'ok', 'from rank 2');
  await t.drain();
} else if (me === 1) {
  const ticks: number[] = [];
  const timer = setInterval(() => ticks.push(at()), 10);
  await t.until(() => seen.some((s) => s.value === 'after-2') && seen.some((s) => s.value === 'from rank 2'), 30_000);
  clearInterval(timer);
  const given = errors[0]?.at ?? -1;
  record({
    rank: me,
    errors,
    order: seen.filter((s) => s.from === 0 && s.value !== 'done').map((s) => s.value),
    rank2BeforeGivenUp: (seen.find((s) => s.value === 'from rank 2')?.at ?? Infinity) < given,
    // Timer ticks after 'before' arrived (the withheld frame came right behind it) and before the frame was given up.
    ticksWhileWaiting: ticks.filter((x) => x > (seen.find((s) => s.value === 'before')?.at ?? Infinity) && x < given).length,
    givenUpAt: given,
  });
}
for (let r = 0; r < world.size; r++) t.send(r, 9, me, -1, 0, 'done', 'done');
await t.until(() => seen.filter((s) => s.value === 'done').length === world.size);
await t.end();
