// A program compiled to JavaScript with a source map: the exit report of a
// task that throws points at the line of the .ts source, not of the .js.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { cli, root } from './helpers/ranks.js';

const dir = mkdtempSync(join(tmpdir(), 'taskloaf-source-maps-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'an-app', private: true, type: 'module' }));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(root, join(dir, 'node_modules', 'taskloaf'));

// The interface is erased in the .js: the throw's line there is not its line in the .ts.
const source = [
  "import { run, task, world } from 'taskloaf';",
  'interface Row {',
  '  a: number;',
  '  b: number;',
  '}',
  'const check = task(\'check\', async (row: Row) => {',
  "  if (row.a > row.b) throw new Error('a row out of order');",
  '  return row.a;',
  '});',
  'await run(async () => check.on(world.size - 1)({ a: 2, b: 1 }));',
  '',
].join('\n');
const js = ts.transpileModule(source, {
  fileName: 'app.ts',
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true },
});
writeFileSync(join(dir, 'app.ts'), source);
writeFileSync(join(dir, 'app.js'), js.outputText);
writeFileSync(join(dir, 'app.js.map'), js.sourceMapText!);

t.test('the report names the .ts line of a compiled program', async (t) => {
  // As a user runs it: the test runner puts its preload (which turns source
  // maps on) into NODE_OPTIONS of every child, so env(1) takes it out.
  const r = spawnSync('env', ['-u', 'NODE_OPTIONS', process.execPath, cli, 'run', '-n', '2', 'app.js'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 180_000,
  });
  t.not(r.status, 0);
  t.match(r.stderr, 'a row out of order');
  t.match(r.stderr, `${join(dir, 'app.ts')}:7:`, r.stderr);
});
