// Recursive Fibonacci: every call above the cutoff spawns its two halves as
// tasks that any rank may steal. Usage: taskloaf run -n 4 examples/fib.ts [n]
import { run, task, stats, world } from 'taskloaf';

const CUTOFF = 20;
const serial = (n: number): number => (n < 2 ? n : serial(n - 1) + serial(n - 2));

const fib = task('fib', async (n: number): Promise<number> => {
  if (n < CUTOFF) return serial(n);
  const [a, b] = await Promise.all([fib(n - 1), fib(n - 2)]);
  return a + b;
});

const n = Number(process.argv[2] ?? 30);
const result = await run(async () => {
  const t0 = performance.now();
  const value = await fib(n);
  console.log(`fib(${n}) = ${value} in ${((performance.now() - t0) / 1000).toFixed(2)} s on ${world.size} rank(s)`);
  return value;
});
const s = stats();
if (world.size > 1) console.error(`rank ${world.rank}: executed ${s.executed}, stole ${s.stolenIn}, gave away ${s.stolenOut}`);
void result;
