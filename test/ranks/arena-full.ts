// Values larger than the whole arena, both ways, while tasks run: the job
// goes on and every value arrives whole (the arena is a fast path, not a
// limit), and an arena asked directly for too much says so with ArenaFullError.
import { Arena } from '../../src/arena/arena.js';
import { run, task, world, start, ArenaFullError } from '../../src/index.js';
import { runtimeStarted } from '../../src/runtime/runtime.js';
import type { Transport } from '../../src/wire/transport/transport.js';
import { record } from './lib.js';

start();
const sum = task('sum', (a: Float64Array) => a.reduce((x, y) => x + y, 0));
const make = task('make', (n: number, v: number) => new Float64Array(n).fill(v));
const last = world.size - 1;
// Which path the payloads took: by reference to an arena block, or as bytes when the arena had no room.
const traffic = task('traffic', () => {
  const s = (runtimeStarted()!.link as Transport).stats;
  return { byReference: s.byReference, byBytes: s.byBytes };
});

await run(async () => {
  const results: unknown[] = [];
  for (const n of [1 << 16, 1 << 20, 4 << 20]) {
    // Several at once, so the arena is full while others are in flight.
    const sums = await Promise.all([1, 2, 3].map((v) => sum.on(last)(new Float64Array(n).fill(v))));
    const made = await Promise.all([1, 2, 3].map((v) => make.on(last)(n, v)));
    results.push({ n, sums, made: made.map((a) => a.length === n && a.every((x) => x === a[0]) && a[0]) });
  }
  let full: unknown = null;
  try {
    new Arena({ job: `${world.job}x`, rank: world.rank, numaNode: world.numaNode, segmentBytes: 1 << 20, limitBytes: 4 << 20 }).alloc(8 << 20);
  } catch (e) {
    const f = e as ArenaFullError;
    full = { isFull: e instanceof ArenaFullError, code: f.code, requested: f.requested, limit: f.limit };
  }
  record({ results, full, sent: await traffic.on(0)(), returned: await traffic.on(last)() });
});
