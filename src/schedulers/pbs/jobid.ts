// Job ids as PBS prints them: qsub's `123.server`, arrays `123[].server` and
// their subjobs `123[4].server`. qstat tables cut long ids. Slurm's qsub
// wrapper answers with Slurm's ids, so those are read too when comparing.
import type { JobId } from '../scheduler.js';
import { parseSlurmJobId } from '../slurm/jobid.js';

const PBS = /^(\d+)(\[(\d*)\])?(?:\.([\w.-]+))?$/;

/** One PBS id, or null. */
export function parsePbsJobId(text: string): JobId | null {
  const s = text.trim();
  const m = PBS.exec(s);
  if (!m) return null;
  const [, seq, brackets, index, server] = m;
  const out: JobId = { id: s, seq: seq! };
  if (server) out.server = server;
  if (brackets) index ? (out.index = index) : (out.array = true);
  return out;
}

/**
 * Whether a (possibly truncated) id from a qstat table names a job: qstat
 * cuts long ids and marks the cut with `*` (`1234567.very-long-ser*`).
 */
export function sameJob(listed: string, wanted: string): boolean {
  if (listed === wanted) return true;
  if (listed.endsWith('*')) return wanted.startsWith(listed.slice(0, -1));
  // qstat -f prints the full id with the server; the user may have typed the number alone.
  const parse = (s: string) => parseSlurmJobId(s) ?? parsePbsJobId(s);
  const a = parse(listed);
  const b = parse(wanted);
  return !!a && !!b && a.seq === b.seq && (a.index ?? '') === (b.index ?? '') && (!a.server || !b.server || a.server === b.server);
}
