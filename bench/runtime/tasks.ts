// Rank program for the runtime and peers benchmarks. Prints one JSON line from rank 0.
//   roundtrip N    a no-op task on rank 1, awaited, N times in a row (µs each)
//   throughput N   N no-op tasks spawned anywhere and awaited (tasks/s)
//   memory         resident memory once the runtime is up (bytes)
//   lag N          N tiny tasks over 2+ ranks while a 1 ms interval timer
//                  measures how late it fires (event-loop lag, ms)
//   idle MS        every rank sits idle for MS ms; the CPU time each used
//                  (the progress engine's cost while there is nothing to do)
// Usage: taskloaf run -n 2 bench/runtime/tasks.ts <mode> <arg>
import { run, task, stats, world } from 'taskloaf';

const [mode = 'roundtrip', argText = '10000'] = process.argv.slice(2);
const arg = Number(argText);
const noop = task('noop', () => 0);
// Sits idle (no task, no message) for `ms` and says what share of a core it used.
const idleFor = task('idleFor', async (ms: number) => {
  await new Promise((r) => setTimeout(r, 50)); // let the last burst's spinning end
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / (performance.now() - t0);
});

const out = await run(async () => {
  if (mode === 'roundtrip') {
    const target = noop.on(world.size > 1 ? 1 : 0);
    for (let i = 0; i < 5000; i++) await target(); // warm up: the first few thousand run before the JIT has compiled the path
    // Timed in batches of 100 as well: the median batch is the figure a
    // stall of the machine (a descheduled core) does not move.
    const batches: number[] = [];
    const t0 = performance.now();
    let tb = t0;
    for (let i = 1; i <= arg; i++) {
      await target();
      if (i % 100 === 0) {
        const now = performance.now();
        batches.push((now - tb) * 10);
        tb = now;
      }
    }
    batches.sort((a, b) => a - b);
    return { mode, us: ((performance.now() - t0) * 1000) / arg, usMedianBatch: batches[batches.length >> 1] ?? NaN };
  }
  if (mode === 'throughput') {
    const chunk = 10_000;
    const t0 = performance.now();
    for (let done = 0; done < arg; done += chunk) await Promise.all(Array.from({ length: Math.min(chunk, arg - done) }, () => noop()));
    return { mode, perSecond: arg / ((performance.now() - t0) / 1000) };
  }
  if (mode === 'lag') {
    const lags: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      lags.push(now - last - 1);
      last = now;
    }, 1);
    const chunk = 10_000;
    const t0 = performance.now();
    for (let done = 0; done < arg; done += chunk) await Promise.all(Array.from({ length: Math.min(chunk, arg - done) }, () => noop.on(1 % world.size)()));
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(timer);
    lags.sort((a, b) => a - b);
    const q = (p: number) => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))] ?? NaN;
    return { mode, seconds, ticks: lags.length, p50: q(0.5), p99: q(0.99), max: lags[lags.length - 1] ?? NaN };
  }
  if (mode === 'idle') {
    const cpu = await Promise.all(Array.from({ length: world.size }, (_, r) => idleFor.on(r)(arg)));
    return { mode, cpuShare: Math.max(...cpu) };
  }
  return { mode, rss: process.memoryUsage().rss };
});
if (out) console.log(JSON.stringify({ ...out, ranks: world.size, counters: stats() }));
