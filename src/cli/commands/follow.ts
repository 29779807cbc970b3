// The live state display of `submit --wait` and `logs --follow`: one line
// redrawn in place on a terminal, one line per change otherwise.
import { waitForJob, type WaitOptions } from '../../launch/jobs/jobs.js';
import { waitExitCode, type JobStatus } from '../../schedulers/states.js';
import type { Context } from './context.js';

export function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hms = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  return hms.map((n) => String(n).padStart(2, '0')).join(':');
}

export function stateLine(id: string, s: JobStatus, ms: number): string {
  const reason = s.reason && s.state === 'pending' ? ` (${s.reason})` : '';
  return `job ${id}: ${s.state}${reason}  ${elapsed(ms)}`;
}

/** Shows the job's state until it ends; sets ctx.code to the job's exit status. */
export async function follow(ctx: Context, id: string, opts: WaitOptions, wait = waitForJob): Promise<JobStatus> {
  const tty = ctx.err.isTTY === true;
  const final = await wait(id, {
    ...opts,
    onPoll: (s, changed, ms) => {
      opts.onPoll?.(s, changed, ms);
      if (tty) ctx.err.write(`\r\x1b[K${stateLine(id, s, ms)}`);
      else if (changed) ctx.err.write(`${stateLine(id, s, ms)}\n`);
    },
  });
  if (tty) ctx.err.write('\n');
  ctx.code = waitExitCode(final.state, final.exitCode);
  const exit = final.exitCode !== undefined ? `, exit status ${final.exitCode}` : '';
  ctx.err.write(`taskloaf: job ${id} ${final.state}${exit}${final.reason && final.state !== 'completed' ? ` (${final.reason})` : ''}\n`);
  return final;
}
