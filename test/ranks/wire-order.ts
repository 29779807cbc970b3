// Each rank sends `count` messages to every other rank — mostly tiny, one in
// fifty with a 16–128 KiB payload — yielding to the event loop now and then
// so batches close both when full and at the end of a turn. Receivers check
// that each sender's messages arrive in the order sent, and their contents.
import { setImmediate as turn } from 'node:timers/promises';
import { connect } from '../../src/runtime/connect.js';
import { world } from '../../src/runtime/world.js';
import { record } from './lib.js';

const count = Number(process.argv[2] ?? 100_000);
const next = new Map<number, number>();
const failures: string[] = [];
let received = 0;
let large = 0;
const DONE = 2;
const done = new Set<number>();

const payload = (i: number) => {
  const a = new Float64Array(2048 * (1 + (i % 8)));
  a[0] = i;
  a[a.length - 1] = -i;
  return a;
};

const conn = connect({
  onRow: (row, source) => {
    if (row.kind === DONE) {
      done.add(source);
      return;
    }
    const want = next.get(source) ?? 0;
    if (row.id !== want && failures.length < 10) failures.push(`from ${source}: message ${row.id} arrived when ${want} was due`);
    next.set(source, row.id + 1);
    received++;
    if (row.id % 50 === 7) {
      const a = row.value as Float64Array;
      large++;
      if (!(a instanceof Float64Array) || a[0] !== row.id || a[a.length - 1] !== -row.id) failures.push(`from ${source}: payload of ${row.id} is wrong`);
    } else if (row.value !== row.id) failures.push(`from ${source}: value of ${row.id} is ${String(row.value)}`);
  },
  onError: (e) => failures.push(e.message),
});
const t = conn.transport;
const peers = Array.from({ length: world.size }, (_, r) => r).filter((r) => r !== world.rank || world.size === 1);
for (let i = 0; i < count; i++) {
  for (const p of peers) t.send(p, 1, world.rank, i, 0, '', i % 50 === 7 ? payload(i) : i);
  if (i % 997 === 0) {
    t.poll();
    await turn();
  }
}
await t.until(() => received === count * peers.length, 120_000);
for (let r = 0; r < world.size; r++) t.send(r, DONE, world.rank, 0, 0, '');
await t.until(() => done.size === world.size, 120_000);
await t.end();
record({ rank: world.rank, received, large, failures, frames: t.stats.framesReceived, framesSent: t.stats.framesSent });
