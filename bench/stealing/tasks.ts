// Rank program for the work-stealing benchmarks. Prints one JSON line from rank 0.
//   fib n        fib(n), every call above the cutoff a task spawned anywhere
//   uts b0       an unbalanced tree search: the nodes of a binomial tree whose
//                root has b0 children, counted by tasks that give half their
//                frontier away
// Usage: taskloaf run -n N bench/stealing/tasks.ts <fib|uts> <arg>
import { run, task, world } from 'taskloaf';
import { UTS, utsChild, utsChildren } from './uts-tree.js';

const [mode = 'fib', argText = '30'] = process.argv.slice(2);
const arg = Number(argText);
if (mode === 'uts') UTS.rootChildren = arg; // every rank runs with the same arguments

const serial = (n: number): number => (n < 2 ? n : serial(n - 1) + serial(n - 2));
const fib = task('fib', async (n: number): Promise<number> => {
  if (n < 25) return serial(n);
  const [a, b] = await Promise.all([fib(n - 1), fib(n - 2)]);
  return a + b;
});

// A turn of the event loop, so the runtime can answer thieves and take in messages.
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

// Counts the nodes under `frontier` depth-first; every SPLIT nodes, half of
// what is left (the shallowest nodes: the largest subtrees) becomes a task of
// its own that idle ranks can steal.
const SPLIT = 512;
const explore = task('uts.explore', async (frontier: number[], depth: number[]): Promise<number> => {
  const stack = frontier;
  const depths = depth;
  const given: Promise<number>[] = [];
  let count = 0;
  while (stack.length > 0) {
    const node = stack.pop()!;
    const d = depths.pop()!;
    count++;
    const n = utsChildren(node, d);
    for (let k = 0; k < n; k++) {
      stack.push(utsChild(node, k));
      depths.push(d + 1);
    }
    if (count % SPLIT === 0) {
      if (stack.length > 1) {
        const half = stack.length >> 1;
        given.push(explore(stack.splice(0, half), depths.splice(0, half)));
      }
      await turn();
    }
  }
  for (const c of await Promise.all(given)) count += c;
  return count;
});

const warm = task('stealing.warm', () => {
  for (let i = 0; i < 5; i++) serial(27);
  let nodes = 0;
  const stack = [UTS.root];
  const depths = [0];
  while (stack.length && nodes < 200_000) {
    const node = stack.pop()!;
    const d = depths.pop()!;
    nodes++;
    for (let k = 0, n = utsChildren(node, d); k < n; k++) {
      stack.push(utsChild(node, k));
      depths.push(d + 1);
    }
  }
  return nodes;
});

const warmMs = Number(process.env.TASKLOAF_BENCH_WARM_MS ?? 2000);
const out = await run(async () => {
  // Every rank compiles the kernels before the clock starts; then the same
  // work (fib: at the measured size; UTS: a smaller tree) runs for warmMs, unmeasured, so that the runtime's
  // own paths (spawn, steal, reply) are compiled too, as in any longer run.
  await Promise.all(Array.from({ length: world.size }, (_, r) => warm.on(r)()));
  const kids = Array.from({ length: 100 }, (_, k) => utsChild(UTS.root, k));
  for (const until = performance.now() + warmMs; performance.now() < until; ) {
    // fib at the measured size itself: the first fib(35) of a process on two
    // ranks takes about a third longer than the next (its deeper recursion
    // grows the heap and is compiled as it goes), a start-up cost, not stealing's.
    if (mode === 'fib') await fib(arg);
    else await explore([...kids], kids.map(() => 1));
  }
  const t0 = performance.now();
  const value = mode === 'fib' ? await fib(arg) : await explore([UTS.root], [0]);
  return { mode, arg, ranks: world.size, seconds: (performance.now() - t0) / 1000, value };
});
if (out) console.log(JSON.stringify(out));
