// piscina on the same tiny tasks: N no-op tasks on `threads` worker threads,
// spawned and awaited in chunks like bench/runtime/tasks.ts; and a one-task
// round trip. Prints one JSON line.
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { packageRoot } from '../../src/native/addon.js';

const [nText = '200000', threadsText = '2'] = process.argv.slice(2);
const n = Number(nText);
const threads = Number(threadsText);
const pool = new Piscina({ filename: join(packageRoot, 'bench', 'peers', 'piscina-worker.mjs'), minThreads: threads, maxThreads: threads });
for (let i = 0; i < 1000; i++) await pool.run(null);
let t0 = performance.now();
const rt = Math.min(n, 20_000);
for (let i = 0; i < rt; i++) await pool.run(null);
const us = ((performance.now() - t0) * 1000) / rt;
const chunk = 10_000;
t0 = performance.now();
for (let done = 0; done < n; done += chunk) await Promise.all(Array.from({ length: Math.min(chunk, n - done) }, () => pool.run(null)));
const perSecond = n / ((performance.now() - t0) / 1000);
await pool.destroy();
console.log(JSON.stringify({ system: 'piscina', threads, us, perSecond }));
