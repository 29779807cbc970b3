// Names of shared segments, unique per run so two runs on a node never meet
// (not even two with one job id), and the sweep that removes a run's leftovers.
//
// A name is `taskloaf-<job>-<run>-r<rank>-s<segment>`: `-` separates the
// components and none contains one. <job> is the job id escaped injectively
// (two ids never give one name), <run> the run's random id, which nobody
// outside the job can know, so nobody can take a name before the job does.
import { lstatSync, readdirSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { addon } from '../native/addon.js';
import { readEnv } from '../env.js';
import { runningJob } from '../schedulers/registry.js';
import { InvalidArgumentError } from '../errors.js';

/** Random bytes in a run id: 128 bits, 32 hex digits. */
const RUN_BYTES = 16;
export const RUN_ID = /^[0-9a-f]{32}$/;
/** Longest escaped job id kept as it is; a longer one is named by its hash. */
const MAX_JOB = 96;
const SHM_DIR = '/dev/shm';

/** A job id from the environment: ours, else the scheduler's job (and step: `slurm12.0`); null if none. */
export function jobIdFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const own = readEnv('TASKLOAF_JOB_ID', env);
  const job = own === null ? runningJob(env) : null;
  return own ?? (job ? `${job.scheduler}${job.id}${job.step !== undefined ? `.${job.step}` : ''}` : null);
}

/** A fresh id for a job that has none (the launcher passes it to every rank). */
export function newJobId(): string {
  return `${Date.now().toString(36)}${process.pid.toString(36)}`;
}

/** A fresh run id: every run gets one, even two runs with one job id. */
export function newRunId(): string {
  return randomBytes(RUN_BYTES).toString('hex');
}

/**
 * The job id as a name component: letters, digits and `.` stay, every other
 * byte of its UTF-8 becomes `_` and two hex digits. Injective, and never a
 * `-`. An id too long for a name is `_h` and its SHA-256 (`h` follows no
 * escape, so it cannot be mistaken for an escaped id).
 */
export function jobComponent(job: string): string {
  let out = '';
  for (const byte of Buffer.from(job, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9.]/.test(c) ? c : `_${byte.toString(16).padStart(2, '0')}`;
  }
  if (out.length <= MAX_JOB) return out;
  return `_h${createHash('sha256').update(job, 'utf8').digest('hex').slice(0, 48)}`;
}

/** The job id a component stands for; null for a hashed (too long) id or what is not a component. */
export function jobFromComponent(component: string): string | null {
  if (!/^(?:[A-Za-z0-9.]|_[0-9a-f]{2})*$/.test(component)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < component.length; i++) {
    if (component[i] === '_') {
      bytes.push(parseInt(component.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(component.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

function checkRun(run: string): string {
  if (!RUN_ID.test(run)) throw new InvalidArgumentError('ERR_INVALID_ARG_VALUE', `a run id is ${RUN_BYTES * 2} hex digits, got '${run}'`);
  return run;
}

export function segmentName(job: string, run: string, rank: number, segment: number): string {
  return `${runPrefix(job, run, rank)}s${segment}`;
}

/** The prefix of every segment of a job, all its runs: ends in the separator. */
export function jobPrefix(job: string): string {
  return `taskloaf-${jobComponent(job)}-`;
}

/** The prefix of every segment of one run, or of one rank of it: ends in the separator. */
export function runPrefix(job: string, run: string, rank?: number): string {
  return `${jobPrefix(job)}${checkRun(run)}-${rank === undefined ? '' : `r${rank}-`}`;
}

export interface SegmentName {
  /** The job's name component (jobFromComponent gives the id back). */
  job: string;
  run: string;
  rank: number;
  segment: number;
}

/** The parts of a segment's name; null when it is not one of ours. */
export function parseSegmentName(name: string): SegmentName | null {
  const m = /^taskloaf-((?:[A-Za-z0-9.]|_[0-9a-f]{2}|_h[0-9a-f]{48})*)-([0-9a-f]{32})-r(\d+)-s(\d+)$/.exec(name);
  return m ? { job: m[1]!, run: m[2]!, rank: Number(m[3]), segment: Number(m[4]) } : null;
}

/** Segment names present on this node that start with `prefix` (Linux: /dev/shm). */
export function listSegments(prefix: string, dir = SHM_DIR): string[] {
  try {
    return readdirSync(dir).filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
}

/** Whether `dir/name` is a regular file of this process's user: what a sweep may remove. */
export function ownedFile(dir: string, name: string): boolean {
  try {
    const st = lstatSync(`${dir}/${name}`);
    return st.isFile() && st.uid === process.geteuid!();
  } catch {
    return false;
  }
}

/**
 * Removes this user's segment names starting with `prefix`, a whole number
 * of components (it ends in `-`); returns how many. Another user's name is
 * left alone, and nothing here throws: a sweep is cleanup.
 */
export function sweep(prefix: string): number {
  if (!prefix.endsWith('-')) return 0;
  let n = 0;
  for (const name of listSegments(prefix)) {
    if (!ownedFile(SHM_DIR, name)) continue;
    try {
      if (addon().shmUnlink(name)) n++;
    } catch {
      /* gone meanwhile, or not ours after all */
    }
  }
  return n;
}
