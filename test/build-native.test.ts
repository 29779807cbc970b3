import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
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
