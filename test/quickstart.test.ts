import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './helpers/ranks.js';

t.test("the README's quick-start example runs", async (t) => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const line = readme.split('\n').find((l) => l.startsWith('npm install && npx taskloaf run'));
  t.ok(line, 'the README has the quick-start command');
  const run = line!.split('&&')[1]!.trim().split(/\s+/);
  t.same(run.slice(0, 2), ['npx', 'taskloaf']);
  const r = spawnSync('npx', run.slice(1), { cwd: root, encoding: 'utf8', timeout: 120_000 });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^fib\(30\) = 832040 in [\d.]+ s on 2 rank\(s\)$/m);
});
