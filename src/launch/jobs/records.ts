// What `taskloaf submit` remembers about each job, so that `status`, `logs`
// and `cancel` know its scheduler and where its output goes: one small JSON
// file per job under $XDG_STATE_HOME/taskloaf/jobs (~/.local/state/...).
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readEnv } from '../../env.js';
import { parseJobId } from '../../schedulers/jobid.js';
import { findScheduler } from '../../schedulers/registry.js';
import type { SchedulerName } from './spec.js';

export interface JobRecord {
  id: string;
  scheduler: SchedulerName;
  dialect?: string;
  name: string;
  /** The job script as submitted. */
  script: string;
  /** Output paths as given to the scheduler (Slurm's may hold %j, %A, %a). */
  output: string;
  error: string;
  array?: boolean;
  submitted: string;
}

export function recordsDir(env: NodeJS.ProcessEnv = process.env): string {
  return readEnv('TASKLOAF_JOBS_DIR', env) ?? join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'taskloaf', 'jobs');
}

const fileName = (scheduler: string, id: string) => `${scheduler}-${id.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`;

export function saveRecord(rec: JobRecord, env = process.env): void {
  const dir = recordsDir(env);
  mkdirSync(dir, { recursive: true });
  // Written whole, then renamed: a reader never sees half a record.
  const path = join(dir, fileName(rec.scheduler, rec.id));
  writeFileSync(`${path}.tmp`, JSON.stringify(rec, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}

/**
 * The record for an id as the user typed it: the job itself, or the array it
 * belongs to (`123_4`, `123[4].server`), or the full PBS id for its number.
 */
export function findRecord(id: string, env = process.env): JobRecord | null {
  const dir = recordsDir(env);
  if (!existsSync(dir)) return null;
  const want = parseJobId(id);
  let best: JobRecord | null = null;
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.json')) continue;
    let rec: JobRecord;
    try {
      rec = JSON.parse(readFileSync(join(dir, f), 'utf8')) as JobRecord;
    } catch {
      continue;
    }
    if (rec.id === id) return rec;
    const have = parseJobId(rec.id);
    if (want && have && want.seq === have.seq && (!want.server || !have.server || want.server === have.server)) best = rec;
  }
  return best;
}

/** The output and error files of a job (or of one array task). */
export function logFiles(rec: JobRecord, id: string): { output: string; error: string } {
  const parsed = parseJobId(id);
  const seq = parsed?.seq ?? id;
  const index = parsed?.index ?? '';
  // A record of a scheduler this taskloaf no longer knows keeps its paths as written.
  const s = findScheduler(rec.scheduler);
  const fill = (p: string) => (s ? s.fillLogPath(p, { name: rec.name, seq, index }) : p);
  return { output: fill(rec.output), error: fill(rec.error) };
}
