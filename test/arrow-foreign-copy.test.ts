// An app with its own copy of apache-arrow next to taskloaf linked as a
// `file:` dependency: its Table, RecordBatch, Vector and Data travel as
// arguments, results and through put()/Ref, on one node and across
// simulated nodes, and arrive equal. A second copy of the same version
// fails instanceof just as another version does.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cli, root } from './helpers/ranks.js';
import { TaskloafError } from '../src/errors.js';
import { arrowKind, encodeArrow } from '../src/wire/values/arrow.js';

// The directory of a package as taskloaf resolves it.
const packageDir = (name: string, from: string): string => {
  let dir = dirname(realpathSync(createRequire(from).resolve(name)));
  while (!dir.endsWith(`/node_modules/${name}`)) dir = dirname(dir);
  return dir;
};

const tmp = mkdtempSync(join(tmpdir(), 'taskloaf-arrow-app-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
const app = join(tmp, 'app');
const modules = join(app, 'node_modules');
mkdirSync(modules, { recursive: true });
const arrowDir = packageDir('apache-arrow', join(root, 'package.json'));
// The app's own apache-arrow, and what it needs at run time.
cpSync(arrowDir, join(modules, 'apache-arrow'), { recursive: true });
for (const dep of ['flatbuffers', 'tslib', 'json-with-bigint']) cpSync(packageDir(dep, join(arrowDir, 'package.json')), join(modules, dep), { recursive: true });
symlinkSync(root, join(modules, 'taskloaf'));
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', type: 'module', dependencies: { taskloaf: `file:${root}`, 'apache-arrow': '*' } }));
cpSync(join(root, 'test', 'ranks', 'arrow-foreign-app.ts'), join(app, 'main.ts'));

for (const nodes of [1, 2]) {
  t.test(`the app's own Arrow values, ${nodes === 1 ? 'one node' : 'two simulated nodes'}`, async (t) => {
    const args = [cli, 'run', '-n', '2', ...(nodes > 1 ? ['--simulate-nodes', String(nodes)] : []), join(app, 'main.ts')];
    const r = spawnSync(process.execPath, args, { cwd: app, encoding: 'utf8', timeout: 240_000 });
    t.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { kind: string; check: string; value: string });
    const kinds = ['Table', 'RecordBatch', 'Vector', 'Data'];
    const checks = ['argument', 'result', 'made remotely', 'put', 'ref read remotely'];
    t.equal(lines.length, kinds.length * checks.length, r.stdout + r.stderr);
    for (const l of lines) t.equal(l.value, 'equal', `${l.kind} ${l.check}`);
  });
}

t.test('a value that says it is Arrow but has another shape is ERR_ARROW_UNSUPPORTED', async (t) => {
  class Table {
    static [Symbol.toStringTag] = 'Table';
    chunks = [];
  }
  const err = (() => {
    try {
      arrowKind(new Table());
    } catch (e) {
      return e;
    }
  })();
  t.type(err, TaskloafError);
  t.match(err, { code: 'ERR_ARROW_UNSUPPORTED', message: /a Table of another shape.*taskloaf's apache-arrow \d+\.\d+/ });
  t.equal(arrowKind(new Map()), -1, 'other objects are not Arrow');
  t.equal(arrowKind({ type: 1, length: 2 }), -1);
});

t.test('a column type taskloaf does not know is ERR_ARROW_UNSUPPORTED', async (t) => {
  const type = { typeId: 99, children: [], [Symbol.toStringTag]: 'ListView', toString: () => 'ListView<Int32>' };
  const data = { [Symbol.for('apache-arrow/Data')]: true, type, length: 0, offset: 0, stride: 1, children: [] };
  t.equal(arrowKind(data), 3, 'a Data by its mark');
  // A program whose own apache-arrow is another version: the message names both.
  const other = join(tmp, 'other');
  mkdirSync(join(other, 'node_modules', 'apache-arrow'), { recursive: true });
  writeFileSync(join(other, 'node_modules', 'apache-arrow', 'package.json'), JSON.stringify({ name: 'apache-arrow', version: '99.1.0', main: 'index.js' }));
  writeFileSync(join(other, 'node_modules', 'apache-arrow', 'index.js'), '');
  const argv1 = process.argv[1];
  process.argv[1] = join(other, 'main.js');
  t.teardown(() => void (process.argv[1] = argv1));
  const ours = JSON.parse(readFileSync(join(arrowDir, 'package.json'), 'utf8')).version as string;
  t.throws(() => encodeArrow(data), { code: 'ERR_ARROW_UNSUPPORTED', message: new RegExp(`type ListView<Int32> \\(type id 99\\), made by apache-arrow 99\\.1\\.0 \\(the program's copy\\), cannot be read by taskloaf's apache-arrow ${ours.replace(/\./g, '\\.')}`) });
});
