// Monte Carlo estimate of pi over many small tasks, spread over the ranks by
// stealing. Usage: taskloaf run -n 4 examples/pi.ts [tasks] [samples per task]
import { run, task, world } from 'taskloaf';

// Points in the unit square that fall inside the quarter circle; a seeded
// generator makes the answer the same on any number of ranks.
const inside = task('inside', (seed: number, samples: number): number => {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  let hits = 0;
  for (let i = 0; i < samples; i++) {
    const a = next();
    const b = next();
    if (a * a + b * b <= 1) hits++;
  }
  return hits;
});

const tasks = Number(process.argv[2] ?? 256);
const samples = Number(process.argv[3] ?? 100_000);
await run(async () => {
  const hits = await Promise.all(Array.from({ length: tasks }, (_, i) => inside(i + 1, samples)));
  const pi = (4 * hits.reduce((a, b) => a + b, 0)) / (tasks * samples);
  console.log(`pi ≈ ${pi.toFixed(6)} from ${tasks * samples} samples in ${tasks} tasks on ${world.size} rank(s)`);
});
