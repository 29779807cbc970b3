// The task API end to end: recursive fib with stealing, many tiny tasks each
// run exactly once, placement, deep nesting across ranks. Prints one record
// per check from rank 0 and the counters of every rank.
import { run, task, stats, world, start } from '../../src/index.js';
import { record } from './lib.js';

start();
const serial = (n: number): number => (n < 2 ? n : serial(n - 1) + serial(n - 2));
const fib = task('fib', async (n: number): Promise<number> => {
  if (n < 15) return serial(n);
  const [a, b] = await Promise.all([fib(n - 1), fib(n - 2)]);
  return a + b;
});
let ranHere = 0;
const square = task('square', (i: number) => {
  ranHere++;
  return i * i;
});
const whereAmI = task('whereAmI', () => world.rank);
// Each level calls the next on the next rank and awaits it.
const chain = task('chain', async (depth: number): Promise<number> => (depth === 0 ? 1 : 1 + (await chain.on((world.rank + 1) % world.size)(depth - 1))));

const tiny = Number(process.argv[2] ?? 100_000);
await run(async () => {
  record({ check: 'fib', value: await fib(27) });
  const results = await Promise.all(Array.from({ length: tiny }, (_, i) => square(i)));
  record({ check: 'tiny', count: results.length, right: results.every((r, i) => r === i * i) });
  const places = await Promise.all(Array.from({ length: world.size }, (_, r) => whereAmI.on(r)()));
  record({ check: 'placement', places });
  record({ check: 'chain', value: await chain(1000) });
});
record({ rank: world.rank, ranHere, ...stats() });
