// Runs the multi-rank tests with the addon built under AddressSanitizer:
// builds it into build-asan (TASKLOAF_SANITIZE=address), preloads the
// compiler's libasan into every node process (node itself is not
// instrumented), and fails on any report.
// Usage: node scripts/test-asan.mjs [test files...]   (default: every multi-rank test)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = process.argv.slice(2);
// By default the whole multi-rank suite: the files of `npm run test:multirank`.
const multirank = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts['test:multirank'].split(/\s+/).slice(1);
const subset = files.length > 0 ? files : multirank;

const cc = process.env.CC || 'gcc';
const libasan = execFileSync(cc, ['-print-file-name=libasan.so'], { encoding: 'utf8' }).trim();
if (!existsSync(libasan)) {
  console.error(`test-asan: ${cc} has no libasan.so (${libasan}); install the compiler's sanitizer runtime`);
  process.exit(2);
}
// Next to the build it instruments: build-asan, or build-mpich-asan with
// TASKLOAF_MPICC=mpicc.mpich TASKLOAF_BUILD=build-mpich.
const buildDir = `${process.env.TASKLOAF_BUILD || 'build'}-asan`;
const build = spawnSync('npm', ['run', 'build:native'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TASKLOAF_SANITIZE: 'address', TASKLOAF_BUILD: buildDir },
});
if (build.status !== 0) process.exit(build.status ?? 1);

const env = {
  ...process.env,
  TASKLOAF_BUILD: buildDir,
  LD_PRELOAD: libasan,
  // V8 keeps memory to the end on purpose: leaks are not what this run is for.
  ASAN_OPTIONS: 'detect_leaks=0:verify_asan_link_order=0:abort_on_error=1:halt_on_error=1',
};
const tap = spawnSync('npx', ['tap', ...subset], { cwd: root, env, encoding: 'utf8', maxBuffer: 256 << 20 });
// No process.exit() after these: on a pipe the writes finish asynchronously,
// and exiting at once dropped the report's last lines (its totals with them).
process.stdout.write(tap.stdout ?? '');
process.stderr.write(tap.stderr ?? '');
if (tap.error) console.error(`test-asan: ${tap.error.message}`);
const reports = ((tap.stdout ?? '') + (tap.stderr ?? '')).split('\n').filter((l) => l.includes('ERROR: AddressSanitizer'));
if (reports.length > 0) console.error(`test-asan: ${reports.length} AddressSanitizer report(s):\n${reports.join('\n')}`);
process.exitCode = reports.length > 0 ? 1 : (tap.status ?? 1);
