// Names of shared segments, unique per job so two jobs on a node never meet,
// and the sweep that removes a job's leftovers.
import { readdirSync } from 'node:fs';
import { addon } from '../native/addon.js';
import { readEnv } from '../env.js';
import { runningJob } from '../schedulers/registry.js';

const SAFE = /[^A-Za-z0-9.-]/g;

/** A job id from the environment: ours, else the scheduler's job (and step: `slurm12.0`); null if none. */
export function jobIdFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const own = readEnv('TASKLOAF_JOB_ID', env);
  const job = own === null ? runningJob(env) : null;
  const raw = own ?? (job ? `${job.scheduler}${job.id}${job.step !== undefined ? `.${job.step}` : ''}` : undefined);
  return raw ? sanitize(raw) : null;
}

export function sanitize(id: string): string {
  return id.replace(SAFE, '_').slice(0, 64) || 'job';
}

/** A fresh id for a job that has none (the launcher passes it to every rank). */
export function newJobId(): string {
  return `${Date.now().toString(36)}${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}

export function segmentName(job: string, rank: number, segment: number): string {
  return `taskloaf-${job}-r${rank}-s${segment}`;
}

/** The prefix of every segment of a job, or of one rank of it. */
export function jobPrefix(job: string, rank?: number): string {
  return rank === undefined ? `taskloaf-${job}-` : `taskloaf-${job}-r${rank}-`;
}

/** Segment names present on this node that start with `prefix` (Linux: /dev/shm). */
export function listSegments(prefix: string): string[] {
  try {
    return readdirSync('/dev/shm').filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
}

/** Removes every segment name starting with `prefix`; returns how many. */
export function sweep(prefix: string): number {
  let n = 0;
  for (const name of listSegments(prefix)) if (addon().shmUnlink(name)) n++;
  return n;
}
