// Starting what a benchmark measures, each printing JSON lines: a taskloaf
// program through `taskloaf run`, a C MPI program through the same launcher
// with ranks bound to cores, a Python peer through Debian's python3. Each
// starts quietly (bench/lib/quiet.ts): nothing of the one before still
// running, the CPUs settled.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { findLauncher, localCommand } from '../../src/launch/mpiexec.js';
import { buildDir, packageRoot } from '../../src/native/addon.js';
import { newToken, quietStart, quietStartsEnabled, TOKEN_VAR } from './quiet.js';

export type Row = Record<string, unknown> & Record<'system' | 'kind' | 'pattern', string | undefined>;

/** A short name for a command in the quiet-start log: the program and its first words. */
export function describe(command: string, args: string[]): string {
  return [command, ...args]
    .map((a) => (a.includes('/') ? basename(a) : a))
    .slice(0, 6)
    .join(' ');
}

/**
 * Runs one measurement to its end after a quiet start, its processes marked
 * (their environment carries a token their children inherit) so the next
 * quiet start finds any it leaves behind.
 */
export function measure(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 900_000): SpawnSyncReturns<string> {
  if (quietStartsEnabled()) quietStart(describe(command, args));
  return spawnSync(command, args, { env: { ...env, [TOKEN_VAR]: newToken() }, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
}

/** Runs a command to its end (a quiet start first) and returns the JSON lines it printed; any failure is an error with its stderr. */
export function jsonLines(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 900_000): Row[] {
  const r = measure(command, args, env, timeoutMs);
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.error?.message ?? `status ${r.status}, signal ${r.signal}`}):\n${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Row);
}

export const cli = join(packageRoot, 'dist', 'cli', 'main.js');

/** `taskloaf run -n np [flags] program args`. */
export function taskloaf(np: number, program: string, args: string[] = [], env: NodeJS.ProcessEnv = {}, flags: string[] = []): Row[] {
  return jsonLines(process.execPath, [cli, 'run', '-n', String(np), ...flags, program, ...args], { ...process.env, ...env });
}

/** A C MPI program built from bench/<dir>/<name>.c (bench_<name> in the build directory). */
export function cProgram(name: string, np: number, args: string[], oversubscribe = false): Row[] {
  const binary = join(buildDir(), `bench_${name}`);
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run npm run build:native`);
  const cmd = localCommand(findLauncher(), { np, oversubscribe, bind: oversubscribe ? 'none' : 'core', tcp: false, program: [binary, ...args] }, process.env);
  return jsonLines(cmd.command, cmd.args, cmd.env);
}

/** Debian's interpreter, where python3-distributed and python3-mpi4py are installed (not a python3 earlier on PATH). */
export const python = '/usr/bin/python3';

/** A Python program under Open MPI's launcher (Debian's mpi4py is built against Open MPI, whichever MPI taskloaf's addon uses). */
export function mpiPython(np: number, args: string[]): Row[] {
  const cmd = localCommand({ flavor: 'openmpi', path: '/usr/bin/mpirun.openmpi' }, { np, oversubscribe: false, bind: 'core', tcp: false, program: [python, ...args] }, process.env);
  return jsonLines(cmd.command, cmd.args, cmd.env);
}
