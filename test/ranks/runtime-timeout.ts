// Per-call timeouts: a slow task rejects with TaskTimeoutError, a fast one
// resolves, and the slow task's late result is dropped without harm.
import { run, stats, task, world, start, TaskTimeoutError } from '../../src/index.js';
import { record } from './lib.js';

start();
const slow = task('slow', async (ms: number) => {
  await new Promise((r) => setTimeout(r, ms));
  return 'late';
});
const echo = task('echo', (x: number) => x);

await run(async () => {
  const last = world.size - 1;
  const t0 = Date.now();
  const e = await slow.timeout(100).on(last)(1500).then(
    () => null,
    (err: TaskTimeoutError) => ({ class: err.constructor.name, code: err.code, task: err.task, ms: err.ms, rank: err.rank, message: err.message }),
  );
  record({ check: 'slow times out', error: e, after: Date.now() - t0 });
  record({ check: 'fast in time', value: await echo.timeout(5000).on(last)(7) });
  record({ check: 'anywhere', value: await echo.timeout(5000)(8) });
  let sync: unknown = null;
  try {
    echo.timeout(-1);
  } catch (err) {
    sync = (err as { code: string }).code;
  }
  record({ check: 'bad ms', code: sync });
  // Past the slow task's end: its result arrives, finds no future, is dropped.
  await new Promise((r) => setTimeout(r, 1700));
  record({ check: 'after the late result', value: await echo.on(last)(9), pending: stats().pendingFutures });
});
