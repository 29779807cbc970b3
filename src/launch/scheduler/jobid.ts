// Job ids as the schedulers print them. sbatch: `123`, `123;cluster` (with
// --parsable), `Submitted batch job 123[ on cluster x]`. qsub: `123.server`,
// arrays `123[].server`; array tasks `123_4` (Slurm) and `123[4].server` (PBS).
// Warnings may come before the id, so the last line that holds one counts.
import { SchedulerError } from '../../errors.js';

export interface JobId {
  /** The id to hand back to the scheduler: `123`, `123_4`, `123.server`, `123[4].server`. */
  id: string;
  /** The job number alone. */
  seq: string;
  /** Slurm's cluster (multi-cluster setups) or PBS's server name. */
  cluster?: string;
  server?: string;
  /** An array job (`123[]`), or one of its tasks (`index`). */
  array?: boolean;
  index?: string;
}

const SLURM_PARSABLE = /^(\d+)(?:_(\d+|\[[\d,%:-]+\]))?(?:;([\w.-]+))?$/;
const SLURM_SENTENCE = /^Submitted batch job (\d+)(?: on cluster ([\w.-]+))?$/;
const PBS = /^(\d+)(\[(\d*)\])?(?:\.([\w.-]+))?$/;

/** One id in any of the accepted forms, or null. */
export function parseJobId(text: string): JobId | null {
  const s = text.trim();
  let m = SLURM_SENTENCE.exec(s);
  if (m) return { id: m[1]!, seq: m[1]!, ...(m[2] ? { cluster: m[2] } : {}) };
  m = SLURM_PARSABLE.exec(s);
  if (m) {
    const [, seq, index, cluster] = m;
    const out: JobId = { id: index ? `${seq}_${index}` : seq!, seq: seq! };
    if (index) index.startsWith('[') ? (out.array = true) : (out.index = index);
    if (cluster) out.cluster = cluster;
    return out;
  }
  m = PBS.exec(s);
  if (m) {
    const [, seq, brackets, index, server] = m;
    const out: JobId = { id: s, seq: seq! };
    if (server) out.server = server;
    if (brackets) index ? (out.index = index) : (out.array = true);
    return out;
  }
  return null;
}

/** The id from a submit command's output; ERR_JOB_ID with the output if none. */
export function jobIdFromOutput(output: string, command: string[] = []): JobId {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    const id = parseJobId(lines[i]!);
    if (id) return id;
  }
  throw new SchedulerError('ERR_JOB_ID', `no job id in the output of ${command[0] ?? 'the submit command'}: ${JSON.stringify(output.trim())}`, command, output);
}

/**
 * Whether a (possibly truncated) id from a qstat table names a job: qstat
 * cuts long ids and marks the cut with `*` (`1234567.very-long-ser*`).
 */
export function sameJob(listed: string, wanted: string): boolean {
  if (listed === wanted) return true;
  if (listed.endsWith('*')) return wanted.startsWith(listed.slice(0, -1));
  // qstat -f prints the full id with the server; the user may have typed the number alone.
  const a = parseJobId(listed);
  const b = parseJobId(wanted);
  return !!a && !!b && a.seq === b.seq && (a.index ?? '') === (b.index ?? '') && (!a.server || !b.server || a.server === b.server);
}
