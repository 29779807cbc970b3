// main throws while other ranks are busy with its tasks: every rank must end
// non-zero, with one report.
import { run, task } from '../../src/index.js';

const spin = task('spin', async (ms: number) => {
  await new Promise((r) => setTimeout(r, ms));
  return ms;
});
await run(async () => {
  void Promise.all(Array.from({ length: 50 }, () => spin(20))).catch(() => {});
  await spin(5);
  throw new Error('main broke on purpose');
});
