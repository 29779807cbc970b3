// PBS: qsub to submit, `qstat -f` (with -x on PBS Pro, which keeps finished
// jobs) for state and exit status, qdel to cancel. Which PBS is installed
// decides the default dialect. Slurm's qsub wrapper answers in Torque's forms
// but keeps no exit status (every finished job is `C`): there the state comes
// from Slurm itself.
import { check, exec, type Exec } from '../commands.js';
import { slurmStatus } from '../slurm/commands.js';
import { ENDED, type JobStatus } from '../states.js';
import { sameJob } from './jobid.js';
import { pbsState } from './states.js';

export type PbsDialect = 'pbspro' | 'torque';

export type PbsKind = 'pbspro' | 'torque' | 'slurm-wrapper' | 'unknown';

/** Tells the installed qsub/qstat apart by what `qstat --version` prints. */
export function pbsKindOf(versionOutput: string): PbsKind {
  if (/pbs_version\s*=/i.test(versionOutput)) return 'pbspro';
  if (/^\s*Version:\s*\d/im.test(versionOutput)) return 'torque';
  // Slurm's perl wrapper knows no --version and prints its own usage.
  if (/Unknown option: version/.test(versionOutput) && /qstat \[-f\]/.test(versionOutput)) return 'slurm-wrapper';
  return 'unknown';
}

export async function detectPbs(run: Exec = exec): Promise<PbsKind> {
  try {
    const r = await run('qstat', ['--version']);
    return pbsKindOf(r.stdout + r.stderr);
  } catch {
    return 'unknown';
  }
}

/** The dialect a PBS kind speaks; Slurm's wrapper reads both, Torque's is its own. */
export function dialectFor(kind: PbsKind): PbsDialect {
  return kind === 'torque' || kind === 'slurm-wrapper' ? 'torque' : 'pbspro';
}

export function qsubCommand(script: string): string[] {
  return ['qsub', script];
}

/** The attributes of one job in `qstat -f` output (continuation lines joined). */
export function qstatFields(out: string, id: string): Record<string, string> | null {
  const blocks = out.split(/^Job Id:\s*/m).slice(1);
  for (const block of blocks) {
    const [head, ...rest] = block.split('\n');
    if (!sameJob(head!.trim(), id)) continue;
    const fields: Record<string, string> = { 'Job Id': head!.trim() };
    let last = '';
    for (const line of rest) {
      const m = /^\s+([A-Za-z_][\w.]*) = (.*)$/.exec(line);
      if (m) {
        last = m[1]!;
        fields[last] = m[2]!.trim();
      } else if (last && /^\t/.test(line)) {
        // PBS wraps long values onto tab-indented continuation lines.
        fields[last] += line.trim();
      }
    }
    return fields;
  }
  return null;
}

let historyFlag: boolean | undefined;

/** State of one job from qstat -f; finished jobs need -x on PBS Pro. */
export async function pbsStatus(id: string, run: Exec = exec): Promise<JobStatus> {
  let r = await run('qstat', historyFlag === false ? ['-f', id] : ['-x', '-f', id]);
  if (historyFlag !== false && /unknown option|invalid option|illegal option/i.test(r.stderr + r.stdout)) {
    historyFlag = false;
    r = await run('qstat', ['-f', id]);
  } else if (historyFlag === undefined && r.code === 0) {
    historyFlag = true;
  }
  const f = r.code === 0 ? qstatFields(r.stdout, id) : null;
  if (!f) {
    // Gone from qstat: under the Slurm wrapper, Slurm may still know it.
    if (await isSlurmWrapper(run)) return { ...(await slurmStatus(parseSeq(id), run)), id, source: 'qstat+scontrol' };
    return { id, state: 'unknown', source: 'qstat', reason: (r.stderr || r.stdout).trim().split('\n')[0] ?? '' };
  }
  const exitText = f.Exit_status ?? f.exit_status;
  const exit = exitText === undefined ? undefined : Number(exitText);
  const letter = f.job_state ?? '';
  let status: JobStatus = { id, state: pbsState(letter, exit), source: 'qstat' };
  if (f.Job_Name) status.name = f.Job_Name;
  if (exit !== undefined && Number.isFinite(exit)) status.exitCode = exit > 256 ? 128 + (exit - 256) : exit;
  if (f.comment) status.reason = f.comment;
  // A finished job without an exit status: the wrapper's `C` says only "ended".
  if ((letter === 'C' || letter === 'F') && exit === undefined && (await isSlurmWrapper(run))) {
    status = { ...(await slurmStatus(parseSeq(id), run)), id, source: 'qstat+scontrol' };
    if (f.Job_Name) status.name = f.Job_Name;
  }
  return status;
}

const parseSeq = (id: string) => /^\d+(?:_\d+)?/.exec(id)?.[0] ?? id;

let wrapper: boolean | undefined;
async function isSlurmWrapper(run: Exec): Promise<boolean> {
  wrapper ??= (await detectPbs(run)) === 'slurm-wrapper';
  return wrapper;
}

/** The user's jobs from the qstat table (ids may be cut and end in `*`). */
export async function pbsList(user: string, all = false, run: Exec = exec): Promise<JobStatus[]> {
  const r = await check(run, 'qstat', ['-u', user]);
  const out: JobStatus[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^(\d[^\s]*)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const cols = line.trim().split(/\s+/);
    // Torque/PBS Pro -u tables have state in the 10th column; the plain table in the 5th.
    const letter = cols.length >= 10 ? cols[9]! : cols[4] ?? '';
    out.push({ id: m[1]!, state: pbsState(letter), name: cols.length >= 10 ? cols[3]! : cols[1]!, source: 'qstat' });
  }
  return all ? out : out.filter((s) => !ENDED.has(s.state));
}

export async function qdel(id: string, run: Exec = exec): Promise<void> {
  await check(run, 'qdel', [id]);
}

/** Where PBS writes a job's output: `Output_Path = host:/path` in qstat -f. */
export function outputPaths(f: Record<string, string>): { output?: string; error?: string } {
  const strip = (p?: string) => (p ? p.replace(/^[^/:]*:/, '') : undefined);
  const out: { output?: string; error?: string } = {};
  const o = strip(f.Output_Path);
  const e = strip(f.Error_Path);
  if (o) out.output = o;
  if (e) out.error = e;
  return out;
}
