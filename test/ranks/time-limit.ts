// Time-limit hooks: every rank registers one; the job's warning runs them.
//   time-limit.ts hooks            main ends once every rank's hook has run
//   time-limit.ts requeue FILE     first run: count steps until requeued, the
//                                  hook saves the count to FILE; after the
//                                  restart: print what was saved and end
import { readFileSync, writeFileSync } from 'node:fs';
import { onTimeLimit, run, task, world, start } from '../../src/index.js';
import { record } from './lib.js';

start();
const [mode, file] = process.argv.slice(2);
const restart = Number(process.env.SLURM_RESTART_COUNT ?? 0);
let warned = false;
let step = 0;
onTimeLimit(async () => {
  await new Promise((r) => setTimeout(r, 200)); // a checkpoint takes a moment
  if (world.rank === 0 && file) writeFileSync(file, String(step));
  warned = true;
  record({ hook: world.rank, restart });
});
const hasWarned = task('hasWarned', () => warned);

await run(async () => {
  record({ started: world.size, restart });
  if (mode === 'requeue' && restart > 0) {
    record({ resumed: Number(readFileSync(file!, 'utf8')) });
    return;
  }
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    step++;
    if (mode === 'hooks') {
      const all = await Promise.all(Array.from({ length: world.size }, (_, r) => hasWarned.on(r)()));
      if (all.every(Boolean)) break;
    }
  }
  record({ allWarned: true, steps: step });
});
