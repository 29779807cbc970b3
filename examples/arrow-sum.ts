// A table cut into one slice per rank: rank 0 puts each slice in its arena
// as a Ref, every rank sums its slice where it lies (in place on the same
// node), and rank 0 adds the sums up. Usage: taskloaf run -n 4 examples/arrow-sum.ts [rows]
import { tableFromArrays, type Table } from 'apache-arrow';
import { put, run, task, world, type Ref } from 'taskloaf';

const sumSlice = task('sumSlice', async (slice: Ref<Table>) => {
  const table = await slice.get();
  let s = 0;
  for (const chunk of table.getChild('x')!.data) for (const v of chunk.values as Float64Array) s += v;
  return s;
});

const rows = Number(process.argv[2] ?? 1_000_000);
await run(async () => {
  const table = tableFromArrays({ x: Float64Array.from({ length: rows }, (_, i) => i % 1000) });
  const per = Math.ceil(rows / world.size);
  const slices = Array.from({ length: world.size }, (_, r) => put(table.slice(r * per, Math.min(rows, (r + 1) * per))));
  const sums = await Promise.all(slices.map((ref, r) => sumSlice.on(r)(ref)));
  const total = sums.reduce((a, b) => a + b, 0);
  const expected = Array.from({ length: rows }, (_, i) => i % 1000).reduce((a, b) => a + b, 0);
  console.log(`sum of ${rows} rows over ${world.size} rank(s) = ${total} (expected ${expected}): ${total === expected ? 'right' : 'WRONG'}`);
  for (const s of slices) s.release();
});
