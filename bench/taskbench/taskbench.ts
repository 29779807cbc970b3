// Task Bench in taskloaf: one column task per rank (point i lives on rank i)
// runs the graph's steps; a task's output goes straight to the ranks whose
// next task reads it (a `deliver` task placed there), and a column waits only
// for its own inputs: no rank in the middle, as in the MPI version.
// Prints JSON lines from rank 0: the kernel's calibration, then one per graph.
// Usage: taskloaf run -n W bench/taskbench/taskbench.ts [--patterns a,b] [--iterations n,m,...]
//        [--target-ms 200] [--min-steps 10] [--max-steps 2000] [--steps N] [--warm-ms 2000]
import { run, task, world } from 'taskloaf';
import { activeWidth, dependencies, dependents, isPattern, kernel, output, PATTERNS, taskCount, type Pattern } from './graph.js';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}
const patterns = option('patterns', PATTERNS.join(',')).split(',');
for (const p of patterns) if (!isPattern(p)) throw new Error(`--patterns: unknown pattern '${p}' (one of ${PATTERNS.join(', ')})`);
const iterationList = option('iterations', '65536,4096,256,16,1').split(',').map(Number);
const targetMs = Number(option('target-ms', '200'));
const minSteps = Number(option('min-steps', '10'));
const maxSteps = Number(option('max-steps', '2000'));
const fixedSteps = Number(option('steps', '0'));
const warmMs = Number(option('warm-ms', '2000'));

// Inputs that arrived before their reader asked, and readers waiting for theirs.
const arrived = new Map<string, number>();
const waiting = new Map<string, (v: number) => void>();
const keyOf = (g: number, t: number, from: number) => `${g}:${t}:${from}`;

const deliver = task('taskbench.deliver', (g: number, t: number, from: number, value: number) => {
  const k = keyOf(g, t, from);
  const w = waiting.get(k);
  if (w) {
    waiting.delete(k);
    w(value);
  } else arrived.set(k, value);
  return 0;
});

function input(g: number, t: number, from: number): number | Promise<number> {
  const k = keyOf(g, t, from);
  const v = arrived.get(k);
  if (v !== undefined) {
    arrived.delete(k);
    return v;
  }
  return new Promise((resolve) => waiting.set(k, resolve));
}

const column = task('taskbench.column', async (g: number, pattern: Pattern, iterations: number, steps: number) => {
  const me = world.rank;
  const width = world.size;
  const sends: Promise<number>[] = [];
  let mine = 0;
  let sink = 0;
  for (let t = 0; t < steps; t++) {
    if (me >= activeWidth(pattern, width, t)) continue; // the tree's first steps have fewer points
    const deps = dependencies(pattern, width, t, me);
    const inputs: number[] = [];
    let remote = false;
    for (const d of deps) {
      remote ||= d !== me;
      inputs.push(d === me ? mine : await input(g, t - 1, d));
    }
    sink += kernel(iterations);
    mine = output(t, me, inputs);
    if (t + 1 < steps) for (const j of dependents(pattern, width, t, me)) if (j !== me) sends.push(deliver.on(j)(g, t, me, mine));
    // Outputs leave once this task yields: a column whose inputs are all its
    // own (the tree's point 0) yields here, or it would hold them to the end.
    if (!remote) await undefined;
  }
  await Promise.all(sends);
  // The kernel's result must be used or the JIT may drop it; it is never ≤ 0.
  return { last: mine, kernelOk: sink > 0 || iterations === 0 };
});

const calibrate = task('taskbench.calibrate', () => {
  kernel(1e6); // compile
  let n = 1 << 20;
  for (;;) {
    const t0 = performance.now();
    kernel(n);
    const ms = performance.now() - t0;
    if (ms > 100 || n > 2 ** 30) return (ms * 1e6) / n;
    n *= 2;
  }
});

let graphs = 0;
const out = await run(async () => {
  const width = world.size;
  // Warm-up, unmeasured: a new process spends its first seconds compiling the
  // runtime's hot paths (graphs run then take up to twice as long), which
  // would be charged to the first graphs. Every pattern runs until warmMs is up.
  const warmUntil = performance.now() + warmMs;
  while (performance.now() < warmUntil) {
    for (const pattern of patterns as Pattern[]) {
      for (const iterations of [4096, 16]) {
        const warm = ++graphs;
        await Promise.all(Array.from({ length: width }, (_, r) => column.on(r)(warm, pattern, iterations, 200)));
      }
    }
  }
  const nsPerIteration = await calibrate.on(0)();
  console.log(JSON.stringify({ system: 'taskloaf', kind: 'calibration', nsPerIteration, width }));
  for (const pattern of patterns as Pattern[]) {
    for (const iterations of iterationList) {
      const steps = fixedSteps || Math.max(minSteps, Math.min(maxSteps, Math.round((targetMs * 1e6) / (iterations * nsPerIteration + 10_000))));
      const g = ++graphs;
      const t0 = performance.now();
      const cols = await Promise.all(Array.from({ length: width }, (_, r) => column.on(r)(g, pattern, iterations, steps)));
      const wallSeconds = (performance.now() - t0) / 1000;
      // The last step's outputs, from the ranks that own a point there.
      const checksum = cols.slice(0, activeWidth(pattern, width, steps - 1)).reduce((a, c) => a + c.last, 0);
      if (!cols.every((c) => c.kernelOk)) throw new Error('kernel result lost');
      console.log(JSON.stringify({ system: 'taskloaf', pattern, width, iterations, steps, tasks: taskCount(pattern, width, steps), wallSeconds, checksum }));
    }
  }
  return 'done';
});
if (out && (arrived.size || waiting.size)) throw new Error(`inputs left over: ${arrived.size} arrived, ${waiting.size} waiting`);
