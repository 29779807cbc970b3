#!/usr/bin/env node
// Builds the native addon (npm's "install" step). Finds MPI the way a cluster
// user expects (MPI_HOME, TASKLOAF_MPICC, or the mpicc on PATH after
// `module load`), checks libnuma and hwloc, installs what is missing with
// apt-get on Debian/Ubuntu as root, and otherwise stops with one clear message.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readlinkSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = resolve(root, process.env.TASKLOAF_BUILD || 'build');
const say = (msg) => console.error(`taskloaf: ${msg}`);

function which(cmd) {
  if (cmd.includes('/')) return existsSync(cmd) ? cmd : null;
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    const p = join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return null;
}

function findMpicc() {
  const explicit = process.env.TASKLOAF_MPICC;
  if (explicit) return which(explicit);
  if (process.env.MPI_HOME) {
    const p = join(process.env.MPI_HOME, 'bin', 'mpicc');
    if (existsSync(p)) return p;
  }
  return which('mpicc');
}

// Preprocesses `#include <header>` with `cc` (the system compiler unless
// given; honours CPATH etc.).
function hasHeader(header, cc = which('cc') || which('gcc')) {
  if (!cc) return false;
  const dir = mkdtempSync(join(tmpdir(), 'taskloaf-probe-'));
  try {
    const src = join(dir, 'probe.c');
    writeFileSync(src, `#include <${header}>\nint main(void){return 0;}\n`);
    const r = spawnSync(cc, ['-E', src], { stdio: 'ignore' });
    return r.status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function missingPieces() {
  const missing = [];
  if (!which('cmake')) missing.push({ what: 'CMake', deb: ['cmake'], rhel: 'cmake', module: 'cmake' });
  if (!which('c++') && !which('g++')) missing.push({ what: 'a C/C++ compiler', deb: ['g++'], rhel: 'gcc-c++', module: 'gcc' });
  // mpicc alone is not enough: its headers come in a separate -dev package.
  const mpicc = findMpicc();
  if (!mpicc || !hasHeader('mpi.h', mpicc)) {
    const mpich = /mpich/.test(mpicc || process.env.TASKLOAF_MPICC || '');
    missing.push({
      what: mpicc ? `MPI development files (${mpicc} cannot find mpi.h)` : 'MPI (mpicc)',
      deb: mpich ? ['libmpich-dev', 'mpich'] : ['libopenmpi-dev', 'openmpi-bin'],
      rhel: mpich ? 'mpich-devel' : 'openmpi-devel',
      module: mpich ? 'mpich' : 'openmpi',
    });
  }
  if (!hasHeader('numa.h')) missing.push({ what: 'libnuma headers', deb: ['libnuma-dev'], rhel: 'numactl-devel', module: 'numactl' });
  if (!hasHeader('hwloc.h')) missing.push({ what: 'hwloc headers', deb: ['libhwloc-dev'], rhel: 'hwloc-devel', module: 'hwloc' });
  return missing;
}

function isDebianRoot() {
  return existsSync('/etc/debian_version') && typeof process.getuid === 'function' && process.getuid() === 0 && which('apt-get');
}

function aptInstall(packages) {
  say(`installing ${packages.join(' ')} with apt-get (Debian/Ubuntu, running as root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
  if (install().status === 0) return true;
  say('apt-get install failed; refreshing the package lists and trying again');
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  return install().status === 0;
}

// --check: report what is missing and stop. TASKLOAF_NO_APT=1: never apt-get.
// Installed as another project's dependency, npm 7+ shows nothing of this
// script unless it fails, so packages are installed only when asked for
// (TASKLOAF_APT=1); in a clone of taskloaf itself, `npm install` shows it.
const checkOnly = process.argv.includes('--check');
const asDependency = root.split(sep).includes('node_modules');
const mayApt =
  !checkOnly && process.env.TASKLOAF_NO_APT !== '1' && isDebianRoot() && (!asDependency || process.env.TASKLOAF_APT === '1');
let missing = missingPieces();
if (missing.length && mayApt) {
  if (aptInstall([...new Set(missing.flatMap((m) => m.deb))])) missing = missingPieces();
}
if (missing.length) {
  const lines = [
    `cannot build the native addon: missing ${missing.map((m) => m.what).join(', ')}.`,
    `  Debian/Ubuntu: apt-get install ${[...new Set(missing.flatMap((m) => m.deb))].join(' ')}`,
    `  RHEL/Rocky/Fedora: dnf install ${missing.map((m) => m.rhel).join(' ')}`,
    `  On a cluster: module load ${missing.map((m) => m.module).join(' ')}  (or set MPI_HOME / TASKLOAF_MPICC to your MPI)`,
  ];
  if (asDependency && !checkOnly && process.env.TASKLOAF_NO_APT !== '1' && isDebianRoot() && process.env.TASKLOAF_APT !== '1') {
    lines.push('  As root on Debian/Ubuntu, TASKLOAF_APT=1 npm install installs them with apt-get.');
  }
  say(lines.join('\n'));
  process.exit(1);
}
if (checkOnly) {
  say(`found everything needed to build (MPI: ${findMpicc()})`);
  process.exit(0);
}

// Follows symlinks (Debian alternatives) to the last name that still says
// mpicc: the final target (opal_wrapper) behaves as mpicc only under that name.
function resolveMpicc(p) {
  let best = p;
  for (let i = 0; i < 10 && lstatSync(p).isSymbolicLink(); i++) {
    p = resolve(dirname(p), readlinkSync(p));
    if (basename(p).startsWith('mpicc')) best = p;
  }
  return best;
}
const mpicc = resolveMpicc(findMpicc());
// The launcher that belongs to this MPI: Debian suffixes (.openmpi, .mpich)
// or the mpiexec beside mpicc, as in a module's bin directory.
function launcherFor(cc) {
  const dir = dirname(cc);
  const suffix = basename(cc).replace(/^mpicc/, '');
  const candidates = suffix
    ? [`mpiexec${suffix}`, `mpirun${suffix}`]
    : ['mpiexec', 'mpirun'];
  if (suffix === '.mpich') candidates.push('mpiexec.hydra');
  for (const c of candidates) if (existsSync(join(dir, c))) return join(dir, c);
  return which('mpiexec') || which('mpirun');
}

const require = createRequire(import.meta.url);
const cmakeJs = join(dirname(require.resolve('cmake-js/package.json')), 'bin', 'cmake-js');
mkdirSync(buildDir, { recursive: true });
say(`building the addon against ${mpicc} into ${buildDir}`);
// configure, then build: a build directory configured before keeps its old
// cache otherwise, and the settings below would not reach it.
const args = [cmakeJs, 'configure', '--out', buildDir, `--CDMPI_C_COMPILER=${mpicc}`];
// This Node's own headers (v8.h), for light aliases (native/alias.cc): beside
// the binary (official builds, nvm, modules) or in /usr/include/node.
const nodeInclude = [join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node'].find((d) => existsSync(join(d, 'v8.h')));
if (nodeInclude) args.push(`--CDTASKLOAF_NODE_INCLUDE=${resolve(nodeInclude)}`);
if (process.env.TASKLOAF_SANITIZE) args.push(`--CDTASKLOAF_SANITIZE=${process.env.TASKLOAF_SANITIZE}`);
if (process.env.TASKLOAF_DEBUG) args.push('--debug');
let r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (r.status === 0) r = spawnSync(process.execPath, [cmakeJs, 'build', '--out', buildDir, ...(process.env.TASKLOAF_DEBUG ? ['--debug'] : [])], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  say('the addon build failed (see the compiler output above)');
  process.exit(r.status ?? 1);
}
// What this build was made for, so that a later load under another Node
// major or another MPI can say so (src/native/addon.ts, buildMismatch).
const addonFile = join(buildDir, 'Release', 'taskloaf.node');
const probe = spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(addonFile)}).libraryVersion().library)`], { encoding: 'utf8' });
const built = {
  mpicc,
  mpiexec: launcherFor(mpicc),
  // null when the addon cannot be loaded bare (a sanitizer build needs its runtime preloaded).
  mpiLibrary: probe.status === 0 ? probe.stdout.split('\n')[0].trim() : null,
  node: process.versions.node,
  v8Headers: Boolean(nodeInclude),
};
writeFileSync(join(buildDir, 'mpi.json'), JSON.stringify(built, null, 2) + '\n');
say(`addon built: ${join(buildDir, 'Release', 'taskloaf.node')}`);
