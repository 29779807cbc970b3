// A value put() on rank 0 reaches a task on rank 1 of the same node as a view
// of rank 0's memory. Mode `read`: the task reads it, and reports how its
// pages are mapped and whether the values are the owner's. Modes `write-sync`
// and `write-after-await`: the task writes into it, which must end the job
// with a report and leave the owner's data as it was.
import { readFileSync } from 'node:fs';
import { run, task, put, world, start, type Ref } from '../../src/index.js';
import { native } from '../../src/mpi.js';
import { record } from './lib.js';

start();
const mode = process.argv[2] ?? 'read';
const N = 65536;

/** The permissions of the mapping holding `view` ("r--s", "rw-s", ...). */
function mappingOf(view: Float64Array): string {
  const at = native().addressOf(view);
  for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const [range, perms] = line.split(' ');
    const [lo, hi] = (range ?? '').split('-').map((h) => BigInt(`0x${h || '0'}`));
    if (lo !== undefined && hi !== undefined && at >= lo && at < hi) return perms ?? '?';
  }
  return 'unmapped';
}

const inspect = task('inspect', async (ref: Ref<Float64Array>) => {
  const x = await ref.get();
  let bad = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== i) bad++;
  return { rank: world.rank, length: x.length, bad, perms: mappingOf(x) };
});
const scribbleNow = task('scribble', (x: Float64Array) => {
  x[7] = -1;
  return 'written';
});
const scribbleLater = task('scribbleLater', async (ref: Ref<Float64Array>) => {
  const x = await ref.get();
  x[7] = -1;
  return 'written';
});

await run(async () => {
  const values = Float64Array.from({ length: N }, (_, i) => i);
  const ref = put(values);
  if (mode === 'read') {
    record({ check: 'peer', ...(await inspect.on(1)(ref)) });
  } else if (mode === 'write-sync') {
    record({ check: 'peer', value: await scribbleNow.on(1)(await ref.get()) });
  } else {
    record({ check: 'peer', value: await scribbleLater.on(1)(ref) });
  }
  const after = await ref.get();
  record({ check: 'owner after', seventh: after[7], unchanged: after.every((v, i) => v === i) });
});
