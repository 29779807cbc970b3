// One rank dies in the middle of a run while the others are busy with tasks:
//   dies.ts sigkill|segv|sigterm|exit0|exit3|abort|none [victim]
// Every rank first keeps a table in its arena (so a shared segment exists to
// be cleaned up) and records the segment names it sees.
import { tableFromArrays } from 'apache-arrow';
import { listSegments, runPrefix } from '../../src/arena/names.js';
import { put, run, task, world, start, type Ref } from '../../src/index.js';
import { record } from './lib.js';

start();
const ompi = Number(process.env.OMPI_MCA_ess_base_jobid);
record({ rank: world.rank, pid: process.pid, ...(ompi > 0 ? { ompiJob: ompi.toString(16) } : {}) });
const how = process.argv[2] ?? 'sigkill';
const victim = Number(process.argv[3] ?? world.size - 1);

const die = task('die', () => {
  record({ dying: world.rank, how, at: Date.now(), pid: process.pid });
  switch (how) {
    case 'sigkill':
      process.kill(process.pid, 'SIGKILL');
      break;
    case 'sigterm':
      // A user's kill of one rank: its handlers run, then it ends as killed.
      process.kill(process.pid, 'SIGTERM');
      return;
    case 'segv':
      // What a crash in native code does to the process: death by SIGSEGV.
      process.kill(process.pid, 'SIGSEGV');
      break;
    case 'exit0':
      process.exit(0);
    case 'exit3':
      process.exit(3);
    case 'abort':
      process.abort();
  }
  // SIGKILL and SIGSEGV arrive asynchronously: stay busy until they land.
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
});
const kept: Ref<unknown>[] = [];
const hold = task('hold', () => {
  kept.push(put(tableFromArrays({ x: new Float64Array(1 << 17) })));
  const segments = listSegments(runPrefix(world.job, world.run, world.rank));
  record({ held: world.rank, segments });
  return segments.length;
});
const spin = task('spin', async (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) await new Promise((r) => setImmediate(r));
  return world.rank;
});

await run(async () => {
  await Promise.all(Array.from({ length: world.size }, (_, r) => hold.on(r)()));
  const busy: Promise<unknown>[] = [];
  for (let r = 0; r < world.size; r++) busy.push(spin.on(r)(60_000));
  // Every rank's first line has left before anything dies (Hydra drops what
  // its proxies have not yet forwarded when it kills a job).
  await new Promise((r) => setTimeout(r, 300));
  if (how !== 'none') void die.on(victim)();
  await Promise.all(busy);
  record({ survived: true });
});
