// Slurm: sbatch to submit, scontrol for a job's state and exit code while the
// controller remembers it (MinJobAge), sacct after that when accounting is on,
// squeue for the list of one's jobs, scancel to cancel.
import { check, exec, type Exec } from '../commands.js';
import type { JobState, JobStatus } from '../states.js';
import { slurmState } from './states.js';

/** sbatch's command line for a script. */
export function sbatchCommand(script: string): string[] {
  return ['sbatch', '--parsable', script];
}

/** `key=value` fields of one `scontrol show job -o` line. */
export function scontrolFields(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/(?:^|\s)([A-Za-z][A-Za-z0-9:/_]*)=(\S*)/g)) out[m[1]!] = m[2]!;
  return out;
}

/** Slurm's `ExitCode=X:S`: the exit status, or 128 + S when a signal ended it. */
export function slurmExit(text: string | undefined): number | undefined {
  const m = /^(\d+):(\d+)$/.exec(text ?? '');
  if (!m) return undefined;
  return Number(m[2]) > 0 ? 128 + Number(m[2]) : Number(m[1]);
}

/** An array's overall state from its tasks': running while any runs, failed if any failed. */
export function combine(states: JobState[]): JobState {
  for (const s of ['running', 'completing', 'pending', 'unknown', 'failed', 'timeout', 'cancelled'] as JobState[]) {
    if (states.includes(s)) return s;
  }
  return states.length > 0 ? 'completed' : 'unknown';
}

function fromScontrol(id: string, out: string): JobStatus | null {
  const lines = out.split('\n').filter((l) => l.includes('JobId='));
  if (lines.length === 0) return null;
  const tasks = lines.map(scontrolFields);
  const wanted = id.includes('_') ? tasks.filter((f) => `${f.ArrayJobId}_${f.ArrayTaskId}` === id) : tasks;
  const chosen = wanted.length > 0 ? wanted : tasks;
  const states = chosen.map((f) => slurmState(f.JobState ?? ''));
  const state = combine(states);
  const first = chosen.find((f) => slurmState(f.JobState ?? '') === state) ?? chosen[0]!;
  const status: JobStatus = { id, state, source: 'scontrol' };
  const exit = chosen.map((f) => slurmExit(f.ExitCode)).find((e) => e !== undefined && e !== 0) ?? slurmExit(first.ExitCode);
  if (exit !== undefined && state !== 'pending' && state !== 'running') status.exitCode = exit;
  if (first.JobName) status.name = first.JobName;
  if (first.Reason && first.Reason !== 'None') status.reason = first.Reason;
  return status;
}

function fromSacct(id: string, out: string): JobStatus | null {
  // JobID|State|ExitCode|JobName, one line per job (or array task), -X: no steps.
  const rows = out.split('\n').filter(Boolean).map((l) => l.split('|'));
  const mine = rows.filter((r) => r[0] === id || r[0]!.startsWith(`${id}_`));
  if (mine.length === 0) return null;
  const state = combine(mine.map((r) => slurmState(r[1] ?? '')));
  const status: JobStatus = { id, state, source: 'sacct' };
  const exit = mine.map((r) => slurmExit(r[2])).find((e) => e !== undefined && e !== 0) ?? slurmExit(mine[0]![2]);
  if (exit !== undefined && state !== 'pending' && state !== 'running') status.exitCode = exit;
  if (mine[0]![3]) status.name = mine[0]![3];
  return status;
}

/** The state of one job (or array, or array task `123_4`). */
export async function slurmStatus(id: string, run: Exec = exec): Promise<JobStatus> {
  const sc = await run('scontrol', ['show', 'job', '-o', id]);
  if (sc.code === 0) {
    const s = fromScontrol(id, sc.stdout);
    if (s) return s;
  }
  // Forgotten by the controller: accounting, when it is enabled.
  const fields = ['-n', '-P', '-X', '-j', id, '-o', 'JobID,State,ExitCode,JobName'];
  let sa = await run('sacct', fields);
  // No accounting database: the job completion log, if one is kept.
  if (sa.code !== 0 && /accounting storage is disabled/i.test(sa.stderr + sa.stdout)) sa = await run('sacct', ['-c', ...fields]);
  if (sa.code === 0) {
    const s = fromSacct(id, sa.stdout);
    if (s) return s;
  }
  return { id, state: 'unknown', source: sa.code === 0 ? 'sacct' : 'scontrol', reason: (sc.stderr || sa.stderr).trim().split('\n')[0] ?? '' };
}

/** The user's pending and running jobs, or (all) every job the controller still remembers. */
export async function slurmList(user: string, all = false, run: Exec = exec): Promise<JobStatus[]> {
  const r = await check(run, 'squeue', ['-h', ...(all ? ['-t', 'all'] : []), '-u', user, '-o', '%i|%T|%j|%r']);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [id, st, name, reason] = l.split('|');
      const s: JobStatus = { id: id!, state: slurmState(st ?? ''), source: 'squeue' };
      if (name) s.name = name;
      if (reason && reason !== 'None') s.reason = reason;
      return s;
    });
}

export async function scancel(id: string, run: Exec = exec): Promise<void> {
  await check(run, 'scancel', [id]);
}
