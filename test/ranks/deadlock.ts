// Deadlocks, and waits that only look like one:
//   deadlock.ts never      main awaits a promise nothing settles
//   deadlock.ts stuck      main awaits a task that awaits such a promise
//   deadlock.ts sleeping   main awaits a task that sleeps (a timer will fire)
//   deadlock.ts busy       main awaits a task that computes for a while
import { run, task, world, start } from '../../src/index.js';
import { record } from './lib.js';

start();
const mode = process.argv[2];
const stuck = task('stuck', () => new Promise(() => {}));
const sleeper = task('sleeper', (ms: number) => new Promise((r) => setTimeout(() => r('woke'), ms)));
const busy = task('busy', (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
  return 'done';
});
const last = world.size - 1;

await run(async () => {
  if (mode === 'never') await new Promise(() => {});
  if (mode === 'stuck') await stuck.on(last)();
  if (mode === 'sleeping') record({ result: await sleeper.on(last)(3000) });
  if (mode === 'busy') record({ result: await busy.on(last)(3000) });
  record({ finished: true });
});
