// Runs scheduler commands (sbatch, squeue, qsub...) without a shell: argument
// arrays only. A missing command or a failure becomes a SchedulerError that
// carries the scheduler's own message.
import { execFile } from 'node:child_process';
import { SchedulerError } from '../errors.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type Exec = (command: string, args: string[], opts?: { cwd?: string }) => Promise<CommandResult>;

/** Runs a command; resolves with its exit code (non-zero too), rejects only when it cannot start. */
export const exec: Exec = (command, args, opts = {}) =>
  new Promise((resolve, reject) => {
    execFile(command, args, { cwd: opts.cwd, encoding: 'utf8', timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
      if (e && typeof e.code === 'string') {
        const why = e.code === 'ENOENT' ? 'is not installed or not on PATH' : e.message;
        reject(new SchedulerError('ERR_NO_SCHEDULER', `${command} ${why}`, [command, ...args]));
        return;
      }
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr });
    });
  });

/** Runs a command that must succeed; its stderr (or stdout) is the error message otherwise. */
export async function check(run: Exec, command: string, args: string[], opts?: { cwd?: string }): Promise<CommandResult> {
  const r = await run(command, args, opts);
  if (r.code !== 0) {
    const said = (r.stderr.trim() || r.stdout.trim() || `exit status ${r.code}`).split('\n').slice(-5).join('\n');
    throw new SchedulerError('ERR_SCHEDULER', `${command} failed: ${said}`, [command, ...args], r.stderr + r.stdout, r.code);
  }
  return r;
}
