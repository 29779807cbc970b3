// main awaits a task placed on the last rank, which throws with a cause:
// the exit report must point at this file's lines, not the runtime's.
import { run, task, world } from '../../src/index.js';

function parseRow(s: string): number {
  throw new Error(`bad row: ${s}`); // REPORT-THROW
}

const load = task('load', async (s: string) => {
  try {
    return parseRow(s);
  } catch (e) {
    throw new Error('loading failed', { cause: e }); // REPORT-WRAP
  }
});

await run(async () => {
  return await load.on(world.size - 1)('x,y');
});
