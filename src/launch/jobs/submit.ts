// `taskloaf submit`: render the script, write it next to the job's logs,
// submit it with the scheduler's command (sbatch --parsable, qsub), and
// remember the job.
import { randomBytes } from 'node:crypto';
import { linkSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LaunchError } from '../../errors.js';
import { check, exec, type Exec } from '../../schedulers/commands.js';
import { jobIdFromOutput, type JobId } from '../../schedulers/jobid.js';
import { scheduler } from '../../schedulers/registry.js';
import { logFiles, saveRecord, type JobRecord } from './records.js';
import { makeLogDirectories, render, type RenderOptions } from './render.js';
import type { JobSpec } from './spec.js';

export interface Submission {
  id: string;
  jobId: JobId | null;
  scheduler: JobSpec['scheduler'];
  /** The script as written (renamed after the job id under Slurm). */
  scriptPath: string;
  output: string;
  error: string;
  /** The command that submits (or would submit, with dryRun). */
  command: string[];
  script: string;
}

/**
 * A stamp naming one submission's files: time, then random, so names sort,
 * never collide, and cannot be guessed by another user of a shared directory.
 */
export function newStamp(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${t}-${randomBytes(8).toString('hex')}`;
}

/**
 * Creates the job script as a new file, readable by its owner only (it holds
 * `--env` values): never through a planted link, never over another file.
 */
export function writeScript(path: string, script: string): void {
  try {
    writeFileSync(path, script, { flag: 'wx', mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    throw new LaunchError('ERR_JOB_SCRIPT_EXISTS', `${path} already exists: a job script is always created as a new file (is another user writing to this directory?)`);
  }
}

function rmdirQuietly(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty (another job's files), or gone: left as it is.
  }
}

export interface SubmitOptions extends Partial<RenderOptions> {
  dryRun?: boolean;
  run?: Exec;
  env?: NodeJS.ProcessEnv;
}

export async function submit(spec: JobSpec, opts: SubmitOptions = {}): Promise<Submission> {
  const stamp = opts.stamp ?? newStamp();
  const { script, logs } = render(spec, { ...opts, stamp });
  const sched = scheduler(spec.scheduler);
  let scriptPath = join(spec.logDir, `${spec.jobName}-${stamp}.sh`);
  const command = sched.submitCommand(scriptPath, logs);
  const result: Submission = { id: '', jobId: null, scheduler: spec.scheduler, scriptPath, output: logs.output, error: logs.error, command, script };
  if (opts.dryRun) return result;

  const made = makeLogDirectories(spec, logs);
  let jobId: JobId;
  let written = false;
  try {
    writeScript(scriptPath, script);
    written = true;
    const run = opts.run ?? exec;
    const r = await check(run, command[0]!, command.slice(1), { cwd: sched.submitDirectory(spec) });
    jobId = jobIdFromOutput(r.stdout, command);
  } catch (e) {
    // No job: nothing of it stays behind (a directory only if it is empty and ours).
    // Without an id a job may exist all the same: then its script stays.
    if ((e as { code?: string }).code !== 'ERR_JOB_ID') {
      // Only the file this call created: an existing one is someone else's.
      if (written) rmSync(scriptPath, { force: true });
      for (const d of made.reverse()) rmdirQuietly(d);
    }
    throw e;
  }
  // Where the id names the logs (fib-123.out), the script joins them; a
  // hard link, unlike a rename, never replaces a file already at that name.
  if (sched.namesFilesById) {
    const named = join(spec.logDir, `${spec.jobName}-${jobId.id}.sh`);
    try {
      linkSync(scriptPath, named);
      unlinkSync(scriptPath);
      scriptPath = named;
    } catch {
      // Taken, or no hard links here: the script keeps its stamped name.
    }
  }
  const record: JobRecord = {
    id: jobId.id,
    scheduler: spec.scheduler,
    name: spec.jobName,
    script: scriptPath,
    output: logs.output,
    error: logs.error,
    submitted: new Date().toISOString(),
  };
  if (sched.dialects.length > 0) record.dialect = spec.dialect;
  if (spec.array) record.array = true;
  saveRecord(record, opts.env);
  return { ...result, id: jobId.id, jobId, scriptPath, ...logFiles(record, jobId.id) };
}
