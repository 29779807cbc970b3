// An app whose package.json lacks "type": "module" cannot load its ES module
// script on any rank: the job says once, in one line, what to add, instead
// of node's loader stack (or node's warning) on every rank.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, root } from './helpers/ranks.js';

const dir = mkdtempSync(join(tmpdir(), 'taskloaf-module-type-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'an-app', private: true }));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(root, join(dir, 'node_modules', 'taskloaf'));
writeFileSync(
  join(dir, 'app.js'),
  "import { run, task } from 'taskloaf';\nconst sq = task('sq', async (n) => n * n);\nawait run(async () => console.log(await sq(3)));\n",
);
writeFileSync(
  join(dir, 'app.ts'),
  "import { run, task } from 'taskloaf';\nconst sq = task('sq', async (n: number) => n * n);\nawait run(async () => console.log(await sq(3)));\n",
);

t.test('a .ts script in a package without "type": "module"', async (t) => {
  const r = spawnSync(process.execPath, [cli, 'run', '-n', '2', 'app.ts'], { cwd: dir, encoding: 'utf8', timeout: 180_000 });
  t.not(r.status, 0);
  const hint = `add "type": "module" to ${join(dir, 'package.json')}`;
  t.equal(r.stderr.split(hint).length - 1, 1, r.stderr);
  t.notMatch(r.stderr, /Cannot require\(\)|node:internal/, "not node's loader stack");
  t.notMatch(r.stderr, /MPI_ABORT|Primary job|detected that one or more processes/, 'no Open MPI banner');
});

// Node reparses such a .js as an ES module (older versions refuse it) and
// warns on every rank: the advice comes once either way.
t.test('a .js script in a package without "type": "module"', async (t) => {
  const r = spawnSync(process.execPath, [cli, 'run', '-n', '2', 'app.js'], { cwd: dir, encoding: 'utf8', timeout: 180_000 });
  const hint = `add "type": "module" to ${join(dir, 'package.json')}`;
  t.equal(r.stderr.split(hint).length - 1, 1, r.stderr);
  t.notMatch(r.stderr, /MPI_ABORT|Primary job|detected that one or more processes/, 'no Open MPI banner');
});
