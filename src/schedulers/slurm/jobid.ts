// Job ids as Slurm prints them: sbatch's `Submitted batch job 123[ on cluster
// x]`, `123;cluster` with --parsable, and array tasks `123_4` (or `123_[1-9]`).
import type { JobId } from '../scheduler.js';

const SLURM_PARSABLE = /^(\d+)(?:_(\d+|\[[\d,%:-]+\]))?(?:;([\w.-]+))?$/;
const SLURM_SENTENCE = /^Submitted batch job (\d+)(?: on cluster ([\w.-]+))?$/;

/** One Slurm id, or null. */
export function parseSlurmJobId(text: string): JobId | null {
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
  return null;
}
