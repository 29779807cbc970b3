import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './helpers/ranks.js';

const script = join(root, 'scripts', 'build-native.mjs');
const check = (env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, [script, '--check'], { env: { HOME: tmpdir(), TASKLOAF_NO_APT: '1', ...env }, encoding: 'utf8' });

t.test('a machine without MPI gets one message naming packages and modules', async (t) => {
  // A PATH with the compiler tools but no mpicc.
  const bin = mkdtempSync(join(tmpdir(), 'taskloaf-bin-'));
  for (const tool of ['cc', 'c++', 'cmake']) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
  const r = check({ PATH: bin });
  t.equal(r.status, 1);
  t.match(r.stderr, /missing MPI \(mpicc\)\./);
  t.match(r.stderr, /apt-get install libopenmpi-dev openmpi-bin/);
  t.match(r.stderr, /dnf install openmpi-devel/);
  t.match(r.stderr, /module load openmpi/);
  t.notMatch(r.stderr, /libnuma headers/, 'only what is missing is named');
});

t.test('an mpicc without its headers is named as missing development files', async (t) => {
  const bin = mkdtempSync(join(tmpdir(), 'taskloaf-bin-'));
  const fake = join(bin, 'mpicc');
  writeFileSync(fake, '#!/bin/sh\nexit 1\n');
  chmodSync(fake, 0o755);
  const r = check({ PATH: process.env.PATH!, TASKLOAF_MPICC: fake });
  t.equal(r.status, 1);
  t.match(r.stderr, `missing MPI development files (${fake} cannot find mpi.h)`);
});

t.test('nothing at all on PATH: everything is named', async (t) => {
  const r = check({ PATH: '/nonexistent' });
  t.equal(r.status, 1);
  for (const what of ['CMake', 'C/C++ compiler', 'MPI (mpicc)', 'libnuma headers', 'hwloc headers']) t.match(r.stderr, what);
});

t.test('the MPI is found through TASKLOAF_MPICC, MPI_HOME or PATH', async (t) => {
  const path = process.env.PATH!;
  t.match(check({ PATH: path }).stderr, /found everything needed to build \(MPI: \S*mpicc\)/);
  t.match(check({ PATH: path, TASKLOAF_MPICC: 'mpicc.openmpi' }).stderr, /MPI: \S*mpicc\.openmpi\)/);
  // MPI_HOME as a module sets it: <home>/bin/mpicc.
  const home = mkdtempSync(join(tmpdir(), 'taskloaf-mpi-home-'));
  spawnSync('mkdir', ['-p', join(home, 'bin')]);
  symlinkSync('/usr/bin/mpicc.openmpi', join(home, 'bin', 'mpicc'));
  t.match(check({ PATH: '/usr/bin:/bin', MPI_HOME: home }).stderr, new RegExp(`MPI: ${home}/bin/mpicc\\)`));
});

// As another project's dependency npm 7+ hides this script's output unless it
// fails, so apt-get runs there only when asked for; in taskloaf's own clone it
// runs as the README's first command says.
t.test('apt-get runs for a dependency install only with TASKLOAF_APT=1', async (t) => {
  if (process.getuid?.() !== 0) throw new Error('apt-get is only tried as root: run the tests as root');
  const bin = mkdtempSync(join(tmpdir(), 'taskloaf-bin-'));
  for (const tool of ['cc', 'c++', 'cmake']) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
  // A stand-in apt-get that records its call and fails: nothing is installed.
  const calls = join(bin, 'apt-calls');
  writeFileSync(join(bin, 'apt-get'), `#!/bin/sh\necho "$@" >> ${calls}\nexit 1\n`);
  chmodSync(join(bin, 'apt-get'), 0o755);
  const place = (dir: string) => {
    const scripts = join(mkdtempSync(join(tmpdir(), 'taskloaf-place-')), dir, 'scripts');
    spawnSync('mkdir', ['-p', scripts]);
    copyFileSync(script, join(scripts, 'build-native.mjs'));
    return join(scripts, 'build-native.mjs');
  };
  const build = (at: string, env: NodeJS.ProcessEnv = {}) => {
    rmSync(calls, { force: true });
    const r = spawnSync(process.execPath, [at], { env: { HOME: tmpdir(), PATH: bin, ...env }, encoding: 'utf8' });
    return { ...r, aptRan: existsSync(calls) };
  };
  const dependency = place(join('node_modules', 'taskloaf'));
  const plain = build(dependency);
  t.equal(plain.status, 1);
  t.equal(plain.aptRan, false, 'no apt-get for a dependency by default');
  t.match(plain.stderr, /TASKLOAF_APT=1 npm install installs them with apt-get/, 'says how to ask for it');
  const asked = build(dependency, { TASKLOAF_APT: '1' });
  t.equal(asked.aptRan, true, 'apt-get with TASKLOAF_APT=1');
  t.match(asked.stderr, /installing .*libopenmpi-dev.* with apt-get/);
  const clone = build(place('taskloaf'));
  t.equal(clone.aptRan, true, "apt-get in taskloaf's own clone");
  t.notMatch(clone.stderr, /TASKLOAF_APT=1/);
  const refused = build(place('taskloaf'), { TASKLOAF_NO_APT: '1' });
  t.equal(refused.aptRan, false, 'never with TASKLOAF_NO_APT=1');
});
