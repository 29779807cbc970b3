// Starts a rank script under real mpiexec through `taskloaf run`.
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cli = join(root, 'dist', 'cli', 'main.js');

export interface RankRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every stdout line that parses as JSON. */
  records: Record<string, unknown>[];
}

export interface RankOptions {
  tcp?: boolean;
  bind?: 'core' | 'self' | 'none';
  simulateNodes?: number;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** World sizes the multi-rank tests run at (4 and 8 oversubscribe a 2-core machine). */
export const SIZES = [1, 2, 4];

/** The node command line of `taskloaf run` for a rank script. */
function runArgs(script: string, np: number, opts: RankOptions): string[] {
  const flags = ['run', '-n', String(np)];
  if (np > availableParallelism()) flags.push('--oversubscribe');
  if (opts.tcp) flags.push('--tcp');
  if (opts.bind) flags.push('--bind', opts.bind);
  if (opts.simulateNodes !== undefined) flags.push('--simulate-nodes', String(opts.simulateNodes));
  return [cli, ...flags, join(root, 'test', 'ranks', script), ...(opts.args ?? [])];
}

export function runRanks(script: string, np: number, opts: RankOptions = {}): RankRun {
  const r = spawnSync(process.execPath, runArgs(script, np, opts), {
    cwd: root,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 180_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', records: parseRecords(r.stdout ?? '') };
}

/** Starts ranks without waiting (for jobs that must overlap). */
export function startRanks(script: string, np: number, opts: RankOptions = {}): Promise<RankRun> {
  const child = spawn(process.execPath, runArgs(script, np, opts), {
    cwd: root,
    env: { ...process.env, ...opts.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr, records: parseRecords(stdout) })),
  );
}

export function parseRecords(stdout: string): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      /* not a record */
    }
  }
  return records;
}
