// The directive lines of a job script, for any scheduler: its generated lines,
// less those a user's verbatim directive overrides, then the user's lines last
// (last-wins for the schedulers too), each behind the scheduler's prefix.
import type { JobSpec } from './job-spec.js';
import { scheduler } from './registry.js';
import type { LogPaths } from './scheduler.js';

/** The directive lines, with their `#SBATCH`/`#PBS` prefix. */
export function directiveLines(spec: JobSpec, logs: LogPaths): string[] {
  const s = scheduler(spec.scheduler);
  const userKeys = new Set(spec.directives.flatMap((d) => s.directiveKeys(d)));
  const kept = s.directives(spec, logs).filter((g) => !userKeys.has(g.key)).map((g) => g.text);
  return [...kept, ...spec.directives].map((t) => `${s.directivePrefix} ${t}`);
}
