// Per-call timeouts: a task that cannot finish until its caller has given up
// rejects with TaskTimeoutError (no clock needed to prove it), a fast one
// resolves, and the late result that comes once the task is let go is dropped
// without harm.
import { run, stats, task, world, start, TaskTimeoutError } from '../../src/index.js';
import { record } from './lib.js';

start();
let release: (() => void) | undefined;
// Waits until `open` lets it go: it cannot settle before its call times out.
const slow = task('slow', async () => {
  await new Promise<void>((r) => (release = r));
  return 'late';
});
const open = task('open', () => {
  const waiting = release !== undefined;
  release?.();
  return waiting;
});
const echo = task('echo', (x: number) => x);

await run(async () => {
  const last = world.size - 1;
  record({ check: 'anywhere', value: await echo.timeout(5000)(8) });
  let sync: unknown = null;
  try {
    echo.timeout(-1);
  } catch (err) {
    sync = (err as { code: string }).code;
  }
  record({ check: 'bad ms', code: sync });
  const e = await slow.timeout(100).on(last)().then(
    (value) => ({ resolved: value }),
    (err: TaskTimeoutError) => ({ class: err.constructor.name, code: err.code, task: err.task, ms: err.ms, rank: err.rank, message: err.message }),
  );
  record({ check: 'slow times out', error: e });
  // The task was still waiting when its call gave up; let it finish now.
  record({ check: 'still running at the timeout', value: await open.on(last)() });
  record({ check: 'fast in time', value: await echo.timeout(5000).on(last)(7) });
  // Results from one rank arrive in order: by this reply, the late one has come.
  const value = await echo.on(last)(9);
  record({ check: 'after the late result', value, pending: stats().pendingFutures, stray: stats().strayResults });
});
