// A victim's job on a shared node: every rank registers a time-limit hook and
// main ends once every rank's hook has run.
//   shared-node-victim.ts            the hook runs at once
//   shared-node-victim.ts DIR        the hook waits for DIR/release, then
//                                    leaves DIR/hook-<rank> (what a requeue finds)
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onTimeLimit, run, task, world, start } from '../../src/index.js';
import { record } from './lib.js';

start();
const [gate] = process.argv.slice(2);
let warned = false;
onTimeLimit(async () => {
  while (gate && !existsSync(join(gate, 'release'))) await new Promise((r) => setTimeout(r, 20));
  if (gate) writeFileSync(join(gate, `hook-${world.rank}`), '');
  warned = true;
  record({ hook: world.rank });
});
const hasWarned = task('hasWarned', () => warned);

await run(async () => {
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const all = await Promise.all(Array.from({ length: world.size }, (_, r) => hasWarned.on(r)()));
    if (all.every(Boolean)) break;
  }
  record({ allWarned: world.size });
});
