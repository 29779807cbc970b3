// A script taskloaf cannot load (a .py, a text file) is refused with a code
// before any rank starts, instead of failing once on every rank.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers/ranks.js';

const dir = mkdtempSync(join(tmpdir(), 'taskloaf-script-type-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

for (const name of ['app.py', 'notes.txt', 'app']) {
  t.test(`${name} is refused before any rank starts`, async (t) => {
    const script = join(dir, name);
    writeFileSync(script, 'print("hello")\n');
    const r = spawnSync(process.execPath, [cli, 'run', '-n', '2', script], { encoding: 'utf8', timeout: 120_000 });
    t.not(r.status, 0);
    t.match(r.stderr, /\[ERR_SCRIPT_TYPE\]/, r.stderr);
    t.match(r.stderr, 'is not a JavaScript or TypeScript file');
    t.notMatch(r.stderr, /rank \d|SyntaxError|mpiexec|MPI/, 'no rank started');
  });
}
