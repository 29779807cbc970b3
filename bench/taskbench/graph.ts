// The Task Bench graph: `width` points per step, `steps` steps; the task at
// (t, i) reads the outputs of the tasks at (t - 1, d) for d in dependencies().
// The C (taskbench.c) and Dask (taskbench_dask.py) versions define the same
// patterns; test/bench-taskbench checks that all three agree.
//   trivial     no dependencies: tasks are independent
//   stencil_1d  i - 1, i, i + 1
//   fft         i and its butterfly partner i xor 2^k, k cycling over log2(width)
//   tree        a fan-out: step t has min(width, 2^t) points, i reads i >> 1

export const PATTERNS = ['trivial', 'stencil_1d', 'fft', 'tree'] as const;
export type Pattern = (typeof PATTERNS)[number];

export function isPattern(s: string): s is Pattern {
  return (PATTERNS as readonly string[]).includes(s);
}

/** How many points step t has (all but the tree's first steps have `width`). */
export function activeWidth(pattern: Pattern, width: number, t: number): number {
  return pattern === 'tree' && t < 31 ? Math.min(width, 2 ** t) : width;
}

function log2floor(n: number): number {
  return 31 - Math.clz32(Math.max(1, n));
}

/** The points of step t - 1 that (t, i) reads, ascending. */
export function dependencies(pattern: Pattern, width: number, t: number, i: number): number[] {
  if (t === 0 || i >= activeWidth(pattern, width, t)) return [];
  switch (pattern) {
    case 'trivial':
      return [];
    case 'stencil_1d':
      return [i - 1, i, i + 1].filter((d) => d >= 0 && d < width);
    case 'fft': {
      const k = 1 << ((t - 1) % Math.max(1, log2floor(width)));
      const partner = i ^ k;
      return partner < width && partner !== i ? [Math.min(i, partner), Math.max(i, partner)] : [i];
    }
    case 'tree':
      return [i >> 1];
  }
}

/** The points of step t + 1 that read (t, i), ascending. */
export function dependents(pattern: Pattern, width: number, t: number, i: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < activeWidth(pattern, width, t + 1); j++) if (dependencies(pattern, width, t + 1, j).includes(i)) out.push(j);
  return out;
}

/** The number of tasks in the graph. */
export function taskCount(pattern: Pattern, width: number, steps: number): number {
  let n = 0;
  for (let t = 0; t < steps; t++) n += activeWidth(pattern, width, t);
  return n;
}

const MOD = 1_000_003;

/** A task's output: a checksum of its inputs and place, so a lost or misrouted input shows. */
export function output(t: number, i: number, inputs: number[]): number {
  let s = 0;
  for (const v of inputs) s += v;
  return (s * 31 + t * 1009 + i + 1) % MOD;
}

/** The graph computed serially: the sum of the last step's outputs. */
export function reference(pattern: Pattern, width: number, steps: number): number {
  let prev: number[] = [];
  for (let t = 0; t < steps; t++) {
    const row: number[] = [];
    for (let i = 0; i < activeWidth(pattern, width, t); i++) row.push(output(t, i, dependencies(pattern, width, t, i).map((d) => prev[d]!)));
    prev = row;
  }
  return prev.reduce((a, b) => a + b, 0);
}

/** The compute-bound kernel: two dependent multiply-add chains (about a nanosecond an iteration). */
export function kernel(iterations: number): number {
  let a = 1.0;
  let b = 1.0;
  for (let k = 0; k < iterations; k++) {
    a = a * 1.0000001 + 1e-9;
    b = b * 0.9999999 + 1e-9;
  }
  return a + b;
}
