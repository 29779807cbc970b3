// Refs: a value put on rank 0 reaches other ranks through Refs passed along
// (three hops, and 1,000 nested hops), Arrow data is read in place on the
// same node, release() and dispose free at once, and once every rank has
// dropped its Refs (garbage collection everywhere) every value is freed
// exactly once.
import { tableFromArrays, type Table } from 'apache-arrow';
import { run, task, put, stats, world, Ref } from '../../src/index.js';
import { homeOf } from '../../src/wire/memory/homes.js';
import { record } from './lib.js';

const gc = (globalThis as { gc?: () => void }).gc!;
const next = () => (world.rank + 1) % world.size;

const hop = task('hop', async (ref: Ref<{ label: string }>, left: number): Promise<string> => {
  const v = await ref.get();
  return left === 0 ? `${v.label}@${world.rank}` : hop.on(next())(ref, left - 1);
});
const deep = task('deep', async (ref: Ref<number>, left: number): Promise<number> => (left === 0 ? ref.get() : deep.on(next())(ref, left - 1)));
const inPlace = task('inPlace', async (ref: Ref<Table>) => {
  const t = await ref.get();
  const col = t.getChild('x')!.data[0]!.values as Float64Array;
  const home = homeOf(col);
  return { sum: col.reduce((a, b) => a + b, 0), owner: home ? home.block.owner : -1 };
});
const collect = task('collect', () => {
  gc();
  return stats().liveRefs;
});

// In a function of its own: a suspended async function may keep dead locals reachable.
async function passAround(): Promise<void> {
  const ref = put({ label: 'payload' });
  record({ check: 'three hops', value: await hop.on(next())(ref, 2) });
  const numbers = put(42);
  record({ check: 'deep', value: await deep.on(next())(numbers, 1000) });
  const table = put(tableFromArrays({ x: Float64Array.from({ length: 4096 }, (_, i) => i) }));
  // Before any rank asked for it, the owner's copy already lies in its arena.
  record({ check: 'arrow at put', value: await inPlace.on(world.rank)(table) });
  record({ check: 'arrow', value: await inPlace.on(world.size - 1)(table) });
}

await run(async () => {
  await passAround();
  const released = put('gone at once');
  const before = stats().liveRefs;
  released.release();
  const disposed = put('gone too');
  disposed[Symbol.dispose]();
  record({ check: 'release', freedAtOnce: before - stats().liveRefs === 1, liveAfterDispose: stats().liveRefs, getAfterRelease: await released.get().then(() => 'resolved', (e: { code?: string }) => e.code) });
  // Drop everything, collect everywhere until rank 0 holds no value any rank could reach.
  let live = -1;
  for (let i = 0; i < 200 && live !== 0; i++) {
    await Promise.all(Array.from({ length: world.size }, (_, r) => collect.on(r)()));
    await new Promise((r) => setTimeout(r, 10));
    live = stats().liveRefs;
  }
  record({ check: 'freed', live });
});
const s = stats();
record({ rank: world.rank, refsPut: s.refsPut, refsFreed: s.refsFreed, liveRefs: s.liveRefs, refMessagesSent: s.refMessagesSent });
