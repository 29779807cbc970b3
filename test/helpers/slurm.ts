// A real one-node Slurm for the scheduler tests: scripts/slurm-up.sh starts it
// (root on Debian; CI runs as root). Commands run through the taskloaf CLI
// with their own job records and working directory.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cli, root } from './ranks.js';

export interface Up {
  ok: boolean;
  why: string;
}

/** Starts (or reconfigures) Slurm; `why` holds the script's output when it cannot. */
export function slurmUp(pbsPlugins: 'on' | 'off' = 'off'): Up {
  const r = spawnSync('bash', [join(root, 'scripts', 'slurm-up.sh'), '--pbs-plugins', pbsPlugins, '--quiet'], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status === 0) return { ok: true, why: '' };
  // Not root or not Debian: a Slurm someone else runs will do.
  if (r.status === 3 && pbsPlugins === 'off' && spawnSync('sinfo', ['-h'], { encoding: 'utf8' }).status === 0) return { ok: true, why: '' };
  return { ok: false, why: `scripts/slurm-up.sh exited ${r.status}: ${r.stderr.trim()}` };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

function envFor(opts: CliOptions): NodeJS.ProcessEnv {
  return { ...process.env, TASKLOAF_JOBS_DIR: join(opts.cwd, 'records'), ...opts.env };
}

/** `taskloaf ARGS` to completion. */
export function tl(args: string[], opts: CliOptions): CliRun {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: opts.cwd, env: envFor(opts), encoding: 'utf8', timeout: opts.timeoutMs ?? 300_000 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** `taskloaf ARGS` in the background. */
export function tlAsync(args: string[], opts: CliOptions): Promise<CliRun> {
  const child = spawn(process.execPath, [cli, ...args], { cwd: opts.cwd, env: envFor(opts) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

export const jobEnv = join(root, 'test', 'ranks', 'job-env.ts');

/** Polls `taskloaf status ID --json` until `until` holds (or the time runs out). */
export async function statusUntil(id: string, until: (state: string) => boolean, opts: CliOptions, ms = 60_000): Promise<string> {
  const end = Date.now() + ms;
  let state = 'unknown';
  while (Date.now() < end) {
    const r = tl(['status', id, '--json'], opts);
    state = (JSON.parse(r.stdout || '[{}]')[0]?.state as string) ?? 'unknown';
    if (until(state)) return state;
    await new Promise((res) => setTimeout(res, 300));
  }
  return state;
}
