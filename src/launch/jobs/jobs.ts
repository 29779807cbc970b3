// Following jobs by id: their state, cancelling them, waiting for them and
// reading their logs, with whichever scheduler holds them (the submit record
// says, else --scheduler, else the one installed).
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { SchedulerError } from '../../errors.js';
import { exec, type Exec } from '../../schedulers/commands.js';
import { detectAnswering, scheduler, schedulers } from '../../schedulers/registry.js';
import type { Scheduler } from '../../schedulers/scheduler.js';
import { ENDED, type JobStatus } from '../../schedulers/states.js';
import { findRecord, logFiles } from './records.js';
import type { SchedulerName } from './spec.js';

export interface JobsOptions {
  scheduler?: SchedulerName;
  run?: Exec;
  env?: NodeJS.ProcessEnv;
}

/** `neither A nor B`, `none of A, B or C`: the schedulers looked for. */
function noneOf(words: string[]): string {
  if (words.length === 2) return `neither ${words[0]} nor ${words[1]}`;
  return words.length === 1 ? `no ${words[0]}` : `none of ${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** The scheduler that holds a job. */
export async function schedulerFor(id: string | undefined, opts: JobsOptions = {}): Promise<Scheduler> {
  if (opts.scheduler) return scheduler(opts.scheduler);
  const rec = id === undefined ? null : findRecord(id, opts.env);
  if (rec) return scheduler(rec.scheduler);
  const found = await detectAnswering(opts.run ?? exec);
  if (!found) {
    const looked = noneOf(schedulers().map((s) => `${s.title} (${s.queryProgram})`));
    throw new SchedulerError('ERR_NO_SCHEDULER', `${looked} is installed here; pass --scheduler or run on a login node`);
  }
  return found;
}

export async function jobStatus(id: string, opts: JobsOptions = {}): Promise<JobStatus> {
  const run = opts.run ?? exec;
  return (await schedulerFor(id, opts)).status(id, run);
}

/** The current user's pending and running jobs (all: also those that ended lately). */
export async function listJobs(opts: JobsOptions & { all?: boolean } = {}): Promise<JobStatus[]> {
  const run = opts.run ?? exec;
  const env = opts.env ?? process.env;
  const user = env.USER ?? env.LOGNAME ?? (await run('id', ['-un'])).stdout.trim();
  return (await schedulerFor(undefined, opts)).list(user, opts.all, run);
}

export async function cancelJob(id: string, opts: JobsOptions = {}): Promise<void> {
  const run = opts.run ?? exec;
  return (await schedulerFor(id, opts)).cancel(id, run);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WaitOptions extends JobsOptions {
  /** Milliseconds between polls. */
  pollMs?: number;
  /** Called whenever the state (or reason) changes, and on each poll with the elapsed time. */
  onPoll?: (s: JobStatus, changed: boolean, elapsedMs: number) => void;
  /** Give up after the scheduler has not known the job this long (ms). */
  unknownMs?: number;
}

/** Polls until the job ends; resolves with its final status. */
export async function waitForJob(id: string, opts: WaitOptions = {}): Promise<JobStatus> {
  const start = Date.now();
  const poll = opts.pollMs ?? 2000;
  let last = '';
  let unknownSince: number | null = null;
  for (;;) {
    const s = await jobStatus(id, opts);
    const key = `${s.state}|${s.reason ?? ''}`;
    opts.onPoll?.(s, key !== last, Date.now() - start);
    last = key;
    if (ENDED.has(s.state)) return s;
    if (s.state === 'unknown') {
      unknownSince ??= Date.now();
      if (Date.now() - unknownSince > (opts.unknownMs ?? 60_000)) return s;
    } else {
      unknownSince = null;
    }
    await sleep(poll);
  }
}

/** The output files of a job the record knows. */
export function jobLogs(id: string, env = process.env): { output: string; error: string } {
  const rec = findRecord(id, env);
  if (!rec) {
    throw new SchedulerError('ERR_UNKNOWN_JOB', `no record of job ${id}: taskloaf logs knows the jobs taskloaf submit started from this account (records in TASKLOAF_JOBS_DIR or ~/.local/state/taskloaf/jobs)`);
  }
  return logFiles(rec, id);
}

/** Copies new bytes of a file from `offset` to `out`; returns the new offset. */
export function copyNew(path: string, offset: number, out: (b: Buffer) => void): number {
  if (!existsSync(path)) return offset;
  const size = statSync(path).size;
  if (size <= offset) return size < offset ? 0 : offset;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(Math.min(size - offset, 1 << 20));
    let at = offset;
    while (at < size) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, size - at), at);
      if (n <= 0) break;
      out(buf.subarray(0, n));
      at += n;
    }
    return at;
  } finally {
    closeSync(fd);
  }
}

export interface FollowOptions extends WaitOptions {
  stdout: (b: Buffer) => void;
  stderr: (b: Buffer) => void;
  follow: boolean;
}

/** Prints a job's logs; with follow, keeps printing until the job ends. */
export async function showLogs(id: string, opts: FollowOptions): Promise<JobStatus | null> {
  const { output, error } = jobLogs(id, opts.env);
  const same = output === error;
  if (!opts.follow) {
    if (!existsSync(output) && (same || !existsSync(error))) {
      throw new SchedulerError('ERR_NO_LOGS', `job ${id} has no output yet (${output}); it may still be pending — use --follow to wait for it`);
    }
    copyNew(output, 0, opts.stdout);
    if (!same) copyNew(error, 0, opts.stderr);
    return null;
  }
  let o = 0;
  let e = 0;
  const pump = () => {
    o = copyNew(output, o, opts.stdout);
    if (!same) e = copyNew(error, e, opts.stderr);
  };
  const status = await waitForJob(id, { ...opts, pollMs: opts.pollMs ?? 500, onPoll: (s, c, t) => (pump(), opts.onPoll?.(s, c, t)) });
  pump();
  return status;
}
