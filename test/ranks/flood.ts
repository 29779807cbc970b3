// Main spawns N tiny tasks in one synchronous loop, holding no promise, and
// counts their results; every rank reports its peak resident memory.
//   flood.ts N anywhere|placed|roundabout
// roundabout: each task on the last rank calls back a task on rank 0 that
// waits for a timer, so no result can come while the spawning loop runs.
import { run, task, world, start } from '../../src/index.js';
import { record } from './lib.js';

start();
const [nText = '1000000', how = 'anywhere'] = process.argv.slice(2);
const n = Number(nText);
const noop = task('noop', () => 1);
const peak = task('peak', () => process.resourceUsage().maxRSS * 1024);
const later = task('later', () => new Promise((r) => setTimeout(() => r(1), 1)));
const roundabout = task('roundabout', () => later.on(0)());

await run(async () => {
  let done = 0;
  let finish!: () => void;
  const all = new Promise<void>((r) => (finish = r));
  const count = () => {
    if (++done === n) finish();
  };
  const last = world.size - 1;
  const spawn = how === 'placed' ? noop.on(last) : how === 'roundabout' ? roundabout.on(last) : noop;
  for (let i = 0; i < n; i++) void spawn().then(count);
  await all;
  const peaks = await Promise.all(Array.from({ length: world.size }, (_, r) => peak.on(r)()));
  record({ n, done, peaks });
});
