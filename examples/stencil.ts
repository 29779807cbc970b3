// A 1-D heat stencil: the rod is cut into one piece per rank, each piece
// stays on its rank, and every step each rank trades its edge values with its
// neighbours (tasks placed on them) before it advances. Rank 0 checks the
// result against the same computation done serially.
// Usage: taskloaf run -n 4 examples/stencil.ts [cells] [steps]
import { run, task, world, start } from 'taskloaf';

const cells = Number(process.argv[2] ?? 4096);
const steps = Number(process.argv[3] ?? 200);
const ALPHA = 0.25;

const initial = (i: number) => (i >= cells / 4 && i < cells / 2 ? 100 : 0);
const advance = (u: Float64Array, left: number, right: number): Float64Array => {
  const next = new Float64Array(u.length);
  for (let i = 0; i < u.length; i++) {
    const l = i === 0 ? left : u[i - 1]!;
    const r = i === u.length - 1 ? right : u[i + 1]!;
    next[i] = u[i]! + ALPHA * (l - 2 * u[i]! + r);
  }
  return next;
};

start();
// This rank's piece of the rod: cells [lo, hi).
const per = Math.ceil(cells / world.size);
const lo = Math.min(cells, world.rank * per);
const hi = Math.min(cells, lo + per);
let piece = Float64Array.from({ length: hi - lo }, (_, k) => initial(lo + k));

const edges = task('edges', (): [number, number] => [piece[0] ?? 0, piece[piece.length - 1] ?? 0]);
const step = task('step', (left: number, right: number) => {
  piece = advance(piece, left, right);
});
const total = task('total', () => piece.reduce((a, b) => a + b, 0));
const values = task('values', () => piece);

await run(async () => {
  const ranks = Array.from({ length: world.size }, (_, r) => r);
  for (let s = 0; s < steps; s++) {
    const e = await Promise.all(ranks.map((r) => edges.on(r)()));
    // Outside the rod the temperature is held at 0; empty pieces pass their neighbour's edge on.
    await Promise.all(ranks.map((r) => step.on(r)(r > 0 ? e[r - 1]![1] : 0, r < world.size - 1 ? e[r + 1]![0] : 0)));
  }
  const heat = (await Promise.all(ranks.map((r) => total.on(r)()))).reduce((a, b) => a + b, 0);
  const pieces = await Promise.all(ranks.map((r) => values.on(r)()));
  let serial = Float64Array.from({ length: cells }, (_, i) => initial(i));
  for (let s = 0; s < steps; s++) serial = advance(serial, 0, 0);
  const joined = pieces.flatMap((p) => Array.from(p));
  const same = joined.length === cells && joined.every((v, i) => Math.abs(v - serial[i]!) < 1e-9);
  console.log(`stencil: ${cells} cells, ${steps} steps on ${world.size} rank(s): heat ${heat.toFixed(6)}, matches the serial result: ${same}`);
});
