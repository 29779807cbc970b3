// An addon used under another Node major or another MPI than it was built
// for still runs, but says so: once per job (in the launcher, not per rank)
// and in taskloaf doctor, with the rebuild to do.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, root } from './helpers/ranks.js';

const real = join(root, process.env.TASKLOAF_BUILD ?? 'build');
const hello = join(root, 'examples', 'hello.ts');
const taskloaf = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });

/** A build directory with this build's addon and what it records changed by `change`. */
function buildAs(change: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'taskloaf-build-'));
  mkdirSync(join(dir, 'Release'));
  copyFileSync(join(real, 'Release', 'taskloaf.node'), join(dir, 'Release', 'taskloaf.node'));
  const info = JSON.parse(readFileSync(join(real, 'mpi.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'mpi.json'), JSON.stringify({ ...info, ...change }));
  return dir;
}

t.test('the build records what it was made for', async (t) => {
  const info = JSON.parse(readFileSync(join(real, 'mpi.json'), 'utf8')) as Record<string, unknown>;
  t.equal(info.node, process.versions.node);
  t.type(info.v8Headers, 'boolean');
});

t.test('a build for the Node and MPI that run it: no warning', async (t) => {
  const r = taskloaf({}, 'run', '-n', '1', hello);
  t.equal(r.status, 0, r.stderr);
  t.notMatch(r.stderr, /warning: the addon/);
});

t.test('another Node major and another MPI: one warning each, once, and the job runs', async (t) => {
  const dir = buildAs({ node: '18.20.0', mpiLibrary: 'MPICH Version: 4.0.2' });
  const r = taskloaf({ TASKLOAF_BUILD: dir }, 'run', '-n', '2', hello);
  t.equal(r.status, 0, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.includes('warning: the addon'));
  t.equal(lines.length, 2, 'each said once, by the launcher, not by each of the 2 ranks');
  t.match(lines[0], new RegExp(`^taskloaf: warning: the addon was built under Node 18\\.20\\.0 and runs under Node ${process.versions.node.replace(/\./g, '\\.')}`));
  t.match(lines[1], /^taskloaf: warning: the addon was built against MPICH Version: 4\.0\.2 and runs with Open MPI/);
  for (const l of lines) t.match(l, /rebuild it for this one: npm run build:native/);
  const d = taskloaf({ TASKLOAF_BUILD: dir }, 'doctor', '--json');
  const addonCheck = d.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { name: string; verdict: string; detail: string; fix?: string }).find((c) => c.name === 'addon');
  t.match(addonCheck, { verdict: 'warn', detail: /built under Node 18\.20\.0.*built against MPICH/, fix: /npm run build:native/ });
});
