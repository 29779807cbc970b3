// main returns while many tasks it never awaited are still queued or running:
// the job must end cleanly (exit 0), the queued tasks cancelled and counted.
import { run, task, stats, world } from '../../src/index.js';
import { record } from './lib.js';

const slow = task('slow', async (ms: number) => {
  await new Promise((r) => setTimeout(r, ms));
  return ms;
});
const placedSlow = task('placedSlow', (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
  return ms;
});
await run(async () => {
  for (let i = 0; i < 2000; i++) void slow(5).catch(() => {});
  for (let r = 0; r < world.size; r++) for (let i = 0; i < 20; i++) void placedSlow.on(r)(2).catch(() => {});
  return 'done';
});
record({ rank: world.rank, ...stats() });
