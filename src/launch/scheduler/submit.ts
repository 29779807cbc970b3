// `taskloaf submit`: render the script, write it next to the job's logs,
// submit it (sbatch --parsable, or qsub), remember the job, and optionally
// follow it to the end.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { check, exec, type Exec } from './commands.js';
import { jobIdFromOutput, type JobId } from './jobid.js';
import { qsubCommand } from './pbs.js';
import { logFiles, saveRecord, type JobRecord } from './records.js';
import { render, type RenderOptions } from './render.js';
import { sbatchCommand } from './slurm.js';
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

/** A stamp naming one submission's files: time, then random, so names sort and never collide. */
export function newStamp(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${t}-${randomBytes(2).toString('hex')}`;
}

export interface SubmitOptions extends Partial<RenderOptions> {
  dryRun?: boolean;
  run?: Exec;
  env?: NodeJS.ProcessEnv;
}

/** The submit command: the same output paths on qsub's command line, which wins over Slurm's qsub wrapper defaults. */
function submitCommand(spec: JobSpec, scriptPath: string, logs: { output: string; error: string }): string[] {
  if (spec.scheduler === 'slurm') return sbatchCommand(scriptPath);
  const [q, ...rest] = qsubCommand(scriptPath);
  return [q!, '-o', logs.output, '-e', logs.error, ...rest];
}

export async function submit(spec: JobSpec, opts: SubmitOptions = {}): Promise<Submission> {
  const stamp = opts.stamp ?? newStamp();
  const { script, logs } = render(spec, { ...opts, stamp });
  let scriptPath = join(spec.logDir, `${spec.jobName}-${stamp}.sh`);
  const command = submitCommand(spec, scriptPath, logs);
  const result: Submission = { id: '', jobId: null, scheduler: spec.scheduler, scriptPath, output: logs.output, error: logs.error, command, script };
  if (opts.dryRun) return result;

  for (const d of new Set([spec.logDir, dirname(logs.output), dirname(logs.error)])) mkdirSync(d, { recursive: true });
  writeFileSync(scriptPath, script, { mode: 0o755 });
  const run = opts.run ?? exec;
  // sbatch from the working directory; qsub from the log directory, where
  // PBS and Slurm's wrapper put anything not redirected.
  const cwd = spec.scheduler === 'slurm' ? spec.workdir : spec.logDir;
  const r = await check(run, command[0]!, command.slice(1), { cwd });
  const jobId = jobIdFromOutput(r.stdout, command);
  // Under Slurm the id names the files (fib-123.out): the script joins them.
  if (spec.scheduler === 'slurm') {
    const named = join(spec.logDir, `${spec.jobName}-${jobId.id}.sh`);
    renameSync(scriptPath, named);
    scriptPath = named;
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
  if (spec.scheduler === 'pbs') record.dialect = spec.dialect;
  if (spec.array) record.array = true;
  saveRecord(record, opts.env);
  return { ...result, id: jobId.id, jobId, scriptPath, ...logFiles(record, jobId.id) };
}
